#pragma once

// What a schema read covers, as SQL: the schemas the model reads and the relations it leaves
// out.

#include <string>
#include <string_view>

namespace pgmig::detail {

/// `WITH only_ns AS (...), ns AS (...), skipped AS (...), skip_rel AS (...)`: the schemas read (not
/// system, not excluded, not an extension's, among the only ones when some are named) and the
/// relations left out (pgmig's state tables with their indexes and owned sequences). The arguments
/// are SQL expressions of type text[]: the relations to skip (qualified names), the schemas
/// excluded with everything in them, and the only schemas to read (empty: all).
[[nodiscard]] inline std::string scope_ctes(std::string_view skip_relations,
                                            std::string_view exclude_schemas,
                                            std::string_view only_schemas) {
    std::string sql = R"SQL(WITH only_ns AS (
    SELECT unnest(@ONLY@) AS name
), ns AS (
    SELECT n.oid, n.nspname FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
      AND n.nspname <> ALL (@EXCLUDE@)
      AND (NOT EXISTS (SELECT 1 FROM only_ns) OR n.nspname IN (SELECT name FROM only_ns))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                      AND d.objid = n.oid AND d.deptype = 'e')
), skipped AS (
    SELECT to_regclass(name) AS oid FROM unnest(@SKIP@) AS s(name)
), skip_rel AS (
    SELECT oid FROM skipped WHERE oid IS NOT NULL
    UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM skipped)
    UNION SELECT d.objid FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
            AND d.refobjid IN (SELECT oid FROM skipped) AND d.deptype IN ('a', 'i')
))SQL";
    auto put = [&sql](std::string_view marker, std::string_view text) {
        sql.replace(sql.find(marker), marker.size(), text);
    };
    put("@EXCLUDE@", exclude_schemas);
    put("@ONLY@", only_schemas);
    put("@SKIP@", skip_relations);
    return sql;
}

} // namespace pgmig::detail
