#pragma once

// What a schema read covers, as SQL: the schemas the model reads and the relations it leaves
// out.

#include <string>
#include <string_view>

namespace pgmig::detail {

/// `WITH ns AS (...), skipped AS (...), skip_rel AS (...)`: the schemas read (not system, not
/// excluded, not an extension's) and the relations left out (pgmig's state tables with their
/// indexes and owned sequences). The arguments are SQL expressions of type text[]: the
/// relations to skip (qualified names) and the schemas excluded with everything in them.
[[nodiscard]] inline std::string scope_ctes(std::string_view skip_relations,
                                            std::string_view exclude_schemas) {
    std::string sql = R"SQL(WITH ns AS (
    SELECT n.oid, n.nspname FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
      AND n.nspname <> ALL (@EXCLUDE@)
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
    put("@SKIP@", skip_relations);
    return sql;
}

} // namespace pgmig::detail
