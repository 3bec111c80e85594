#include "snapshot_tracker.hpp"

#include <pgmig/schema_model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace pgmig::testing {
namespace {

constexpr const char* install_sql = R"SQL(
CREATE SCHEMA IF NOT EXISTS pgmig_test;
CREATE UNLOGGED TABLE IF NOT EXISTS pgmig_test.touched (classid oid, objid oid, command_tag text);
CREATE OR REPLACE FUNCTION pgmig_test.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pgmig_test.touched SELECT classid, objid, command_tag FROM pg_event_trigger_ddl_commands();
END $$;
CREATE OR REPLACE FUNCTION pgmig_test.log_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pgmig_test.touched SELECT classid, objid, 'DROP' FROM pg_event_trigger_dropped_objects();
END $$;
CREATE EVENT TRIGGER pgmig_test_ddl ON ddl_command_end EXECUTE FUNCTION pgmig_test.log_ddl();
CREATE EVENT TRIGGER pgmig_test_drop ON sql_drop EXECUTE FUNCTION pgmig_test.log_drop();
)SQL";

// What the logged DDL touched, as units (see snapshot_units), with one level of dependents:
// objects whose printed form names a touched relation (views, other tables' foreign keys,
// sequences owned by its columns, triggers, functions with SQL-standard bodies). A touched row
// with a NULL class is a command that did not say what it touched (GRANT, REVOKE).
constexpr const char* touched_template = R"SQL(
WITH t AS (DELETE FROM pgmig_test.touched RETURNING classid, objid),
mapped AS (
    SELECT t.classid, t.objid, @UNIT_OF_TOUCHED@ AS unit
    FROM t
)
SELECT 'touched', classid, objid, unit FROM mapped
UNION ALL
SELECT 'dependent', NULL, NULL, @UNIT_OF_DEPENDENT@
FROM pg_depend d
WHERE d.refclassid = 'pg_class'::regclass
  AND d.refobjid = ANY (ARRAY(SELECT substr(unit, 5)::oid FROM mapped WHERE unit LIKE 'rel:%'))
  AND d.classid IN ('pg_rewrite'::regclass, 'pg_constraint'::regclass, 'pg_trigger'::regclass,
                    'pg_class'::regclass, 'pg_proc'::regclass)
)SQL";

std::string touched_sql() {
    std::string sql = touched_template;
    for (const auto& [marker, table] : {std::pair{std::string_view("@UNIT_OF_TOUCHED@"), "t"},
                                        std::pair{std::string_view("@UNIT_OF_DEPENDENT@"), "d"}}) {
        sql.replace(sql.find(marker), marker.size(),
                    schema::unit_of_object_sql(fmt::format("{}.classid", table),
                                               fmt::format("{}.objid", table)));
    }
    return sql;
}

// Sub-objects of tables, with the table unit their lines belong to.
constexpr const char* owners_sql = R"SQL(
SELECT 'pg_class'::regclass::oid, indexrelid, 'rel:' || indrelid FROM pg_index WHERE indrelid = ANY ($1::oid[])
UNION ALL SELECT 'pg_trigger'::regclass::oid, oid, 'rel:' || tgrelid FROM pg_trigger WHERE tgrelid = ANY ($1::oid[])
UNION ALL SELECT 'pg_policy'::regclass::oid, oid, 'rel:' || polrelid FROM pg_policy WHERE polrelid = ANY ($1::oid[])
UNION ALL SELECT 'pg_constraint'::regclass::oid, oid, 'rel:' || conrelid FROM pg_constraint WHERE conrelid = ANY ($1::oid[])
UNION ALL SELECT 'pg_attrdef'::regclass::oid, oid, 'rel:' || adrelid FROM pg_attrdef WHERE adrelid = ANY ($1::oid[])
UNION ALL SELECT 'pg_rewrite'::regclass::oid, oid, 'rel:' || ev_class FROM pg_rewrite WHERE ev_class = ANY ($1::oid[])
)SQL";

unsigned to_oid(std::string_view text) {
    unsigned value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

std::string oid_array(const std::vector<std::string>& rel_units) {
    std::string out = "{";
    for (const auto& u : rel_units) {
        out += (out.size() > 1 ? "," : "") + u.substr(4); // "rel:<oid>"
    }
    return out + "}";
}

std::vector<std::string> rel_units_of(const std::vector<std::string>& units) {
    std::vector<std::string> out;
    std::copy_if(units.begin(), units.end(), std::back_inserter(out),
                 [](const std::string& u) { return u.rfind("rel:", 0) == 0; });
    return out;
}

} // namespace

snapshot_tracker::snapshot_tracker(connection& conn, snapshot_scope scope)
    : m_conn(conn), m_scope(std::move(scope)) {
    m_scope.exclude_schemas.emplace_back(log_schema);
    // The same few statements run thousands of times with different objects: planning them
    // each time (PostgreSQL's choice for these) would cost more than running them. The
    // catalogs they read are in memory, where a random read costs about what a sequential one
    // does; the default random_page_cost of 4 steers them to scanning whole catalogs instead.
    // An empty search path makes the server qualify every name it prints, as in every other
    // reading of the model.
    m_conn.exec("SET plan_cache_mode = force_generic_plan; SET random_page_cost = 1.1; "
                "SET search_path = ''");
}

bool snapshot_tracker::install_triggers() {
    try {
        m_conn.exec("BEGIN");
        m_conn.exec(install_sql);
        m_conn.exec("COMMIT");
        m_incremental = true;
    } catch (const database_error&) {
        m_conn.exec("ROLLBACK"); // not a superuser: every refresh reads everything
        m_incremental = false;
    }
    return m_incremental;
}

void snapshot_tracker::load() {
    auto all = snapshot_units(m_conn, m_scope);
    update(all);
    for (auto it = m_units.begin(); it != m_units.end();) {
        it = all.count(it->first) ? std::next(it) : m_units.erase(it);
    }
    if (m_incremental) {
        m_conn.exec("TRUNCATE pgmig_test.touched");
        std::vector<std::string> rels;
        for (const auto& [unit, lines] : m_units) {
            if (unit.rfind("rel:", 0) == 0) {
                rels.push_back(unit);
            }
        }
        learn_owners(rels);
    }
}

void snapshot_tracker::learn_owners(const std::vector<std::string>& rel_units) {
    if (rel_units.empty()) {
        return;
    }
    result r = m_conn.exec_prepared("pgmig_test_owners", owners_sql, {oid_array(rel_units)});
    for (int i = 0; i < r.rows(); ++i) {
        m_owner[{to_oid(r.text(i, 0)), to_oid(r.text(i, 1))}] = std::string(r.text(i, 2));
    }
}

void snapshot_tracker::refresh() {
    replan_if_grown();
    if (!m_incremental) {
        auto all = snapshot_units(m_conn, m_scope);
        for (const auto& [unit, lines] : m_units) {
            all.try_emplace(unit); // gone entirely: an empty unit
        }
        update(all);
        return;
    }
    static const std::string touched_text = touched_sql();
    result touched = m_conn.exec_prepared("pgmig_test_touched", touched_text, {});
    if (touched.rows() == 0) {
        return;
    }
    std::set<std::string> units;
    for (int i = 0; i < touched.rows(); ++i) {
        const bool dependent = touched.text(i, 0) == "dependent";
        if (!dependent && (touched.is_null(i, 1) || touched.is_null(i, 2))) {
            // GRANT, REVOKE and the like do not say what they touched: read everything.
            m_incremental = false;
            refresh();
            m_incremental = true;
            return;
        }
        if (!dependent) {
            std::pair<unsigned, unsigned> key{to_oid(touched.text(i, 1)),
                                              to_oid(touched.text(i, 2))};
            if (auto known = m_owner.find(key); known != m_owner.end()) {
                units.insert(known->second); // the object may be gone; its table is what changed
            }
        }
        if (!touched.is_null(i, 3)) {
            units.insert(std::string(touched.text(i, 3)));
        }
    }
    std::vector<std::string> wanted(units.begin(), units.end());
    update(snapshot_units(m_conn, m_scope, &wanted));
    learn_owners(rel_units_of(wanted));
}

void snapshot_tracker::replan_if_grown() {
    // Generic plans are made on first use, when the catalogs may hold a few rows; as the
    // migrations add tables, their sequential scans of pg_class and pg_depend come to cost
    // more than everything else in a step. Planning again whenever the schema has doubled
    // keeps index scans at a handful of re-plans per run.
    if (m_units.size() >= 2 * m_planned_for + 16) {
        m_conn.forget_prepared();
        if (m_incremental) { // its true size, not the guess made for a never-vacuumed table
            m_conn.exec("VACUUM pgmig_test.touched");
        }
        m_planned_for = m_units.size();
    }
}

void snapshot_tracker::update(const std::map<std::string, std::vector<std::string>>& fresh) {
    for (const auto& [unit, lines] : fresh) {
        auto current = m_units.find(unit);
        static const std::vector<std::string> none;
        const auto& old = current == m_units.end() ? none : current->second;
        if (old == lines) {
            continue;
        }
        for (auto& [handle, recorded] : m_checkpoints) {
            recorded.try_emplace(unit, old); // the state at the checkpoint, first change only
        }
        if (lines.empty()) {
            if (current != m_units.end()) {
                m_units.erase(current);
            }
        } else {
            m_units[unit] = lines;
        }
    }
}

int snapshot_tracker::checkpoint() {
    m_checkpoints[m_next];
    return m_next++;
}

snapshot_diff snapshot_tracker::changes_since(int handle) const {
    // Pool the lines of every unit that changed: an object dropped and created again comes
    // back under a new OID, so only the lines, not the units, can be compared.
    std::vector<std::string> then;
    std::vector<std::string> now;
    for (const auto& [unit, lines] : m_checkpoints.at(handle)) {
        then.insert(then.end(), lines.begin(), lines.end());
        if (auto current = m_units.find(unit); current != m_units.end()) {
            now.insert(now.end(), current->second.begin(), current->second.end());
        }
    }
    std::sort(then.begin(), then.end());
    std::sort(now.begin(), now.end());
    snapshot_diff out;
    std::set_difference(then.begin(), then.end(), now.begin(), now.end(),
                        std::back_inserter(out.removed));
    std::set_difference(now.begin(), now.end(), then.begin(), then.end(),
                        std::back_inserter(out.added));
    return out;
}

void snapshot_tracker::release(int handle) {
    m_checkpoints.erase(handle);
}

schema_snapshot snapshot_tracker::snapshot() const {
    schema_snapshot s;
    for (const auto& [unit, lines] : m_units) {
        s.lines.insert(s.lines.end(), lines.begin(), lines.end());
    }
    std::sort(s.lines.begin(), s.lines.end());
    return s;
}

} // namespace pgmig::testing
