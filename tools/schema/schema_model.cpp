#include "catalog_scope.hpp"

#include <pgmig/detail/text_array.hpp>
#include <pgmig/schema_model.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
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

/// The relations the model covers, after the scope's CTEs.
std::string rel_cte() {
    return fmt::format(
        ", rel AS (\n"
        "    SELECT c.oid, c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
        "AS name\n"
        "    FROM pg_class c JOIN ns n ON n.oid = c.relnamespace\n"
        "    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')\n"
        "      AND c.oid NOT IN (SELECT oid FROM skip_rel) AND {})\n",
        not_extension_member("pg_class", "c.oid"));
}

// One statement per kind of object, all sent in one round trip. Each result is ordered the
// way the model keeps it.
std::vector<std::string> queries() {
    std::vector<std::string> q;
    // 0: schemas
    q.emplace_back("SELECT quote_ident(nspname) FROM ns WHERE nspname <> ALL (@SKIP_SCHEMAS@) "
                   "ORDER BY 1");
    // 1: extensions
    q.emplace_back("SELECT quote_ident(e.extname), quote_ident(n.nspname), e.extversion\n"
                   "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1");
    // 2: tables, views and sequences
    q.emplace_back(fmt::format(
        "{}SELECT r.name, r.relkind, c.relpersistence = 'u',\n"
        "    CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END,\n"
        "    CASE WHEN c.relispartition THEN (SELECT {} FROM pg_inherits i WHERE i.inhrelid = "
        "r.oid LIMIT 1) END,\n"
        "    CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, r.oid) END,\n"
        "    coalesce(c.reloptions, '{{}}'), c.relrowsecurity, c.relforcerowsecurity,\n"
        "    CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid, true) END,\n"
        "    ARRAY(SELECT DISTINCT {} FROM pg_rewrite w JOIN pg_depend d ON d.classid = "
        "'pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = 'pg_class'::regclass\n"
        "          WHERE w.ev_class = r.oid AND d.refobjid <> r.oid ORDER BY 1),\n"
        "    format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, "
        "s.seqcache, s.seqcycle,\n"
        "    (SELECT {} || '.' || quote_ident(a.attname) FROM pg_depend d\n"
        "     JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
        "     WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.refclassid = "
        "'pg_class'::regclass AND d.deptype = 'a' LIMIT 1)\n"
        "FROM rel r JOIN pg_class c ON c.oid = r.oid LEFT JOIN pg_sequence s ON s.seqrelid = "
        "r.oid\n"
        "WHERE r.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
        "'pg_class'::regclass AND d.objid = r.oid AND d.deptype = 'i') -- an identity's own\n"
        "ORDER BY r.name",
        rel_cte(), rel_name("i.inhparent"), rel_name("d.refobjid"), rel_name("d.refobjid")));
    // 3: columns of tables
    q.emplace_back(fmt::format(
        "{}SELECT r.name, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), "
        "a.attnotnull,\n"
        "    CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE '' END,\n"
        "    CASE WHEN a.attgenerated = 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END,\n"
        "    CASE WHEN a.attgenerated <> 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END,\n"
        "    CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN\n"
        "        (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM "
        "pg_collation co\n"
        "         JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = "
        "a.attcollation) END,\n"
        "    NOT a.attislocal\n"
        "FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT "
        "a.attisdropped\n"
        "JOIN pg_type t ON t.oid = a.atttypid\n"
        "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum\n"
        "WHERE r.relkind IN ('r', 'p', 'f') ORDER BY r.name, 2",
        rel_cte()));
    // 4: constraints of tables, except those a partition inherits
    q.emplace_back(fmt::format("{}SELECT r.name, quote_ident(con.conname), con.contype, "
                               "pg_get_constraintdef(con.oid),\n"
                               "    CASE WHEN con.contype = 'f' THEN {} END\n"
                               "FROM pg_constraint con JOIN rel r ON r.oid = con.conrelid\n"
                               "WHERE con.conparentid = 0 AND con.conislocal ORDER BY r.name, 2",
                               rel_cte(), rel_name("con.confrelid")));
    // 5: indexes not made by a constraint nor attached to a parent's index
    q.emplace_back(fmt::format(
        "{}SELECT r.name, {}, pg_get_indexdef(i.indexrelid)\n"
        "FROM pg_index i JOIN rel r ON r.oid = i.indrelid\n"
        "WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid\n"
        "                  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))\n"
        "  AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)\n"
        "ORDER BY r.name, 2",
        rel_cte(), rel_name("i.indexrelid")));
    // 6: triggers, except those cloned onto partitions
    q.emplace_back(fmt::format("{}SELECT r.name, quote_ident(tg.tgname), "
                               "pg_get_triggerdef(tg.oid), tg.tgenabled\n"
                               "FROM pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid\n"
                               "WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 ORDER BY r.name, 2",
                               rel_cte()));
    // 7: policies
    q.emplace_back(fmt::format(
        "{}SELECT r.name, quote_ident(p.polname), p.polpermissive,\n"
        "    CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' "
        "WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,\n"
        "    ARRAY(SELECT CASE WHEN x = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(x)) END "
        "FROM unnest(p.polroles) x ORDER BY 1),\n"
        "    pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)\n"
        "FROM pg_policy p JOIN rel r ON r.oid = p.polrelid ORDER BY r.name, 2",
        rel_cte()));
    // 8: functions and procedures (aggregates are left out)
    q.emplace_back(fmt::format(
        "SELECT p.oid::regprocedure::text,\n"
        "    p.prokind, CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END, "
        "pg_get_functiondef(p.oid)\n"
        "FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace\n"
        "WHERE p.prokind IN ('f', 'p', 'w') AND {}\n"
        "  AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass\n"
        "                  AND x.objid = p.oid AND x.deptype = 'i') -- a range's constructors\n"
        "ORDER BY 1",
        not_extension_member("pg_proc", "p.oid")));
    // 9: enum, domain, composite and range types
    q.emplace_back(fmt::format(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(t.typname), t.typtype,\n"
        "    ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY "
        "e.enumsortorder),\n"
        "    CASE t.typtype WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)\n"
        "        WHEN 'r' THEN (SELECT format_type(rg.rngsubtype, NULL) FROM pg_range rg WHERE "
        "rg.rngtypid = t.oid) END,\n"
        "    t.typnotnull, t.typdefault\n"
        "FROM pg_type t JOIN ns n ON n.oid = t.typnamespace\n"
        "WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT c.relkind FROM "
        "pg_class c WHERE c.oid = t.typrelid) = 'c'))\n"
        "  AND {} ORDER BY 1",
        not_extension_member("pg_type", "t.oid")));
    // 10: constraints of domains
    q.emplace_back(fmt::format("SELECT {}, quote_ident(con.conname), con.contype, "
                               "pg_get_constraintdef(con.oid)\n"
                               "FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid\n"
                               "JOIN ns n ON n.oid = t.typnamespace ORDER BY 1, 2",
                               type_name("t.oid")));
    // 11: attributes of composite types
    q.emplace_back(fmt::format(
        "SELECT {}, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod)\n"
        "FROM pg_type t JOIN ns n ON n.oid = t.typnamespace\n"
        "JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'\n"
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped\n"
        "ORDER BY 1, a.attnum",
        type_name("t.oid")));
    // 12: comments, keyed as COMMENT ON names the object
    q.emplace_back(fmt::format(
        "SELECT CASE d.classoid\n"
        "    WHEN 'pg_constraint'::regclass THEN (SELECT 'CONSTRAINT ' || quote_ident(k.conname) "
        "|| ' ON ' ||\n"
        "        CASE WHEN k.conrelid <> 0 THEN {} ELSE 'DOMAIN ' || {} END\n"
        "        FROM pg_constraint k WHERE k.oid = d.objoid)\n"
        "    WHEN 'pg_trigger'::regclass THEN (SELECT 'TRIGGER ' || quote_ident(g.tgname) || ' ON "
        "' || {} FROM pg_trigger g WHERE g.oid = d.objoid)\n"
        "    WHEN 'pg_policy'::regclass THEN (SELECT 'POLICY ' || quote_ident(y.polname) || ' ON ' "
        "|| {} FROM pg_policy y WHERE y.oid = d.objoid)\n"
        "    ELSE CASE WHEN o.type LIKE '% column' THEN 'COLUMN' WHEN o.type = 'composite type' "
        "THEN 'TYPE'\n"
        "              ELSE upper(o.type) END || ' ' || o.identity END,\n"
        "    d.description\n"
        "FROM pg_description d CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, "
        "d.objsubid) o\n"
        "WHERE d.objoid >= 16384 AND (o.schema IS NULL OR o.schema IN (SELECT nspname FROM ns))\n"
        "  AND NOT (d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT oid FROM "
        "skip_rel))\n"
        "  AND NOT (d.classoid = 'pg_namespace'::regclass AND o.identity = ANY "
        "(@SKIP_SCHEMAS@))\n"
        "  AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = d.classoid AND x.objid = "
        "d.objoid AND x.deptype = 'e')\n"
        "ORDER BY 1",
        rel_name("k.conrelid"), type_name("k.contypid"), rel_name("g.tgrelid"),
        rel_name("y.polrelid")));
    // 13: privileges that differ from the owner's defaults
    q.emplace_back(fmt::format(
        "{}SELECT key, ARRAY(SELECT a::text FROM unnest(acl) a ORDER BY 1),\n"
        "    ARRAY(SELECT a::text FROM unnest(def) a ORDER BY 1)\n"
        "FROM (\n"
        "    SELECT CASE r.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || r.name AS key,\n"
        "        c.relacl AS acl, acldefault(CASE r.relkind WHEN 'S' THEN 's' ELSE 'r' "
        "END::\"char\",\n"
        "                                     c.relowner) AS def\n"
        "    FROM rel r JOIN pg_class c ON c.oid = r.oid\n"
        "    UNION ALL\n"
        "    SELECT 'SCHEMA ' || quote_ident(n.nspname), n.nspacl, acldefault('n', n.nspowner)\n"
        "    FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM ns) AND n.nspname <> ALL "
        "(@SKIP_SCHEMAS@)\n"
        "    UNION ALL\n"
        "    SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END || "
        "p.oid::regprocedure::text,\n"
        "        p.proacl, acldefault('f', p.proowner)\n"
        "    FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace\n"
        "    WHERE p.prokind IN ('f', 'p', 'w') AND {}\n"
        "    UNION ALL\n"
        "    SELECT 'TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname), "
        "t.typacl,\n"
        "        acldefault('T', t.typowner)\n"
        "    FROM pg_type t JOIN ns n ON n.oid = t.typnamespace\n"
        "    WHERE t.typtype IN ('e', 'd', 'r') AND {}\n"
        ") x\n"
        "WHERE acl IS NOT NULL AND ARRAY(SELECT a::text FROM unnest(acl) a ORDER BY 1)\n"
        "    <> ARRAY(SELECT a::text FROM unnest(def) a ORDER BY 1)\n"
        "ORDER BY 1",
        rel_cte(), not_extension_member("pg_proc", "p.oid"),
        not_extension_member("pg_type", "t.oid")));
    return q;
}

std::string text(const result& r, int row, int col) {
    return std::string(r.text(row, col));
}

bool flag(const result& r, int row, int col) {
    return r.text(row, col) == "t";
}

void read_relations(const result& r, model& m) {
    for (int i = 0; i < r.rows(); ++i) {
        char kind = r.text(i, 1).front();
        if (kind == 'S') {
            m.sequences.push_back({text(r, i, 0), text(r, i, 11), text(r, i, 12), text(r, i, 13),
                                   text(r, i, 14), text(r, i, 15), text(r, i, 16), flag(r, i, 17),
                                   text(r, i, 18)});
        } else if (kind == 'v' || kind == 'm') {
            m.views.push_back({text(r, i, 0),
                               kind == 'm',
                               text(r, i, 9),
                               detail::parse_text_array(r.text(i, 6)),
                               detail::parse_text_array(r.text(i, 10)),
                               {}});
        } else {
            table t;
            t.name = text(r, i, 0);
            t.kind = kind;
            t.unlogged = flag(r, i, 2);
            t.partition_key = text(r, i, 3);
            t.partition_of = text(r, i, 4);
            t.partition_bound = text(r, i, 5);
            t.options = detail::parse_text_array(r.text(i, 6));
            t.row_security = flag(r, i, 7);
            t.force_row_security = flag(r, i, 8);
            m.tables.push_back(std::move(t));
        }
    }
}

void read_table_parts(const std::vector<result>& rs, model& m) {
    for (int i = 0; i < rs[3].rows(); ++i) {
        if (table* t = find_named(m.tables, rs[3].text(i, 0))) {
            t->columns.push_back({text(rs[3], i, 1), text(rs[3], i, 2), flag(rs[3], i, 3),
                                  text(rs[3], i, 6), text(rs[3], i, 4), text(rs[3], i, 5),
                                  text(rs[3], i, 7), flag(rs[3], i, 8)});
        }
    }
    for (int i = 0; i < rs[4].rows(); ++i) {
        if (table* t = find_named(m.tables, rs[4].text(i, 0))) {
            t->constraints.push_back({text(rs[4], i, 1), rs[4].text(i, 2).front(),
                                      text(rs[4], i, 3), text(rs[4], i, 4)});
        }
    }
    for (int i = 0; i < rs[5].rows(); ++i) {
        index ix{text(rs[5], i, 1), text(rs[5], i, 2)};
        if (table* t = find_named(m.tables, rs[5].text(i, 0))) {
            t->indexes.push_back(std::move(ix));
        } else if (view* v = find_named(m.views, rs[5].text(i, 0))) {
            v->indexes.push_back(std::move(ix));
        }
    }
    for (int i = 0; i < rs[6].rows(); ++i) {
        if (table* t = find_named(m.tables, rs[6].text(i, 0))) {
            t->triggers.push_back({text(rs[6], i, 1), text(rs[6], i, 2), rs[6].text(i, 3).front()});
        }
    }
    for (int i = 0; i < rs[7].rows(); ++i) {
        if (table* t = find_named(m.tables, rs[7].text(i, 0))) {
            t->policies.push_back({text(rs[7], i, 1), flag(rs[7], i, 2), text(rs[7], i, 3),
                                   detail::parse_text_array(rs[7].text(i, 4)), text(rs[7], i, 5),
                                   text(rs[7], i, 6)});
        }
    }
}

void read_types(const std::vector<result>& rs, model& m) {
    const result& r = rs[9];
    for (int i = 0; i < r.rows(); ++i) {
        type t;
        t.name = text(r, i, 0);
        t.kind = r.text(i, 1).front();
        if (t.kind == 'e') {
            t.labels = detail::parse_text_array(r.text(i, 2));
        }
        t.base = text(r, i, 3);
        t.not_null = flag(r, i, 4);
        t.default_expr = text(r, i, 5);
        m.types.push_back(std::move(t));
    }
    for (int i = 0; i < rs[10].rows(); ++i) {
        if (type* t = find_named(m.types, rs[10].text(i, 0))) {
            t->constraints.push_back(
                {text(rs[10], i, 1), rs[10].text(i, 2).front(), text(rs[10], i, 3), {}});
        }
    }
    for (int i = 0; i < rs[11].rows(); ++i) {
        if (type* t = find_named(m.types, rs[11].text(i, 0))) {
            column c;
            c.name = text(rs[11], i, 1);
            c.type = text(rs[11], i, 2);
            t->attributes.push_back(std::move(c));
        }
    }
}

void replace_all(std::string& sql, std::string_view marker, std::string_view value) {
    for (auto at = sql.find(marker); at != std::string::npos;
         at = sql.find(marker, at + value.size())) {
        sql.replace(at, marker.size(), value);
    }
}

std::string array_literal(const std::vector<std::string>& items) {
    return quote_literal(detail::format_text_array(items)) + "::text[]";
}

} // namespace

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
    // Literals rather than parameters, so that every statement goes in one round trip.
    std::string preamble = detail::scope_ctes(array_literal(scope.skip_relations),
                                              array_literal(scope.exclude_schemas));
    // With an empty search path the server qualifies every name it prints (types, tables in
    // definitions), so a model does not depend on the session that read it. The statements of
    // one query string form one transaction: SET LOCAL ends with it.
    std::string sql = "SET LOCAL search_path = '';\n";
    for (auto& q : queries()) {
        sql += preamble + (q.rfind(", rel AS", 0) == 0 ? "" : "\n") + q + ";\n";
    }
    replace_all(sql, "@SKIP_SCHEMAS@", array_literal(scope.skip_schemas));
    std::vector<result> all = conn.exec_all(sql);
    const std::vector<result> rs(all.begin() + 1, all.end());
    model m;
    for (int i = 0; i < rs[0].rows(); ++i) {
        m.schemas.push_back(text(rs[0], i, 0));
    }
    for (int i = 0; i < rs[1].rows(); ++i) {
        m.extensions.push_back({text(rs[1], i, 0), text(rs[1], i, 1), text(rs[1], i, 2)});
    }
    read_relations(rs[2], m);
    read_table_parts(rs, m);
    for (int i = 0; i < rs[8].rows(); ++i) {
        m.functions.push_back(
            {text(rs[8], i, 0), rs[8].text(i, 1).front(), text(rs[8], i, 2), text(rs[8], i, 3)});
    }
    read_types(rs, m);
    for (int i = 0; i < rs[12].rows(); ++i) {
        m.comments.emplace(text(rs[12], i, 0), text(rs[12], i, 1));
    }
    for (int i = 0; i < rs[13].rows(); ++i) {
        m.grants.emplace(text(rs[13], i, 0),
                         privileges{detail::parse_text_array(rs[13].text(i, 1)),
                                    detail::parse_text_array(rs[13].text(i, 2))});
    }
    return m;
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
            add(fmt::format("column {}.{}: {}{}{}{}{}{}{}", t.name, c.name, c.type,
                            c.not_null ? " not null" : "",
                            c.identity.empty() ? "" : " identity " + c.identity,
                            c.generated.empty() ? "" : " generated " + c.generated,
                            c.default_expr.empty() ? "" : " default " + c.default_expr,
                            c.collation.empty() ? "" : " collate " + c.collation,
                            c.inherited ? " inherited" : ""));
        }
        for (const auto& c : t.constraints) {
            add(fmt::format("constraint {}.{}: {}", t.name, c.name, c.definition));
        }
        for (const auto& i : t.indexes) {
            add(fmt::format("index {}: {}", i.name, i.definition));
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
        add(fmt::format("{} {}: {}{}", v.materialized ? "matview" : "view", v.name, v.definition,
                        v.options.empty() ? "" : " with " + detail::format_text_array(v.options)));
        for (const auto& i : v.indexes) {
            add(fmt::format("index {}: {}", i.name, i.definition));
        }
    }
    for (const auto& f : m.functions) {
        add(fmt::format("{} {}: {}", f.kind == 'p' ? "procedure" : "function", f.signature,
                        f.definition));
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
