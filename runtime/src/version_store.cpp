#include <pgmig/detail/numbers.hpp>
#include <pgmig/detail/text_array.hpp>
#include <pgmig/version_store.hpp>

#include <fmt/format.h>

#include <cctype>
#include <set>
#include <thread>

#ifndef PGMIG_VERSION
#define PGMIG_VERSION "0.0.0"
#endif

namespace pgmig {
namespace {

/// Class id of pgmig's advisory locks ('pgmg'); the object id hashes the version table.
constexpr const char* lock_class = "1885826407";

/// The step guard: a transaction-level lock every revision transaction holds (see
/// migration_lock); $1 is the lock key.
std::string step_guard_call() {
    return fmt::format("pg_advisory_xact_lock({}, hashtext($1 || ':step'))", lock_class);
}

param text_param(std::string_view s) {
    return std::string(s);
}

param array_param(const std::vector<std::string>& items) {
    return detail::format_text_array(items);
}

/// The checksum stored beside a revision's downgrade SQL, so that SQL edited in the history table
/// afterwards is refused: FNV-1a over the statements, prefixed with the algorithm's name.
std::string downgrade_checksum(const std::vector<std::string>& statements) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const auto& sql : statements) {
        for (unsigned char c : sql) {
            h = (h ^ c) * 0x100000001b3ULL;
        }
        h = (h ^ 0xFFU) * 0x100000001b3ULL; // a separator no statement text holds
    }
    return fmt::format("fnv1a64:{:016x}", h);
}

std::vector<std::string> sqls(const std::vector<statement>& statements) {
    std::vector<std::string> out;
    out.reserve(statements.size());
    for (const auto& s : statements) {
        out.push_back(s.sql);
    }
    return out;
}

/// What the history keeps of a revision, enough to rebuild it in a build that lacks it: one
/// entry per column, written by revision_params and read back by recorded_revisions.
struct history_column {
    const char* name;
    const char* cast; ///< of the parameter
    param (*write)(const revision&);
    void (*read)(const result&, int row, int column, revision&);
};

const history_column history_columns[] = {
    {"revision", "", [](const revision& r) { return text_param(r.id); },
     [](const result& q, int i, int c, revision& r) {
         r.id = q.text(i, c);
     }},
    {"checksum", "", [](const revision& r) { return text_param(r.checksum); },
     [](const result& q, int i, int c, revision& r) {
         r.checksum = q.text(i, c);
     }},
    {"message", "", [](const revision& r) { return text_param(r.message); },
     [](const result& q, int i, int c, revision& r) {
         r.message = q.text(i, c);
     }},
    {"revises", "::text[]", [](const revision& r) { return array_param(r.revises); },
     [](const result& q, int i, int c, revision& r) {
         r.revises = detail::parse_text_array(q.text(i, c));
     }},
    {"depends_on", "::text[]", [](const revision& r) { return array_param(r.depends_on); },
     [](const result& q, int i, int c, revision& r) {
         r.depends_on = detail::parse_text_array(q.text(i, c));
     }},
    {"transactional", "::boolean",
     [](const revision& r) { return text_param(r.transactional ? "true" : "false"); },
     [](const result& q, int i, int c, revision& r) {
         r.transactional = q.text(i, c) == "t";
     }},
    // NULL for C++ revisions: their downgrade is code, which only a build that has it can run.
    {"downgrade_sql", "::text[]",
     [](const revision& r) { return r.is_cpp() ? param() : array_param(sqls(r.downgrade)); },
     [](const result& q, int i, int c, revision& r) {
         if (q.is_null(i, c)) {
             r.irreversible = "a C++ revision; only a build that contains it can downgrade it";
             return;
         }
         // Which stored statements could share a transaction is not recorded: outside a
         // transaction each runs alone, as CREATE INDEX CONCURRENTLY and the like must.
         int n = 0;
         for (auto& sql : detail::parse_text_array(q.text(i, c))) {
             r.downgrade.push_back({std::move(sql), ++n, !r.transactional});
         }
     }},
    // Read after downgrade_sql: a stored text that does not match it is never run.
    {"downgrade_checksum", "",
     [](const revision& r) {
         return r.is_cpp() ? param() : param(downgrade_checksum(sqls(r.downgrade)));
     },
     [](const result& q, int i, int c, revision& r) {
         if (r.irreversible) {
             return; // a C++ revision: no SQL stored
         }
         std::vector<std::string> stored;
         for (const auto& s : r.downgrade) {
             stored.push_back(s.sql);
         }
         if (q.is_null(i, c) || q.text(i, c).empty()) {
             r.stored_sql = stored_sql_check::unverified;
         } else if (q.text(i, c) != downgrade_checksum(stored)) {
             r.stored_sql = stored_sql_check::mismatch;
             r.irreversible = "its downgrade SQL in the history table does not match the checksum "
                              "recorded with it (edited since it was stored); pgmig will not run "
                              "it";
         } else {
             r.stored_sql = stored_sql_check::verified;
         }
     }},
    // Written, not read back: a revision rebuilt from the history runs without lint. Tables
    // made before this column are read as they are until a write adds it (upgrade_tables).
    {"safety_assured", "::text[]", [](const revision& r) { return array_param(r.safety_assured); },
     nullptr},
    {"kind", "", [](const revision& r) { return text_param(r.is_cpp() ? "cpp" : "sql"); },
     [](const result&, int, int, revision&) {
     }},
    {"file", "", [](const revision& r) { return text_param(r.where.file); },
     [](const result& q, int i, int c, revision& r) {
         r.where = {std::string(q.text(i, c)), 0};
     }},
};
constexpr std::size_t history_column_count = std::size(history_columns);
/// The position of a column in history_columns (and of its parameter, less one).
std::size_t history_column_index(std::string_view name) {
    for (std::size_t i = 0; i < history_column_count; ++i) {
        if (name == history_columns[i].name) {
            return i;
        }
    }
    throw error(fmt::format("no history column {}", name));
}

std::vector<param> revision_params(const revision& rev) {
    std::vector<param> out;
    out.reserve(history_column_count + 8);
    for (const auto& c : history_columns) {
        out.push_back(c.write(rev));
    }
    return out;
}

/// `revision, checksum, ..., set_name` and `$1, $2::text[], ..., 'app_db'`: the columns of
/// revision_params, and the set that writes the row.
std::string revision_columns() {
    std::string out;
    for (const auto& c : history_columns) {
        out += std::string(c.name) + ", ";
    }
    return out + "set_name";
}

std::string revision_values(const std::string& set_literal) {
    std::string out;
    for (std::size_t i = 0; i < history_column_count; ++i) {
        out += fmt::format("${}{}, ", i + 1, history_columns[i].cast);
    }
    return out + set_literal;
}

} // namespace

/// The CTEs that move the set's version rows: delete the rows in parameter `removed`, insert
/// those in `added` (both text arrays). Every statement that moves rows starts with this.
std::string version_store::move_rows(int removed, int added) const {
    // A row in both lists stays: the sub-statements of one statement run in no set order, so
    // deleting and inserting the same key could meet the row still there.
    return fmt::format(
        "WITH gone AS (DELETE FROM {0} WHERE set_name = {1} AND version_num = ANY(${2}::text[])\n"
        "         AND version_num <> ALL(${3}::text[])),\n"
        "     added AS (INSERT INTO {0} (set_name, version_num) SELECT {1}, v\n"
        "         FROM unnest(${3}::text[]) AS v WHERE v <> ALL(${2}::text[]))",
        m_version, m_set, removed, added);
}

std::string version_store::own() const {
    return m_legacy ? std::string("true") : "set_name = " + m_set;
}

namespace {

/// The history row of the transaction-off step in progress on this session (begin_step).
constexpr const char* current_history_id = "current_setting('pgmig.history_id')::bigint";

std::string iso_time(std::string_view column) {
    return fmt::format("to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
                       column);
}

std::string digest_text(std::uint64_t digest) {
    return fmt::format("{:016x}", digest);
}

} // namespace

std::uint64_t revision_fingerprint(const revision& rev) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](std::string_view text) {
        for (unsigned char c : text) {
            h ^= c;
            h *= 0x100000001b3ULL;
        }
    };
    mix(rev.id);
    mix(":");
    mix(rev.checksum);
    return h;
}

std::uint64_t applied_digest(const std::vector<const revision*>& applied) {
    std::uint64_t digest = 0;
    for (const revision* r : applied) {
        digest ^= revision_fingerprint(*r);
    }
    return digest;
}

version_store::version_store(const set_settings& settings)
    : m_set(quote_literal(settings.identity.empty() ? settings.name : settings.identity)),
      m_schema(quote_identifier(settings.schema)),
      m_version(m_schema + "." + quote_identifier(settings.version_table)),
      m_history(m_schema + "." + quote_identifier(settings.history_table)),
      m_version_name(settings.version_table), m_history_name(settings.history_table) {}

std::string version_store::lock_key() const {
    return m_version;
}

std::vector<sql_command> version_store::create_tables() const {
    std::vector<sql_command> out;
    if (m_schema != "\"public\"") {
        // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when
        // the schema exists, which a role that owns its schema often lacks.
        const std::string create = fmt::format("CREATE SCHEMA {}", m_schema);
        constexpr std::string_view tag = "$pgmig_schema$";
        out.push_back(
            {create.find(tag) != std::string::npos
                 ? fmt::format("CREATE SCHEMA IF NOT EXISTS {}", m_schema)
                 : fmt::format("DO {0} BEGIN\n"
                               "    IF to_regnamespace({1}) IS NULL THEN EXECUTE {2}; END IF;\n"
                               "END {0}",
                               tag, quote_literal(m_schema), quote_literal(create)),
             {}});
    }
    // Several sets may share these tables: each row says which set wrote it (set_name).
    out.push_back({fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                               "    set_name text NOT NULL DEFAULT '',\n"
                               "    version_num text NOT NULL,\n"
                               "    PRIMARY KEY (set_name, version_num)\n"
                               ")",
                               m_version),
                   {}});
    out.push_back({fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                               "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                               "    set_name text NOT NULL DEFAULT '',\n"
                               "    revision text NOT NULL,\n"
                               "    direction text NOT NULL CHECK (direction IN "
                               "('upgrade', 'downgrade', 'stamp', 'unstamp', 'accept')),\n"
                               "    checksum text,\n"
                               "    message text NOT NULL DEFAULT '',\n"
                               "    revises text[] NOT NULL DEFAULT '{{}}',\n"
                               "    depends_on text[] NOT NULL DEFAULT '{{}}',\n"
                               "    transactional boolean NOT NULL DEFAULT true,\n"
                               "    downgrade_sql text[],\n"
                               "    downgrade_checksum text,\n"
                               "    safety_assured text[] NOT NULL DEFAULT '{{}}',\n"
                               "    kind text NOT NULL DEFAULT 'sql',\n"
                               "    file text,\n"
                               "    statements_total integer,\n"
                               "    statements_done integer NOT NULL DEFAULT 0,\n"
                               "    completed_sql text[] NOT NULL DEFAULT '{{}}',\n"
                               "    note text,\n"
                               "    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
                               "    finished_at timestamptz,\n"
                               "    duration_ms double precision,\n"
                               "    db_user text NOT NULL DEFAULT current_user,\n"
                               "    tool_version text NOT NULL,\n"
                               "    applied_digest text\n"
                               ")",
                               m_history),
                   {}});
    out.push_back({fmt::format("CREATE INDEX IF NOT EXISTS {} ON {} (set_name, revision, id)",
                               quote_identifier(m_history_name + "_revision_idx"), m_history),
                   {}});
    // Every state read looks for unfinished steps; this keeps that lookup off a long history.
    out.push_back({fmt::format("CREATE INDEX IF NOT EXISTS {} ON {} (id) WHERE finished_at IS NULL",
                               quote_identifier(m_history_name + "_unfinished_idx"), m_history),
                   {}});
    // The history holds SQL that a downgrade may run: only its owner may write it.
    out.push_back({fmt::format("REVOKE ALL ON {}, {} FROM PUBLIC", m_version, m_history), {}});
    return out;
}

sql_command version_store::step_started(const std::string& guard_key) {
    if (guard_key.empty()) {
        return {"SELECT set_config('pgmig.step_started', clock_timestamp()::text, true)",
                {},
                "pgmig_step_started"};
    }
    return {fmt::format("SELECT {},\n"
                        "    set_config('pgmig.step_started', clock_timestamp()::text, true)",
                        step_guard_call()),
            {guard_key},
            "pgmig_step_guard"};
}

sql_command version_store::record_step(const plan_step& step, std::uint64_t digest,
                                       bool move_rows_too) const {
    const revision& rev = *step.rev;
    std::vector<param> params = revision_params(rev);
    const auto n = static_cast<int>(history_column_count);
    params.push_back(text_param(to_string(step.dir))); // n+1
    params.push_back(array_param(step.rows_removed));  // n+2
    params.push_back(array_param(step.rows_added));    // n+3
    params.push_back(std::to_string(step.dir == direction::upgrade ? rev.upgrade.size()
                                                                   : rev.downgrade.size())); // n+4
    params.push_back(text_param(tool_version()));                                            // n+5
    params.push_back(rev.origin == revision_origin::recorded                                 // n+6
                         ? param("downgraded from the SQL stored in this history table; the "
                                 "build that ran it did not know the revision")
                         : std::nullopt);
    params.push_back(digest_text(digest)); // n+7
    if (step.dir == direction::downgrade) {
        // The downgrade SQL is kept only while the revision is applied.
        params[history_column_index("downgrade_sql")] = std::nullopt;
        params[history_column_index("downgrade_checksum")] = std::nullopt;
    }
    // Without moving rows, the row parameters are still sent so that both forms share them.
    const std::string rows =
        move_rows_too
            ? move_rows(n + 2, n + 3) + "\n"
            : fmt::format("WITH rows AS (SELECT ${}::text[], ${}::text[])\n", n + 2, n + 3);
    return {
        fmt::format("{0}"
                    "INSERT INTO {1} ({2}, direction, statements_total, statements_done,\n"
                    "    started_at, finished_at, duration_ms, tool_version, note, "
                    "applied_digest)\n"
                    "VALUES ({3}, ${4}, ${5}::integer, ${5}::integer,\n"
                    "    current_setting('pgmig.step_started')::timestamptz, "
                    "clock_timestamp(),\n"
                    "    1000 * extract(epoch FROM clock_timestamp()\n"
                    "        - current_setting('pgmig.step_started')::timestamptz), ${6}, ${7}, "
                    "${8})",
                    rows, m_history, revision_columns(), revision_values(m_set), n + 1, n + 4,
                    n + 5, n + 6, n + 7),
        std::move(params), move_rows_too ? "pgmig_record_step" : "pgmig_record_history"};
}

sql_command version_store::vacuum_version_table() const {
    return {fmt::format("VACUUM {}", m_version), {}};
}

sql_command version_store::set_rows(const std::vector<std::string>& before,
                                    const std::vector<std::string>& after) const {
    return {move_rows(1, 2) + "\nSELECT 1", {array_param(before), array_param(after)}};
}

sql_command version_store::begin_step(const plan_step& step) const {
    const revision& rev = *step.rev;
    std::vector<param> params = revision_params(rev);
    const auto n = static_cast<int>(history_column_count);
    params.push_back(text_param(to_string(step.dir)));
    params.push_back(
        std::to_string(step.dir == direction::upgrade ? rev.upgrade.size() : rev.downgrade.size()));
    params.push_back(text_param(tool_version()));
    return {fmt::format("WITH step AS (\n"
                        "    INSERT INTO {0} ({1}, direction, statements_total, tool_version)\n"
                        "    VALUES ({2}, ${3}, ${4}::integer, ${5}) RETURNING id)\n"
                        "SELECT set_config('pgmig.history_id', id::text, false) FROM step",
                        m_history, revision_columns(), revision_values(m_set), n + 1, n + 2, n + 3),
            std::move(params)};
}

sql_command version_store::resume_step(std::int64_t history_id) {
    return {"SELECT set_config('pgmig.history_id', $1, false)", {std::to_string(history_id)}};
}

sql_command version_store::abandon_steps(const std::vector<std::int64_t>& history_ids) const {
    std::vector<std::string> ids;
    for (auto id : history_ids) {
        ids.push_back(std::to_string(id));
    }
    return {fmt::format("UPDATE {} SET finished_at = clock_timestamp(), duration_ms = 0, "
                        "checksum = NULL,\n"
                        "    note = 'abandoned: stopped before its first statement completed, so "
                        "nothing of it ran'\n"
                        "WHERE id = ANY($1::bigint[]) AND finished_at IS NULL AND {}",
                        m_history, own()),
            {array_param(ids)}};
}

sql_command version_store::record_statement(std::string_view sql) const {
    return {fmt::format("UPDATE {} SET statements_done = statements_done + 1,\n"
                        "    completed_sql = completed_sql || $1::text WHERE id = {}",
                        m_history, current_history_id),
            {text_param(sql)}};
}

sql_command version_store::finish_step(const plan_step& step, std::uint64_t digest) const {
    return {fmt::format("{0}\n"
                        "UPDATE {1} SET finished_at = clock_timestamp(),\n"
                        "    duration_ms = 1000 * extract(epoch FROM clock_timestamp() - "
                        "started_at),\n"
                        "    checksum = $3, applied_digest = $4 WHERE id = {2}",
                        move_rows(1, 2), m_history, current_history_id),
            {array_param(step.rows_removed), array_param(step.rows_added),
             text_param(step.rev->checksum), digest_text(digest)}};
}

sql_command version_store::stamp(const std::vector<std::string>& rows_before,
                                 const std::vector<const revision*>& added_revisions,
                                 const std::vector<std::string>& rows_after,
                                 const std::vector<std::string>& removed,
                                 std::uint64_t digest) const {
    // One array per history column, a revision per element: the rows stamped revisions get are
    // written by the same history_columns as the rows of a run.
    std::vector<param> params{array_param(rows_before), array_param(rows_after),
                              text_param(tool_version()), array_param(removed),
                              digest_text(digest)};
    std::string arrays;
    std::string names;
    std::string values;
    for (std::size_t c = 0; c < history_column_count; ++c) {
        std::vector<param> column;
        for (const revision* r : added_revisions) {
            column.push_back(history_columns[c].write(*r));
        }
        params.push_back(detail::format_nullable_text_array(column));
        arrays += fmt::format("{}${}::text[]", c == 0 ? "" : ", ", params.size());
        names += fmt::format("{}{}", c == 0 ? "" : ", ", history_columns[c].name);
        values += fmt::format("s.{}{}, ", history_columns[c].name, history_columns[c].cast);
    }
    // Revisions that stop counting as applied get an 'unstamp' row: recorded checksums and
    // stored downgrades then no longer describe what the database holds.
    return {
        fmt::format(
            "{0},\n"
            "     settled AS (UPDATE {1} SET finished_at = clock_timestamp(),\n"
            "         note = 'interrupted; settled by stamp' WHERE finished_at IS NULL AND {2}),\n"
            "     unstamped AS (INSERT INTO {1} (set_name, revision, direction, finished_at,\n"
            "         duration_ms, tool_version, note, applied_digest)\n"
            "         SELECT {3}, unnest($4::text[]), 'unstamp', clock_timestamp(), 0, $3,\n"
            "         'stamped as not applied', $5),\n"
            "     stamped AS (INSERT INTO {1} ({4}, direction, finished_at, duration_ms,\n"
            "         tool_version, note, applied_digest)\n"
            "     SELECT {5}{3}, 'stamp', clock_timestamp(), 0, $3, 'stamped without running', $5\n"
            "     FROM unnest({6}) AS s({7})\n"
            "     RETURNING 1)\n"
            "SELECT count(*) FROM stamped",
            move_rows(1, 2), m_history, own(), m_set, revision_columns(), values, arrays, names),
        std::move(params)};
}

sql_command version_store::accept(const revision& rev, std::string_view old_checksum) const {
    std::vector<param> params = revision_params(rev);
    params.push_back(text_param(tool_version()));
    params.push_back(fmt::format("accepted a changed revision text; the previous checksum was {}",
                                 old_checksum.empty() ? "not recorded" : old_checksum));
    const auto n = static_cast<int>(history_column_count);
    return {fmt::format("INSERT INTO {} ({}, direction, finished_at, duration_ms, tool_version, "
                        "note)\n"
                        "VALUES ({}, 'accept', clock_timestamp(), 0, ${}, ${})",
                        m_history, revision_columns(), revision_values(m_set), n + 1, n + 2),
            std::move(params)};
}

sql_command version_store::set_digest(std::uint64_t digest) const {
    return {fmt::format("UPDATE {0} SET applied_digest = $1\n"
                        "WHERE id = (SELECT max(id) FROM {0} WHERE direction = 'accept' AND {1})",
                        m_history, own()),
            {digest_text(digest)}};
}

db_state version_store::load(connection& conn) const {
    db_state state;
    // Invalid indexes ride along: an interrupted CREATE INDEX CONCURRENTLY leaves one behind.
    // Tables written before pgmig recorded sets lack set_name: read them as they are (every
    // row this set's), until a write upgrades them (upgrade_tables).
    result exists =
        conn.exec("SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL,\n"
                  "    ARRAY(SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid "
                  "ORDER BY 1),\n"
                  "    NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass($1)\n"
                  "        AND attname = 'set_name' AND NOT attisdropped),\n"
                  "    NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass($2)\n"
                  "        AND attname = 'safety_assured' AND NOT attisdropped)",
                  {m_version, m_history});
    state.initialized = exists.text(0, 0) == "t";
    state.invalid_indexes = detail::parse_text_array(exists.text(0, 1));
    if (!state.initialized) {
        return state;
    }
    state.legacy_tables = m_legacy = exists.text(0, 2) == "t";
    state.history_lacks_columns = exists.text(0, 3) == "t";
    // The latest history row that carries a digest describes the applied set: found by a
    // backward scan of the primary key, whatever the history's length.
    auto results = conn.exec_all(fmt::format(
        "SELECT version_num FROM {0} WHERE {2} ORDER BY version_num;\n"
        "SELECT applied_digest FROM {1} WHERE applied_digest IS NOT NULL AND {2}\n"
        "    ORDER BY id DESC LIMIT 1;\n"
        "SELECT id, revision, direction, statements_done, completed_sql, coalesce(checksum, '')\n"
        "    FROM {1} WHERE finished_at IS NULL AND {2} ORDER BY id;\n"
        "SELECT {3}",
        m_version, m_history, own(),
        m_legacy ? std::string("'{}'::text[]")
                 : fmt::format("ARRAY(SELECT DISTINCT set_name FROM {} WHERE NOT ({}) "
                               "ORDER BY 1)",
                               m_version, own())));
    for (int i = 0; i < results[0].rows(); ++i) {
        state.rows.emplace_back(results[0].text(i, 0));
    }
    if (results[1].rows() > 0) {
        state.digest =
            detail::parse_number<std::uint64_t>(results[1].text(0, 0), "an applied-set digest", 16);
    } else if (state.rows.empty()) {
        state.digest = 0; // nothing applied, nothing recorded
    }
    const result& unfinished = results[2];
    for (int i = 0; i < unfinished.rows(); ++i) {
        const result& r = unfinished;
        interrupted_step step;
        step.history_id = detail::parse_number<std::int64_t>(r.text(i, 0), "a history id");
        step.revision = r.text(i, 1);
        step.dir = r.text(i, 2) == "downgrade" ? direction::downgrade : direction::upgrade;
        step.statements_done = detail::parse_number<int>(r.text(i, 3), "a statement count");
        step.completed_sql = detail::parse_text_array(r.text(i, 4));
        step.checksum = r.text(i, 5);
        state.interrupted.push_back(std::move(step));
    }
    state.other_sets = detail::parse_text_array(results[3].text(0, 0));
    return state;
}

std::vector<sql_command> version_store::upgrade_tables(const std::vector<std::string>& known,
                                                       bool legacy) const {
    // A column added since: existing rows get its empty default, with no rewrite.
    std::vector<sql_command> out{
        {fmt::format("ALTER TABLE {} ADD COLUMN IF NOT EXISTS safety_assured text[] NOT NULL "
                     "DEFAULT '{{}}'",
                     m_history),
         {}}};
    if (!legacy) {
        return out;
    }
    // Rows written before sets were recorded become this set's when it knows the revision; the
    // rest stay unclaimed for the set they belong to.
    std::vector<sql_command> sets{
        {fmt::format("ALTER TABLE {} ADD COLUMN IF NOT EXISTS set_name text NOT NULL DEFAULT ''",
                     m_version),
         {}},
        {fmt::format("ALTER TABLE {} ADD COLUMN IF NOT EXISTS set_name text NOT NULL DEFAULT '', "
                     "ADD COLUMN IF NOT EXISTS downgrade_checksum text",
                     m_history),
         {}},
        {fmt::format("UPDATE {} SET set_name = {} WHERE set_name = '' AND version_num = "
                     "ANY($1::text[])",
                     m_version, m_set),
         {array_param(known)}},
        {fmt::format("UPDATE {} SET set_name = {} WHERE set_name = '' AND revision = "
                     "ANY($1::text[])",
                     m_history, m_set),
         {array_param(known)}},
        {fmt::format("REVOKE ALL ON {}, {} FROM PUBLIC", m_version, m_history), {}},
    };
    out.insert(out.end(), sets.begin(), sets.end());
    return out;
}

std::map<std::string, std::string> version_store::recorded_checksums(connection& conn) const {
    result r = conn.exec(fmt::format(
        "SELECT DISTINCT ON (revision) revision, checksum FROM {}\n"
        "    WHERE direction IN ('upgrade', 'stamp', 'accept') AND finished_at IS NOT NULL\n"
        "    AND {} ORDER BY revision, id DESC",
        m_history, own()));
    std::map<std::string, std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.emplace(r.text(i, 0), r.text(i, 1));
    }
    return out;
}

std::vector<revision> version_store::recorded_revisions(connection& conn,
                                                        const std::vector<std::string>& ids) const {
    std::string columns;
    for (const auto& c : history_columns) {
        if (c.read == nullptr) {
            continue;
        }
        columns += (columns.empty() ? "" : ", ") + (c.cast == std::string_view("")
                                                        ? fmt::format("coalesce({0}, '')", c.name)
                                                        : std::string(c.name));
    }
    result r = conn.exec(
        fmt::format(
            "SELECT DISTINCT ON (revision) {}\n"
            "FROM {} WHERE revision = ANY($1::text[]) AND direction IN ('upgrade', 'stamp')\n"
            "ORDER BY revision, id DESC",
            columns, m_history),
        {array_param(ids)});
    std::vector<revision> out;
    for (int i = 0; i < r.rows(); ++i) {
        revision rev;
        int column = 0;
        for (const auto& c : history_columns) {
            if (c.read != nullptr) {
                c.read(r, i, column++, rev);
            }
        }
        rev.origin = revision_origin::recorded;
        out.push_back(std::move(rev));
    }
    return out;
}

std::vector<history_entry> version_store::log(connection& conn, int limit) const {
    result r = conn.exec(
        fmt::format("SELECT id, revision, direction, coalesce(checksum, ''), message, {}, "
                    "coalesce({}, ''),\n"
                    "    coalesce(duration_ms, 0), db_user, tool_version, coalesce(note, ''),\n"
                    "    statements_done, statements_total\n"
                    "FROM {} WHERE {} ORDER BY id DESC LIMIT $1::integer",
                    iso_time("started_at"), iso_time("finished_at"), m_history, own()),
        {std::to_string(limit)});
    std::vector<history_entry> out;
    for (int i = 0; i < r.rows(); ++i) {
        history_entry e;
        e.id = detail::parse_number<std::int64_t>(r.text(i, 0), "a history id");
        e.revision = r.text(i, 1);
        e.direction = r.text(i, 2);
        e.checksum = r.text(i, 3);
        e.message = r.text(i, 4);
        e.started_at = r.text(i, 5);
        e.finished_at = r.text(i, 6);
        e.duration_ms = detail::parse_number<double>(r.text(i, 7), "a duration");
        e.db_user = r.text(i, 8);
        e.tool_version = r.text(i, 9);
        e.note = r.text(i, 10);
        e.statements_done = detail::parse_number<int>(r.text(i, 11), "a statement count");
        if (!r.is_null(i, 12)) {
            e.statements_total = detail::parse_number<int>(r.text(i, 12), "a statement count");
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<lock_holder> migration_lock::holder(connection& conn, const std::string& key) {
    result r = conn.exec(
        fmt::format(
            "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''),\n"
            "    coalesce(a.client_addr::text, 'local socket'),\n"
            "    to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ')\n"
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid\n"
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2\n"
            "  AND l.database = (SELECT oid FROM pg_database WHERE datname = "
            "current_database())\n"
            "  AND l.classid::bigint = {}\n"
            "  AND l.objid::bigint = (hashtext($1)::bigint & 4294967295)",
            lock_class),
        {key});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return lock_holder{detail::parse_number<int>(r.text(0, 0), "a pid"), std::string(r.text(0, 1)),
                       std::string(r.text(0, 2)), std::string(r.text(0, 3)),
                       std::string(r.text(0, 4))};
}

migration_lock::migration_lock(connection& conn, const std::string& key,
                               std::chrono::milliseconds timeout)
    : m_conn(&conn), m_key(key) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    // Ask, and ask again after a pause, rather than wait inside pg_advisory_lock(): a waiting
    // statement holds a snapshot, and CREATE INDEX CONCURRENTLY in the holder's revision waits
    // for every older snapshot, so the two would wait for each other until the timeout.
    const std::string try_lock =
        fmt::format("SELECT pg_try_advisory_lock({}, hashtext($1)), pg_backend_pid()", lock_class);
    std::chrono::milliseconds pause{5};
    for (;;) {
        result r = conn.exec(try_lock, {key});
        if (r.text(0, 0) == "t") {
            m_backend = detail::parse_number<int>(r.text(0, 1), "a pid");
            break;
        }
        const auto now = clock::now();
        if (now >= deadline) {
            auto h = holder(conn, key);
            if (!h) {
                throw lock_error(fmt::format("another migrator held the migration lock on {} "
                                             "for longer than {} ms, and has released it since; "
                                             "try again",
                                             key, timeout.count()));
            }
            throw lock_error(fmt::format(
                "another migrator holds the migration lock on {}: pid {} (application '{}', user "
                "{}, from {}, connected since {}); gave up after waiting {} ms",
                key, h->pid, h->application, h->user, h->address, h->since, timeout.count()));
        }
        std::this_thread::sleep_for(std::min<clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
    // Wait out a transaction of a migrator that died holding the lock (see the class comment),
    // for what is left of the timeout: a dead migrator runs no index build to stall.
    try {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        conn.exec("SELECT set_config('lock_timeout', $1, false)",
                  {fmt::format("{}ms", std::max<long long>(left.count(), 1))});
        sql_command barrier = step_guard(key);
        conn.exec(barrier.text, barrier.params);
        conn.exec("RESET lock_timeout");
    } catch (const database_error& e) {
        conn.exec(fmt::format("SELECT pg_advisory_unlock({}, hashtext($1))", lock_class), {key});
        if (e.sqlstate() != "55P03") {
            throw;
        }
        throw lock_error(fmt::format("the transaction of a migrator that stopped is still running "
                                     "on {}; gave up after waiting {} ms",
                                     key, timeout.count()));
    }
}

void migration_lock::require_own_session(connection& main) {
    // Behind a pool in transaction mode (PgBouncer's pool_mode = transaction), the server
    // session that holds the lock serves whichever client comes next: another migrator would
    // get the lock again from it. Two of this migrator's connections then land on one server
    // session, or one connection on two: either shows it.
    const int main_backend =
        detail::parse_number<int>(main.exec("SELECT pg_backend_pid()").text(0, 0), "a pid");
    const int lock_backend =
        detail::parse_number<int>(m_conn->exec("SELECT pg_backend_pid()").text(0, 0), "a pid");
    if (main_backend == m_backend || lock_backend != m_backend) {
        throw lock_error(fmt::format(
            "the connection goes through a pool that hands server sessions to a new client at "
            "every transaction (PgBouncer with pool_mode = transaction?): the migration lock is "
            "held by server session {} and {} {}; a session lock means nothing there. Connect "
            "pgmig to PostgreSQL directly, or through a pool in session mode",
            m_backend,
            main_backend == m_backend ? "this migrator's other connection landed on it"
                                      : "the same connection is now on session",
            main_backend == m_backend ? std::string() : std::to_string(lock_backend)));
    }
}

sql_command migration_lock::step_guard(const std::string& key) {
    return {"SELECT " + step_guard_call(), {key}};
}

migration_lock::~migration_lock() {
    try {
        m_conn->exec(fmt::format("SELECT pg_advisory_unlock({}, hashtext($1))", lock_class),
                     {m_key});
    } catch (const error&) {
        // Closing the connection releases the lock anyway.
    }
}

const char* tool_version() {
    return PGMIG_VERSION;
}

} // namespace pgmig
