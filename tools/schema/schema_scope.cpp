#include "catalog_scope.hpp"

#include <pgmig/detail/text_array.hpp>
#include <pgmig/schema_scope.hpp>

namespace pgmig {

snapshot_scope scope_of(const set_settings& s) {
    snapshot_scope scope;
    scope.skip_relations = {quote_identifier(s.schema) + "." + quote_identifier(s.version_table),
                            quote_identifier(s.schema) + "." + quote_identifier(s.history_table)};
    if (s.schema != "public") {
        scope.skip_schemas.push_back(s.schema);
    }
    return scope;
}

snapshot_scope scope_of(const set_settings& settings, const std::string& tenant) {
    snapshot_scope scope = scope_of(settings);
    if (!tenant.empty()) {
        scope.only_schemas.push_back(tenant);
    }
    return scope;
}

std::string scoped_relations_sql(std::string_view select_list, std::string_view relkinds) {
    std::string sql = detail::scope_ctes("$1::text[]", "$2::text[]", "$3::text[]");
    sql += "\nSELECT ";
    sql += select_list;
    sql += "\nFROM pg_class c JOIN ns n ON n.oid = c.relnamespace\nWHERE c.relkind IN (";
    sql += relkinds;
    sql += ") AND c.oid NOT IN (SELECT oid FROM skip_rel)";
    return sql;
}

std::vector<param> scoped_relations_params(const snapshot_scope& scope) {
    return {detail::format_text_array(scope.skip_relations),
            detail::format_text_array(scope.exclude_schemas),
            detail::format_text_array(scope.only_schemas)};
}

} // namespace pgmig
