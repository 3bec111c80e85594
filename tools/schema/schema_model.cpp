#include "catalog_scope.hpp"

#include <pgmig/detail/text_array.hpp>
#include <pgmig/schema_model.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

namespace pgmig::schema {
namespace {

/// The qualified, quoted name of the relation or type with oid `oid` (an SQL expression).
std::string rel_name(std::string_view oid) {
    return fmt::format("(SELECT quote_ident(nn.nspname) || '.' || quote_ident(cc.relname) "
                       "FROM pg_class cc JOIN pg_namespace nn ON nn.oid = cc.relnamespace "
                       "WHERE cc.oid = {})",
                       oid);
}

std::string type_name(std::string_view oid) {
    return fmt::format("(SELECT quote_ident(nn.nspname) || '.' || quote_ident(tt.typname) "
                       "FROM pg_type tt JOIN pg_namespace nn ON nn.oid = tt.typnamespace "
                       "WHERE tt.oid = {})",
                       oid);
}

/// True when the catalog object is not an extension's member.
std::string not_extension_member(std::string_view catalog, std::string_view oid) {
    return fmt::format("NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{}'::regclass "
                       "AND x.objid = {} AND x.deptype = 'e')",
                       catalog, oid);
}

/// An aclitem[] as a sorted text[] literal.
std::string sorted_acl(std::string_view acl) {
    return fmt::format("ARRAY(SELECT a::text FROM unnest({}) a ORDER BY 1)", acl);
}

/// The relations the model covers, after the scope's CTEs.
std::string rel_cte() {
    return fmt::format(
        ", rel AS (\n"
        "    SELECT c.oid, c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
        "AS name\n"
        "    FROM pg_class c JOIN ns n ON n.oid = c.relnamespace\n"
        "    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')\n"
        "      AND c.oid NOT IN (SELECT oid FROM skip_rel) AND {} AND @REL@)\n",
        not_extension_member("pg_class", "c.oid"));
}

// An aggregate's definition, built from pg_aggregate: PostgreSQL prints every other routine
// (pg_get_functiondef) but not these. Every option it has is written out, defaults included.
constexpr const char* aggregate_sql = R"SQL((SELECT 'CREATE OR REPLACE AGGREGATE '
        || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
        || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_arguments(p.oid) END || ') ('
        || concat_ws(', ', 'SFUNC = ' || a.aggtransfn::regproc::text,
               'STYPE = ' || format_type(a.aggtranstype, NULL),
               'SSPACE = ' || nullif(a.aggtransspace, 0),
               'FINALFUNC = ' || nullif(a.aggfinalfn::oid, 0)::regproc::text,
               CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
               CASE WHEN a.aggfinalfn::oid <> 0 THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify
                   WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
               'COMBINEFUNC = ' || nullif(a.aggcombinefn::oid, 0)::regproc::text,
               'SERIALFUNC = ' || nullif(a.aggserialfn::oid, 0)::regproc::text,
               'DESERIALFUNC = ' || nullif(a.aggdeserialfn::oid, 0)::regproc::text,
               'INITCOND = ' || quote_literal(a.agginitval),
               'MSFUNC = ' || nullif(a.aggmtransfn::oid, 0)::regproc::text,
               'MINVFUNC = ' || nullif(a.aggminvtransfn::oid, 0)::regproc::text,
               'MSTYPE = ' || format_type(nullif(a.aggmtranstype, 0), NULL),
               'MSSPACE = ' || nullif(a.aggmtransspace, 0),
               'MFINALFUNC = ' || nullif(a.aggmfinalfn::oid, 0)::regproc::text,
               CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
               CASE WHEN a.aggmfinalfn::oid <> 0 THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify
                   WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
               'MINITCOND = ' || quote_literal(a.aggminitval),
               (SELECT 'SORTOP = OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')'
                FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace
                WHERE o.oid = a.aggsortop),
               'PARALLEL = ' || CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED'
                                                   ELSE 'UNSAFE' END,
               CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END) || ')'
    FROM pg_aggregate a WHERE a.aggfnoid = p.oid))SQL";

/// One kind of row of the reading statement: its unit, its fields (SQL expressions, read as
/// text), and where they come from.
struct part {
    int number; ///< what assemble() reads it as; two parts may share one
    std::string unit;
    std::vector<std::string> fields;
    std::string from;
};

// The rows, by part number: what assemble() reads. The @...@ markers restrict a part to the
// units asked for (see filters()); each is a condition an index of the catalog answers, since
// the tracker runs these thousands of times for a few objects.
std::vector<part> parts() {
    std::vector<part> p(15);
    p[0] = {0,
            "'ns:' || n.oid",
            {"quote_ident(n.nspname)"},
            "ns n WHERE n.nspname <> ALL (@SKIP_SCHEMAS@) AND @NS@"};
    p[1] = {1,
            "'ext:' || e.oid",
            {"quote_ident(e.extname)", "quote_ident(n.nspname)", "e.extversion"},
            "pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE @EXT@"};
    // Tables, views and sequences; an identity column's sequence is the column's.
    p[2] = {2,
            "'rel:' || r.oid",
            {"r.name", "r.relkind", "c.relpersistence = 'u'",
             "CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END",
             fmt::format("CASE WHEN c.relispartition THEN (SELECT {} FROM pg_inherits i "
                         "WHERE i.inhrelid = r.oid LIMIT 1) END",
                         rel_name("i.inhparent")),
             "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, r.oid) END",
             "coalesce(c.reloptions, '{}')", "c.relrowsecurity", "c.relforcerowsecurity",
             "CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid, true) END",
             fmt::format("ARRAY(SELECT DISTINCT {} FROM pg_rewrite w JOIN pg_depend d ON "
                         "d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND "
                         "d.refclassid = 'pg_class'::regclass WHERE w.ev_class = r.oid AND "
                         "d.refobjid <> r.oid ORDER BY 1)",
                         rel_name("d.refobjid")),
             "format_type(s.seqtypid, NULL)", "s.seqstart", "s.seqincrement", "s.seqmin",
             "s.seqmax", "s.seqcache", "s.seqcycle",
             fmt::format("(SELECT {} || '.' || quote_ident(a.attname) FROM pg_depend d "
                         "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = "
                         "d.refobjsubid WHERE d.classid = 'pg_class'::regclass AND d.objid = "
                         "r.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' "
                         "LIMIT 1)",
                         rel_name("d.refobjid"))},
            "rel r JOIN pg_class c ON c.oid = r.oid LEFT JOIN pg_sequence s ON s.seqrelid = "
            "r.oid WHERE r.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
            "d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.deptype = 'i')"};
    p[3] = {3,
            "'rel:' || r.oid",
            {"r.name", "quote_ident(a.attname)", "format_type(a.atttypid, a.atttypmod)",
             "a.attnotnull",
             "CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE '' END",
             "CASE WHEN a.attgenerated = 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END",
             "CASE WHEN a.attgenerated <> 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END",
             "CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN (SELECT "
             "quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co "
             "JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) "
             "END",
             "NOT a.attislocal", sorted_acl("a.attacl")},
            "rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT "
            "a.attisdropped JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef ad ON "
            "ad.adrelid = a.attrelid AND ad.adnum = a.attnum WHERE r.relkind IN ('r', 'p', 'f')"};
    // Constraints, except those a partition inherits.
    p[4] = {4,
            "'rel:' || r.oid",
            {"r.name", "quote_ident(con.conname)", "con.contype", "pg_get_constraintdef(con.oid)",
             fmt::format("CASE WHEN con.contype = 'f' THEN {} END", rel_name("con.confrelid"))},
            "pg_constraint con JOIN rel r ON r.oid = con.conrelid WHERE con.conparentid = 0 AND "
            "con.conislocal"};
    // Indexes not made by a constraint nor attached to a parent's index.
    p[5] = {5,
            "'rel:' || r.oid",
            {"r.name", rel_name("i.indexrelid"), "pg_get_indexdef(i.indexrelid)", "i.indisvalid"},
            "pg_index i JOIN rel r ON r.oid = i.indrelid WHERE NOT EXISTS (SELECT 1 FROM "
            "pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND "
            "k.contype IN ('p', 'u', 'x')) AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE "
            "h.inhrelid = i.indexrelid)"};
    // Triggers, except those cloned onto partitions.
    p[6] = {6,
            "'rel:' || r.oid",
            {"r.name", "quote_ident(tg.tgname)", "pg_get_triggerdef(tg.oid)", "tg.tgenabled"},
            "pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal AND "
            "tg.tgparentid = 0"};
    p[7] = {7,
            "'rel:' || r.oid",
            {"r.name", "quote_ident(pol.polname)", "pol.polpermissive",
             "CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN "
             "'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END",
             "ARRAY(SELECT CASE WHEN x = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(x)) "
             "END FROM unnest(pol.polroles) x ORDER BY 1)",
             "pg_get_expr(pol.polqual, pol.polrelid)",
             "pg_get_expr(pol.polwithcheck, pol.polrelid)"},
            "pg_policy pol JOIN rel r ON r.oid = pol.polrelid"};
    // Routines; a range type's constructors are the type's.
    p[8] = {8,
            "'proc:' || p.oid",
            {"p.oid::regprocedure::text", "p.prokind",
             "CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END",
             fmt::format("CASE WHEN p.prokind = 'a' THEN {} ELSE pg_get_functiondef(p.oid) END",
                         aggregate_sql)},
            fmt::format("pg_proc p JOIN ns n ON n.oid = p.pronamespace WHERE {} AND NOT EXISTS "
                        "(SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass AND "
                        "x.objid = p.oid AND x.deptype = 'i') AND @PROC@",
                        not_extension_member("pg_proc", "p.oid"))};
    // Enum, domain and range types.
    p[9] = {9,
            "'type:' || t.oid",
            {"quote_ident(n.nspname) || '.' || quote_ident(t.typname)", "t.typtype",
             "ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY "
             "e.enumsortorder)",
             "CASE t.typtype WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) WHEN 'r' THEN "
             "(SELECT format_type(rg.rngsubtype, NULL) FROM pg_range rg WHERE rg.rngtypid = "
             "t.oid) END",
             "t.typnotnull", "t.typdefault"},
            fmt::format("pg_type t JOIN ns n ON n.oid = t.typnamespace WHERE t.typtype IN ('e', "
                        "'d', 'r') AND {} AND @TYPE@",
                        not_extension_member("pg_type", "t.oid"))};
    // Composite types, read as types too; their unit is their relation's.
    p[14] = {9,
             "'rel:' || c.oid",
             {"quote_ident(n.nspname) || '.' || quote_ident(t.typname)", "t.typtype"},
             fmt::format("pg_class c JOIN pg_type t ON t.oid = c.reltype JOIN ns n ON n.oid = "
                         "t.typnamespace WHERE c.relkind = 'c' AND {} AND @COMPOSITE@",
                         not_extension_member("pg_type", "t.oid"))};
    p[10] = {10,
             "'type:' || t.oid",
             {type_name("t.oid"), "quote_ident(con.conname)", "con.contype",
              "pg_get_constraintdef(con.oid)"},
             "pg_constraint con JOIN pg_type t ON t.oid = con.contypid JOIN ns n ON n.oid = "
             "t.typnamespace WHERE @TYPE@"};
    // The attributes of composite types, in order.
    p[11] = {11,
             "'rel:' || c.oid",
             {type_name("t.oid"), "quote_ident(a.attname)", "format_type(a.atttypid, a.atttypmod)",
              "a.attnum"},
             "pg_class c JOIN pg_type t ON t.oid = c.reltype JOIN ns n ON n.oid = t.typnamespace "
             "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
             "WHERE c.relkind = 'c' AND @COMPOSITE@"};
    // Comments, keyed as COMMENT ON names the object.
    p[12] = {12,
             "d.unit",
             {fmt::format(
                  "CASE d.classoid WHEN 'pg_constraint'::regclass THEN (SELECT 'CONSTRAINT ' || "
                  "quote_ident(k.conname) || ' ON ' || CASE WHEN k.conrelid <> 0 THEN {} ELSE "
                  "'DOMAIN ' || {} END FROM pg_constraint k WHERE k.oid = d.objoid) "
                  "WHEN 'pg_trigger'::regclass THEN (SELECT 'TRIGGER ' || quote_ident(g.tgname) || "
                  "' ON ' || {} FROM pg_trigger g WHERE g.oid = d.objoid) "
                  "WHEN 'pg_policy'::regclass THEN (SELECT 'POLICY ' || quote_ident(y.polname) || "
                  "' ON ' || {} FROM pg_policy y WHERE y.oid = d.objoid) "
                  "ELSE CASE WHEN o.type LIKE '% column' THEN 'COLUMN' WHEN o.type = 'composite "
                  "type' THEN 'TYPE' ELSE upper(o.type) END || ' ' || o.identity END",
                  rel_name("k.conrelid"), type_name("k.contypid"), rel_name("g.tgrelid"),
                  rel_name("y.polrelid")),
              "d.description"},
             fmt::format(
                 "(SELECT dd.*, coalesce({}, 'other:' || dd.classoid || ':' || dd.objoid) AS unit "
                 "FROM pg_description dd WHERE dd.objoid >= 16384 AND @COMMENTOBJ@) d "
                 "CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o "
                 "WHERE (o.schema IS NULL OR o.schema IN (SELECT nspname FROM ns)) "
                 "AND NOT (d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT oid FROM "
                 "skip_rel)) AND NOT (d.classoid = 'pg_namespace'::regclass AND o.identity = ANY "
                 "(@SKIP_SCHEMAS@)) AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = "
                 "d.classoid AND x.objid = d.objoid AND x.deptype = 'e') AND @COMMENT@",
                 unit_of_object_sql("dd.classoid", "dd.objoid"))};
    // Privileges that differ from the owner's defaults.
    p[13] = {
        13,
        "x.unit",
        {"x.key", sorted_acl("x.acl"), sorted_acl("x.def")},
        fmt::format(
            "(SELECT 'rel:' || r.oid AS unit, CASE r.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE "
            "'TABLE ' END || r.name AS key, c.relacl AS acl, acldefault(CASE r.relkind WHEN 'S' "
            "THEN 's' ELSE 'r' END::\"char\", c.relowner) AS def FROM rel r JOIN pg_class c ON "
            "c.oid = r.oid "
            "UNION ALL SELECT 'ns:' || n.oid, 'SCHEMA ' || quote_ident(n.nspname), n.nspacl, "
            "acldefault('n', n.nspowner) FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM ns) "
            "AND n.nspname <> ALL (@SKIP_SCHEMAS@) AND @NS@ "
            "UNION ALL SELECT 'proc:' || p.oid, CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE "
            "'FUNCTION ' END || p.oid::regprocedure::text, p.proacl, acldefault('f', p.proowner) "
            "FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace WHERE {} AND @PROC@ "
            "UNION ALL SELECT 'type:' || t.oid, 'TYPE ' || quote_ident(n.nspname) || '.' || "
            "quote_ident(t.typname), t.typacl, acldefault('T', t.typowner) FROM pg_type t JOIN "
            "ns n ON n.oid = t.typnamespace WHERE t.typtype IN ('e', 'd', 'r') AND {} AND @TYPE@"
            ") x WHERE x.acl IS NOT NULL AND {} <> {}",
            not_extension_member("pg_proc", "p.oid"), not_extension_member("pg_type", "t.oid"),
            sorted_acl("x.acl"), sorted_acl("x.def"))};
    return p;
}

constexpr std::size_t field_count = 19; // the most any part has

/// The markers' conditions: everything, or only the objects of the units in $4..$9.
std::vector<std::pair<std::string_view, std::string_view>> filters(bool only_units) {
    if (!only_units) {
        return {{"@REL@", "true"},     {"@PROC@", "true"},      {"@TYPE@", "true"},
                {"@NS@", "true"},      {"@EXT@", "true"},       {"@COMPOSITE@", "true"},
                {"@COMMENT@", "true"}, {"@COMMENTOBJ@", "true"}};
    }
    return {{"@REL@", "c.oid = ANY ($5::oid[])"},
            {"@PROC@", "p.oid = ANY ($6::oid[])"},
            {"@TYPE@", "t.oid = ANY ($7::oid[])"},
            {"@NS@", "n.oid = ANY ($8::oid[])"},
            {"@EXT@", "e.oid = ANY ($9::oid[])"},
            {"@COMPOSITE@", "c.oid = ANY ($5::oid[])"},
            {"@COMMENT@", "d.unit = ANY ($4::text[])"},
            // Only the asked-for objects and their parts: pg_description's index, not its
            // thousands of built-in rows.
            {"@COMMENTOBJ@",
             "dd.objoid = ANY (ARRAY(SELECT unnest($5::oid[] || $6::oid[] || $7::oid[] || "
             "$8::oid[] || $9::oid[]) UNION ALL SELECT indexrelid FROM pg_index WHERE indrelid = "
             "ANY ($5::oid[]) UNION ALL SELECT oid FROM pg_constraint WHERE conrelid = ANY "
             "($5::oid[]) UNION ALL SELECT oid FROM pg_constraint WHERE contypid = ANY "
             "($7::oid[]) UNION ALL SELECT oid FROM pg_trigger "
             "WHERE tgrelid = ANY ($5::oid[]) UNION ALL SELECT oid FROM pg_policy WHERE polrelid "
             "= ANY ($5::oid[])))"}};
}

void replace_all(std::string& sql, std::string_view marker, std::string_view value) {
    for (auto at = sql.find(marker); at != std::string::npos;
         at = sql.find(marker, at + value.size())) {
        sql.replace(at, marker.size(), value);
    }
}

/// The one statement that reads the model: rows of (part, unit, field...). The scope comes
/// as SQL expressions of type text[]: the relations to skip, the schemas whose own objects to
/// skip, the schemas excluded with everything in them, the only schemas to read.
std::string statement(bool only_units, std::string_view skip_relations,
                      std::string_view skip_schemas, std::string_view exclude_schemas,
                      std::string_view only_schemas) {
    std::string sql = detail::scope_ctes(skip_relations, exclude_schemas, only_schemas) + rel_cte();
    auto all = parts();
    for (std::size_t i = 0; i < all.size(); ++i) {
        sql += i == 0 ? "SELECT " : "\nUNION ALL SELECT ";
        sql += fmt::format("{}, ({})::text", all[i].number, all[i].unit);
        for (std::size_t f = 0; f < field_count; ++f) {
            sql += f < all[i].fields.size() ? fmt::format(", ({})::text", all[i].fields[f])
                                            : std::string(", NULL");
        }
        sql += "\nFROM " + all[i].from;
    }
    replace_all(sql, "@SKIP_SCHEMAS@", skip_schemas);
    for (const auto& [marker, condition] : filters(only_units)) {
        replace_all(sql, marker, condition);
    }
    return sql;
}

/// One row of the statement's result.
class row {
public:
    row(const result& r, int i) : m_r(r), m_i(i) {}
    [[nodiscard]] std::string text(int field) const { return std::string(raw(field)); }
    [[nodiscard]] bool flag(int field) const { return raw(field) == "true"; }
    [[nodiscard]] char letter(int field) const {
        std::string_view v = raw(field);
        return v.empty() ? ' ' : v.front();
    }
    [[nodiscard]] std::vector<std::string> list(int field) const {
        return m_r.is_null(m_i, field + 2) ? std::vector<std::string>{}
                                           : detail::parse_text_array(raw(field));
    }

private:
    [[nodiscard]] std::string_view raw(int field) const { return m_r.text(m_i, field + 2); }
    const result& m_r;
    int m_i;
};

/// Builds a model from the rows numbered `rows` (all of one unit, or all).
model assemble(const result& r, const std::vector<int>& rows) {
    model m;
    std::map<std::string, std::size_t> tables;
    std::map<std::string, std::size_t> views;
    std::map<std::string, std::size_t> types;
    // Parts are read in order, so a table is known before its columns.
    std::vector<std::vector<int>> by_part(14);
    for (int i : rows) {
        by_part[static_cast<std::size_t>(std::stoi(std::string(r.text(i, 0))))].push_back(i);
    }
    auto on_table = [&](const row& x) -> table* {
        auto it = tables.find(x.text(0));
        return it == tables.end() ? nullptr : &m.tables[it->second];
    };
    std::map<std::size_t, std::vector<std::pair<int, column>>> attributes; // by position
    auto on_type = [&](const row& x) -> type* {
        auto it = types.find(x.text(0));
        return it == types.end() ? nullptr : &m.types[it->second];
    };
    for (std::size_t p = 0; p < by_part.size(); ++p) {
        for (int i : by_part[p]) {
            row x(r, i);
            switch (p) {
            case 0:
                m.schemas.push_back(x.text(0));
                break;
            case 1:
                m.extensions.push_back({x.text(0), x.text(1), x.text(2)});
                break;
            case 2:
                if (char kind = x.letter(1); kind == 'S') {
                    m.sequences.push_back({x.text(0), x.text(11), x.text(12), x.text(13),
                                           x.text(14), x.text(15), x.text(16), x.flag(17),
                                           x.text(18)});
                } else if (kind == 'v' || kind == 'm') {
                    views.emplace(x.text(0), m.views.size());
                    m.views.push_back(
                        {x.text(0), kind == 'm', x.text(9), x.list(6), x.list(10), {}});
                } else {
                    tables.emplace(x.text(0), m.tables.size());
                    table t;
                    t.name = x.text(0);
                    t.kind = kind;
                    t.unlogged = x.flag(2);
                    t.partition_key = x.text(3);
                    t.partition_of = x.text(4);
                    t.partition_bound = x.text(5);
                    t.options = x.list(6);
                    t.row_security = x.flag(7);
                    t.force_row_security = x.flag(8);
                    m.tables.push_back(std::move(t));
                }
                break;
            case 3:
                if (table* t = on_table(x)) {
                    t->columns.push_back({x.text(1), x.text(2), x.flag(3), x.text(6), x.text(4),
                                          x.text(5), x.text(7), x.flag(8), x.list(9)});
                }
                break;
            case 4:
                if (table* t = on_table(x)) {
                    t->constraints.push_back({x.text(1), x.letter(2), x.text(3), x.text(4)});
                }
                break;
            case 5: {
                index ix{x.text(1), x.text(2), x.flag(3)};
                if (table* t = on_table(x)) {
                    t->indexes.push_back(std::move(ix));
                } else if (auto v = views.find(x.text(0)); v != views.end()) {
                    m.views[v->second].indexes.push_back(std::move(ix));
                }
                break;
            }
            case 6:
                if (table* t = on_table(x)) {
                    t->triggers.push_back({x.text(1), x.text(2), x.letter(3)});
                }
                break;
            case 7:
                if (table* t = on_table(x)) {
                    t->policies.push_back(
                        {x.text(1), x.flag(2), x.text(3), x.list(4), x.text(5), x.text(6)});
                }
                break;
            case 8:
                m.functions.push_back({x.text(0), x.letter(1), x.text(2), x.text(3)});
                break;
            case 9: {
                types.emplace(x.text(0), m.types.size());
                type t;
                t.name = x.text(0);
                t.kind = x.letter(1);
                if (t.kind == 'e') {
                    t.labels = x.list(2);
                }
                t.base = x.text(3);
                t.not_null = x.flag(4);
                t.default_expr = x.text(5);
                m.types.push_back(std::move(t));
                break;
            }
            case 10:
                if (type* t = on_type(x)) {
                    t->constraints.push_back({x.text(1), x.letter(2), x.text(3), {}});
                }
                break;
            case 11:
                if (auto t = types.find(x.text(0)); t != types.end()) {
                    column c;
                    c.name = x.text(1);
                    c.type = x.text(2);
                    attributes[t->second].emplace_back(std::stoi(x.text(3)), std::move(c));
                }
                break;
            case 12:
                m.comments.emplace(x.text(0), x.text(1));
                break;
            default:
                m.grants.emplace(x.text(0), privileges{x.list(1), x.list(2)});
            }
        }
    }
    for (auto& [at, list] : attributes) {
        std::sort(list.begin(), list.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [position, c] : list) {
            m.types[at].attributes.push_back(std::move(c));
        }
    }
    // Every list by name, in byte order, so that equal schemas give equal models; composite
    // attributes keep their order.
    auto by_name = [](auto& items) {
        std::sort(items.begin(), items.end(),
                  [](const auto& a, const auto& b) { return a.name < b.name; });
    };
    std::sort(m.schemas.begin(), m.schemas.end());
    by_name(m.extensions);
    by_name(m.sequences);
    by_name(m.views);
    by_name(m.tables);
    by_name(m.types);
    std::sort(m.functions.begin(), m.functions.end(),
              [](const function& a, const function& b) { return a.signature < b.signature; });
    for (auto& t : m.tables) {
        by_name(t.columns);
        by_name(t.constraints);
        by_name(t.indexes);
        by_name(t.triggers);
        by_name(t.policies);
    }
    for (auto& v : m.views) {
        by_name(v.indexes);
    }
    for (auto& t : m.types) {
        by_name(t.constraints);
    }
    return m;
}

std::string array_literal(const std::vector<std::string>& items) {
    return quote_literal(detail::format_text_array(items)) + "::text[]";
}

/// $1..$3 of the statement; the only schemas are the last parameter (see read_units).
std::vector<param> scope_params(const snapshot_scope& scope) {
    return {detail::format_text_array(scope.skip_relations),
            detail::format_text_array(scope.skip_schemas),
            detail::format_text_array(scope.exclude_schemas)};
}

/// "{1,2}" for the units of one kind ("rel:1", "rel:2").
std::string oids_of(const std::vector<std::string>& units, std::string_view kind) {
    std::string out = "{";
    for (const auto& u : units) {
        if (u.size() > kind.size() && u.compare(0, kind.size(), kind) == 0) {
            out += (out.size() > 1 ? "," : "") + u.substr(kind.size());
        }
    }
    return out + "}";
}

/// Runs of white space as one space.
std::string folded(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            space = true;
            continue;
        }
        if (space && !out.empty()) {
            out += ' ';
        }
        space = false;
        out += c;
    }
    return out;
}

/// A view's definition with its top-level select list in sorted order, for its line: column
/// order is left out of the lines, for views as for tables, since a `SELECT *` view re-created
/// over re-added columns lists them in another order. pg_get_viewdef prints that list one entry
/// per line (" SELECT a,\n    b\n   FROM ..."); set operations and DISTINCT stay as printed.
std::string unordered_select_list(std::string_view def) {
    constexpr std::string_view head = " SELECT ";
    constexpr std::string_view separator = ",\n    ";
    if (!def.starts_with(head) || def.substr(head.size()).starts_with("DISTINCT")) {
        return std::string(def);
    }
    std::size_t end = def.find("\n   FROM ");
    if (end == std::string_view::npos) {
        end = def.find(';');
    }
    for (std::string_view set_operation : {"\nUNION", "\nINTERSECT", "\nEXCEPT"}) {
        if (def.find(set_operation) != std::string_view::npos) {
            return std::string(def);
        }
    }
    if (end == std::string_view::npos) {
        return std::string(def);
    }
    std::string_view list = def.substr(head.size(), end - head.size());
    std::vector<std::string_view> entries;
    std::size_t from = 0;
    for (std::size_t at = list.find(separator); at != std::string_view::npos;
         at = list.find(separator, at + 1)) {
        std::size_t next = at + separator.size();
        if (next < list.size() && list[next] != ' ') { // deeper lines belong to one entry
            entries.push_back(list.substr(from, at - from));
            from = next;
        }
    }
    entries.push_back(list.substr(from));
    std::sort(entries.begin(), entries.end());
    return fmt::format("{}{}{}", head, fmt::join(entries, separator), def.substr(end));
}

std::string index_line(const index& i) {
    return fmt::format("index {}: {}{}", i.name, i.definition, i.valid ? "" : " (invalid)");
}

std::string_view routine_noun(const function& f) {
    switch (f.kind) {
    case 'p':
        return "procedure";
    case 'a':
        return "aggregate";
    default:
        return "function";
    }
}

} // namespace

std::string unit_of_object_sql(std::string_view classid, std::string_view objid) {
    // The parts of a table (index, constraint, trigger, policy, default, rule) go with it.
    std::string sql = R"SQL(CASE @C@
    WHEN 'pg_class'::regclass THEN 'rel:' || coalesce(
        (SELECT i.indrelid FROM pg_index i WHERE i.indexrelid = @O@), @O@)
    WHEN 'pg_constraint'::regclass THEN (SELECT CASE WHEN k.conrelid <> 0 THEN 'rel:' || k.conrelid
                                                     ELSE 'type:' || k.contypid END
                                         FROM pg_constraint k WHERE k.oid = @O@)
    WHEN 'pg_trigger'::regclass THEN (SELECT 'rel:' || g.tgrelid FROM pg_trigger g WHERE g.oid = @O@)
    WHEN 'pg_policy'::regclass THEN (SELECT 'rel:' || y.polrelid FROM pg_policy y WHERE y.oid = @O@)
    WHEN 'pg_attrdef'::regclass THEN (SELECT 'rel:' || a.adrelid FROM pg_attrdef a WHERE a.oid = @O@)
    WHEN 'pg_rewrite'::regclass THEN (SELECT 'rel:' || w.ev_class FROM pg_rewrite w WHERE w.oid = @O@)
    WHEN 'pg_proc'::regclass THEN 'proc:' || @O@
    WHEN 'pg_type'::regclass THEN coalesce(
        (SELECT 'rel:' || ty.typrelid FROM pg_type ty WHERE ty.oid = @O@ AND ty.typrelid <> 0),
        'type:' || @O@)
    WHEN 'pg_namespace'::regclass THEN 'ns:' || @O@
    WHEN 'pg_extension'::regclass THEN 'ext:' || @O@
    END)SQL";
    replace_all(sql, "@C@", classid);
    replace_all(sql, "@O@", objid);
    return sql;
}

const table* model::find_table(const std::string& name) const {
    return find_named(tables, name);
}

const view* model::find_view(const std::string& name) const {
    return find_named(views, name);
}

const type* model::find_type(const std::string& name) const {
    return find_named(types, name);
}

model read_model(connection& conn, const snapshot_scope& scope) {
    // Literals rather than parameters, so that SET LOCAL goes in the same round trip. With an
    // empty search path the server qualifies every name it prints (types, tables in
    // definitions), so a model does not depend on the session that read it. The statements of
    // one query string form one transaction: SET LOCAL ends with it.
    std::vector<result> rs = conn.exec_all(
        "SET LOCAL search_path = '';\n" +
        statement(false, array_literal(scope.skip_relations), array_literal(scope.skip_schemas),
                  array_literal(scope.exclude_schemas), array_literal(scope.only_schemas)));
    std::vector<int> rows(static_cast<std::size_t>(rs.back().rows()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i] = static_cast<int>(i);
    }
    return assemble(rs.back(), rows);
}

std::map<std::string, model> read_units(connection& conn, const snapshot_scope& scope,
                                        const std::vector<std::string>* units) {
    std::vector<param> params = scope_params(scope);
    // Prepared once per connection: the statement is large, and planning it each time would
    // cost more than running it for a handful of objects.
    // The only schemas come after the units' parameters ($4..$9), as $10 (as $4 without them).
    static const std::string all_sql =
        statement(false, "$1::text[]", "$2::text[]", "$3::text[]", "$4::text[]");
    static const std::string some_sql =
        statement(true, "$1::text[]", "$2::text[]", "$3::text[]", "$10::text[]");
    result r;
    if (units == nullptr) {
        params.push_back(detail::format_text_array(scope.only_schemas));
        r = conn.exec_prepared("pgmig_model_all", all_sql, params);
    } else {
        params.push_back(detail::format_text_array(*units));
        for (std::string_view kind : {"rel:", "proc:", "type:", "ns:", "ext:"}) {
            params.push_back(oids_of(*units, kind));
        }
        params.push_back(detail::format_text_array(scope.only_schemas));
        r = conn.exec_prepared("pgmig_model_some", some_sql, params);
    }
    std::map<std::string, std::vector<int>> rows;
    if (units != nullptr) {
        for (const auto& u : *units) {
            rows[u]; // asked for and gone: an empty unit
        }
    }
    for (int i = 0; i < r.rows(); ++i) {
        rows[std::string(r.text(i, 1))].push_back(i);
    }
    std::map<std::string, model> out;
    for (const auto& [unit, numbers] : rows) {
        out.emplace(unit, assemble(r, numbers));
    }
    return out;
}

std::string folded_definition(const function& f) {
    return folded(f.definition);
}

snapshot_diff compare(const model& a, const model& b) {
    return pgmig::compare(schema_snapshot{render_lines(a)}, schema_snapshot{render_lines(b)});
}

std::vector<std::string> render_lines(const model& m) {
    std::vector<std::string> out;
    auto add = [&out](std::string line) {
        out.push_back(std::move(line));
    };
    for (const auto& s : m.schemas) {
        add("schema " + s);
    }
    for (const auto& e : m.extensions) {
        add(fmt::format("extension {}: version {} in {}", e.name, e.version, e.schema));
    }
    for (const auto& t : m.types) {
        std::string body;
        switch (t.kind) {
        case 'e':
            body = "enum " + detail::format_text_array(t.labels);
            break;
        case 'r':
            body = "range of " + t.base;
            break;
        case 'd':
            body = "domain of " + t.base + (t.not_null ? " not null" : "") +
                   (t.default_expr.empty() ? "" : " default " + t.default_expr);
            for (const auto& c : t.constraints) {
                body += " constraint " + c.name + " " + c.definition;
            }
            break;
        default:
            body = "composite (";
            for (const auto& a : t.attributes) {
                body += (body.back() == '(' ? "" : ", ") + a.name + " " + a.type;
            }
            body += ")";
        }
        add(fmt::format("type {}: {}", t.name, body));
    }
    for (const auto& s : m.sequences) {
        add(fmt::format("sequence {}: {} start {} increment {} min {} max {} cache {}{}{}", s.name,
                        s.type, s.start, s.increment, s.min, s.max, s.cache,
                        s.cycle ? " cycle" : "",
                        s.owned_by.empty() ? "" : " owned by " + s.owned_by));
    }
    for (const auto& t : m.tables) {
        add(fmt::format(
            "table {}: kind {}{}{}{}{}{}{}", t.name, t.kind, t.unlogged ? " unlogged" : "",
            t.partition_key.empty() ? "" : " partition by " + t.partition_key,
            t.partition_of.empty() ? ""
                                   : " partition of " + t.partition_of + " " + t.partition_bound,
            t.options.empty() ? "" : " with " + detail::format_text_array(t.options),
            t.row_security ? " row security" : "", t.force_row_security ? " forced" : ""));
        for (const auto& c : t.columns) {
            add(fmt::format("column {}.{}: {}{}{}{}{}{}{}{}", t.name, c.name, c.type,
                            c.not_null ? " not null" : "",
                            c.identity.empty() ? "" : " identity " + c.identity,
                            c.generated.empty() ? "" : " generated " + c.generated,
                            c.default_expr.empty() ? "" : " default " + c.default_expr,
                            c.collation.empty() ? "" : " collate " + c.collation,
                            c.inherited ? " inherited" : "",
                            c.privileges.empty()
                                ? ""
                                : fmt::format(" privileges {}", fmt::join(c.privileges, " "))));
        }
        for (const auto& c : t.constraints) {
            add(fmt::format("constraint {}.{}: {}", t.name, c.name, c.definition));
        }
        for (const auto& i : t.indexes) {
            add(index_line(i));
        }
        for (const auto& g : t.triggers) {
            add(fmt::format("trigger {}.{}: {} ({})", t.name, g.name, g.definition, g.enabled));
        }
        for (const auto& p : t.policies) {
            add(fmt::format("policy {}.{}: {} for {} to {} using ({}) check ({})", t.name, p.name,
                            p.permissive ? "permissive" : "restrictive", p.command,
                            fmt::join(p.roles, ","), p.using_expr, p.check_expr));
        }
    }
    for (const auto& v : m.views) {
        add(fmt::format("{} {}: {}{}", v.materialized ? "matview" : "view", v.name,
                        folded(unordered_select_list(v.definition)),
                        v.options.empty() ? "" : " with " + detail::format_text_array(v.options)));
        for (const auto& i : v.indexes) {
            add(index_line(i));
        }
    }
    for (const auto& f : m.functions) {
        add(fmt::format("{} {}: {}", routine_noun(f), f.signature, folded(f.definition)));
    }
    for (const auto& [object, text] : m.comments) {
        add(fmt::format("comment {}: {}", object, text));
    }
    for (const auto& [object, p] : m.grants) {
        add(fmt::format("privileges {}: {}", object, fmt::join(p.granted, " ")));
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace pgmig::schema
