#include "text_array.hpp"

#include <pgmig/version_store.hpp>

#include <fmt/format.h>

#include <cctype>
#include <set>

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

std::vector<std::string> sqls(const std::vector<statement>& statements) {
    std::vector<std::string> out;
    out.reserve(statements.size());
    for (const auto& s : statements) {
        out.push_back(s.sql);
    }
    return out;
}

/// What the history keeps of a revision: enough to rebuild it in a build that lacks it.
std::vector<param> revision_params(const revision& rev) {
    param downgrade_sql; // NULL for C++ revisions: their code cannot be stored
    if (!rev.is_cpp()) {
        downgrade_sql = detail::format_text_array(sqls(rev.downgrade));
    }
    return {
        text_param(rev.id),
        text_param(rev.checksum),
        text_param(rev.message),
        array_param(rev.revises),
        array_param(rev.depends_on),
        text_param(rev.transactional ? "true" : "false"),
        downgrade_sql,
        text_param(rev.is_cpp() ? "cpp" : "sql"),
        text_param(rev.where.file),
    };
}

constexpr const char* revision_columns =
    "revision, checksum, message, revises, depends_on, transactional, downgrade_sql, kind, file";
constexpr const char* revision_values =
    "$1, $2, $3, $4::text[], $5::text[], $6::boolean, $7::text[], $8, $9";

std::string iso_time(std::string_view column) {
    return fmt::format("to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
                       column);
}

std::string duration_text(double ms) {
    return fmt::format("{:.3f}", ms);
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
    : m_schema(quote_identifier(settings.schema)),
      m_version(m_schema + "." + quote_identifier(settings.version_table)),
      m_history(m_schema + "." + quote_identifier(settings.history_table)),
      m_version_name(settings.version_table), m_history_name(settings.history_table) {}

std::string version_store::lock_key() const {
    return m_version;
}

std::vector<sql_command> version_store::create_tables() const {
    std::vector<sql_command> out;
    if (m_schema != "\"public\"") {
        out.push_back({fmt::format("CREATE SCHEMA IF NOT EXISTS {}", m_schema), {}});
    }
    out.push_back({fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                               "    version_num text NOT NULL PRIMARY KEY\n"
                               ")",
                               m_version),
                   {}});
    out.push_back({fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                               "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                               "    revision text NOT NULL,\n"
                               "    direction text NOT NULL CHECK (direction IN "
                               "('upgrade', 'downgrade', 'stamp', 'unstamp', 'accept')),\n"
                               "    checksum text,\n"
                               "    message text NOT NULL DEFAULT '',\n"
                               "    revises text[] NOT NULL DEFAULT '{{}}',\n"
                               "    depends_on text[] NOT NULL DEFAULT '{{}}',\n"
                               "    transactional boolean NOT NULL DEFAULT true,\n"
                               "    downgrade_sql text[],\n"
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
    out.push_back({fmt::format("CREATE INDEX IF NOT EXISTS {} ON {} (revision, id)",
                               quote_identifier(m_history_name + "_revision_idx"), m_history),
                   {}});
    // Every state read looks for unfinished steps; this keeps that lookup off a long history.
    out.push_back({fmt::format("CREATE INDEX IF NOT EXISTS {} ON {} (id) WHERE finished_at IS NULL",
                               quote_identifier(m_history_name + "_unfinished_idx"), m_history),
                   {}});
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
                                       bool move_rows) const {
    const revision& rev = *step.rev;
    std::vector<param> params = revision_params(rev);
    params.push_back(text_param(to_string(step.dir)));
    params.push_back(array_param(step.rows_removed));
    params.push_back(array_param(step.rows_added));
    params.push_back(
        std::to_string(step.dir == direction::upgrade ? rev.upgrade.size() : rev.downgrade.size()));
    params.push_back(text_param(tool_version()));
    params.push_back(rev.origin == revision_origin::recorded
                         ? param("downgraded from the SQL stored in this history table; the "
                                 "build that ran it did not know the revision")
                         : std::nullopt);
    params.push_back(digest_text(digest));
    if (step.dir == direction::downgrade) {
        params[6] = std::nullopt; // the history needs a revision's downgrade only while applied
    }
    // Without moving rows, $11 and $12 are still sent so that both forms share parameters.
    const std::string rows =
        move_rows
            ? fmt::format(
                  "WITH gone AS (DELETE FROM {0} WHERE version_num = ANY($11::text[])),\n"
                  "     added AS (INSERT INTO {0} (version_num) SELECT unnest($12::text[]))\n",
                  m_version)
            : std::string("WITH rows AS (SELECT $11::text[], $12::text[])\n");
    return {fmt::format(
                "{0}"
                "INSERT INTO {1} ({2}, direction, statements_total, statements_done,\n"
                "    started_at, finished_at, duration_ms, tool_version, note, applied_digest)\n"
                "VALUES ({3}, $10, $13::integer, $13::integer,\n"
                "    current_setting('pgmig.step_started')::timestamptz, clock_timestamp(),\n"
                "    1000 * extract(epoch FROM clock_timestamp()\n"
                "        - current_setting('pgmig.step_started')::timestamptz), $14, $15, $16)",
                rows, m_history, revision_columns, revision_values),
            std::move(params), move_rows ? "pgmig_record_step" : "pgmig_record_history"};
}

sql_command version_store::vacuum_version_table() const {
    return {fmt::format("VACUUM {}", m_version), {}};
}

sql_command version_store::set_rows(const std::vector<std::string>& before,
                                    const std::vector<std::string>& after) const {
    return {fmt::format("WITH gone AS (DELETE FROM {0} WHERE version_num = ANY($1::text[]))\n"
                        "INSERT INTO {0} (version_num) SELECT unnest($2::text[])",
                        m_version),
            {array_param(before), array_param(after)}};
}

sql_command version_store::begin_step(const plan_step& step, int statements_done) const {
    const revision& rev = *step.rev;
    std::vector<param> params = revision_params(rev);
    params.push_back(text_param(to_string(step.dir)));
    params.push_back(
        std::to_string(step.dir == direction::upgrade ? rev.upgrade.size() : rev.downgrade.size()));
    params.push_back(std::to_string(statements_done));
    params.push_back(text_param(tool_version()));
    return {fmt::format("INSERT INTO {} ({}, direction, statements_total, statements_done, "
                        "tool_version)\n"
                        "VALUES ({}, $10, $11::integer, $12::integer, $13) RETURNING id",
                        m_history, revision_columns, revision_values),
            std::move(params)};
}

sql_command version_store::record_statement(std::int64_t history_id, std::string_view sql) const {
    return {fmt::format("UPDATE {} SET statements_done = statements_done + 1,\n"
                        "    completed_sql = completed_sql || $2::text WHERE id = $1::bigint",
                        m_history),
            {std::to_string(history_id), text_param(sql)}};
}

sql_command version_store::finish_step(std::int64_t history_id, const plan_step& step,
                                       const step_timing& timing, std::uint64_t digest) const {
    return {fmt::format("WITH gone AS (DELETE FROM {0} WHERE version_num = ANY($2::text[])),\n"
                        "     added AS (INSERT INTO {0} (version_num) SELECT unnest($3::text[]))\n"
                        "UPDATE {1} SET finished_at = clock_timestamp(), duration_ms = "
                        "$4::double precision,\n"
                        "    checksum = $5, applied_digest = $6 WHERE id = $1::bigint",
                        m_version, m_history),
            {std::to_string(history_id), array_param(step.rows_removed),
             array_param(step.rows_added), duration_text(timing.duration_ms),
             text_param(step.rev->checksum), digest_text(digest)}};
}

sql_command version_store::stamp(const std::vector<std::string>& rows_before,
                                 const std::vector<std::string>& rows_after,
                                 const std::vector<const revision*>& added,
                                 const std::vector<std::string>& removed,
                                 std::uint64_t digest) const {
    std::vector<std::string> ids;
    std::vector<std::string> checksums;
    std::vector<std::string> messages;
    std::vector<std::string> revises;
    std::vector<std::string> depends;
    std::vector<std::string> downgrades;
    std::vector<std::string> files;
    for (const revision* r : added) {
        ids.push_back(r->id);
        checksums.push_back(r->checksum);
        messages.push_back(r->message);
        revises.push_back(detail::format_text_array(r->revises));
        depends.push_back(detail::format_text_array(r->depends_on));
        downgrades.push_back(detail::format_text_array(sqls(r->downgrade)));
        files.push_back(r->where.file);
    }
    // Revisions that stop counting as applied get an 'unstamp' row: recorded checksums and
    // stored downgrades then no longer describe what the database holds.
    return {
        fmt::format(
            "WITH gone AS (DELETE FROM {0} WHERE version_num = ANY($1::text[])),\n"
            "     added AS (INSERT INTO {0} (version_num) SELECT unnest($2::text[])),\n"
            "     settled AS (UPDATE {1} SET finished_at = clock_timestamp(),\n"
            "         note = 'interrupted; settled by stamp' WHERE finished_at IS NULL),\n"
            "     unstamped AS (INSERT INTO {1} (revision, direction, finished_at, duration_ms,\n"
            "         tool_version, note, applied_digest) SELECT unnest($11::text[]), 'unstamp',\n"
            "         clock_timestamp(), 0, $10, 'stamped as not applied', $12),\n"
            "     stamped AS (INSERT INTO {1} (revision, direction, checksum, message, revises,\n"
            "         depends_on, downgrade_sql, file, finished_at, duration_ms, tool_version, "
            "note,\n"
            "         applied_digest)\n"
            "     SELECT s.revision, 'stamp', s.checksum, s.message, s.revises::text[],\n"
            "         s.depends_on::text[], s.downgrade_sql::text[], s.file, clock_timestamp(), "
            "0,\n"
            "         $10, 'stamped without running', $12\n"
            "     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[],\n"
            "         $8::text[], $9::text[])\n"
            "         AS s(revision, checksum, message, revises, depends_on, downgrade_sql, file)\n"
            "     RETURNING 1)\n"
            "SELECT count(*) FROM stamped",
            m_version, m_history),
        {array_param(rows_before), array_param(rows_after), array_param(ids),
         array_param(checksums), array_param(messages), array_param(revises), array_param(depends),
         array_param(downgrades), array_param(files), text_param(tool_version()),
         array_param(removed), digest_text(digest)}};
}

sql_command version_store::accept(const revision& rev, std::string_view old_checksum) const {
    std::vector<param> params = revision_params(rev);
    params.push_back(text_param(tool_version()));
    params.push_back(fmt::format("accepted a changed revision text; the previous checksum was {}",
                                 old_checksum.empty() ? "not recorded" : old_checksum));
    return {fmt::format("INSERT INTO {} ({}, direction, finished_at, duration_ms, tool_version, "
                        "note)\n"
                        "VALUES ({}, 'accept', clock_timestamp(), 0, $10, $11)",
                        m_history, revision_columns, revision_values),
            std::move(params)};
}

sql_command version_store::set_digest(std::uint64_t digest) const {
    return {fmt::format("UPDATE {} SET applied_digest = $1\n"
                        "WHERE id = (SELECT max(id) FROM {} WHERE direction = 'accept')",
                        m_history, m_history),
            {digest_text(digest)}};
}

db_state version_store::load(connection& conn) const {
    db_state state;
    result exists = conn.exec("SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL",
                              {m_version, m_history});
    state.initialized = exists.text(0, 0) == "t";
    if (!state.initialized) {
        return state;
    }
    // The latest history row that carries a digest describes the applied set: found by a
    // backward scan of the primary key, whatever the history's length.
    auto results = conn.exec_all(fmt::format(
        "SELECT version_num FROM {0} ORDER BY version_num;\n"
        "SELECT applied_digest FROM {1} WHERE applied_digest IS NOT NULL ORDER BY id DESC LIMIT "
        "1;\n"
        "SELECT id, revision, direction, statements_done, completed_sql, coalesce(checksum, '')\n"
        "    FROM {1} WHERE finished_at IS NULL ORDER BY id",
        m_version, m_history));
    for (int i = 0; i < results[0].rows(); ++i) {
        state.rows.emplace_back(results[0].text(i, 0));
    }
    if (results[1].rows() > 0) {
        state.digest = std::stoull(std::string(results[1].text(0, 0)), nullptr, 16);
    } else if (state.rows.empty()) {
        state.digest = 0; // nothing applied, nothing recorded
    }
    const result& unfinished = results[2];
    for (int i = 0; i < unfinished.rows(); ++i) {
        const result& r = unfinished;
        interrupted_step step;
        step.history_id = std::stoll(std::string(r.text(i, 0)));
        step.revision = r.text(i, 1);
        step.dir = r.text(i, 2) == "downgrade" ? direction::downgrade : direction::upgrade;
        step.statements_done = std::stoi(std::string(r.text(i, 3)));
        step.completed_sql = detail::parse_text_array(r.text(i, 4));
        step.checksum = r.text(i, 5);
        state.interrupted.push_back(std::move(step));
    }
    return state;
}

std::map<std::string, std::string> version_store::recorded_checksums(connection& conn) const {
    result r = conn.exec(fmt::format(
        "SELECT DISTINCT ON (revision) revision, checksum FROM {}\n"
        "    WHERE direction IN ('upgrade', 'stamp', 'accept') AND finished_at IS NOT NULL\n"
        "    ORDER BY revision, id DESC",
        m_history));
    std::map<std::string, std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.emplace(r.text(i, 0), r.text(i, 1));
    }
    return out;
}

std::vector<revision> version_store::recorded_revisions(connection& conn,
                                                        const std::vector<std::string>& ids) const {
    result r = conn.exec(
        fmt::format(
            "SELECT DISTINCT ON (revision) revision, message, revises, depends_on,\n"
            "    transactional, downgrade_sql, coalesce(checksum, ''), coalesce(file, ''),\n"
            "    kind, tool_version\n"
            "FROM {} WHERE revision = ANY($1::text[]) AND direction IN ('upgrade', 'stamp')\n"
            "ORDER BY revision, id DESC",
            m_history),
        {array_param(ids)});
    std::vector<revision> out;
    for (int i = 0; i < r.rows(); ++i) {
        revision rev;
        rev.id = r.text(i, 0);
        rev.message = r.text(i, 1);
        rev.revises = detail::parse_text_array(r.text(i, 2));
        rev.depends_on = detail::parse_text_array(r.text(i, 3));
        rev.transactional = r.text(i, 4) == "t";
        if (r.is_null(i, 5)) {
            // A C++ revision: its downgrade is code that only the build that has it can run.
            rev.irreversible = fmt::format("C++ revision applied by pgmig {}; only a build that "
                                           "contains it can downgrade it",
                                           r.text(i, 9));
        } else {
            int n = 0;
            for (auto& sql : detail::parse_text_array(r.text(i, 5))) {
                rev.downgrade.push_back({std::move(sql), ++n});
            }
        }
        rev.checksum = r.text(i, 6);
        rev.where = {std::string(r.text(i, 7)), 0};
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
                    "FROM {} ORDER BY id DESC LIMIT $1::integer",
                    iso_time("started_at"), iso_time("finished_at"), m_history),
        {std::to_string(limit)});
    std::vector<history_entry> out;
    for (int i = 0; i < r.rows(); ++i) {
        history_entry e;
        e.id = std::stoll(std::string(r.text(i, 0)));
        e.revision = r.text(i, 1);
        e.direction = r.text(i, 2);
        e.checksum = r.text(i, 3);
        e.message = r.text(i, 4);
        e.started_at = r.text(i, 5);
        e.finished_at = r.text(i, 6);
        e.duration_ms = std::stod(std::string(r.text(i, 7)));
        e.db_user = r.text(i, 8);
        e.tool_version = r.text(i, 9);
        e.note = r.text(i, 10);
        e.statements_done = std::stoi(std::string(r.text(i, 11)));
        if (!r.is_null(i, 12)) {
            e.statements_total = std::stoi(std::string(r.text(i, 12)));
        }
        out.push_back(std::move(e));
    }
    return out;
}

migration_lock::migration_lock(connection& conn, const std::string& key,
                               std::chrono::milliseconds timeout)
    : m_conn(&conn), m_key(key) {
    const std::string lock_sql =
        fmt::format("SELECT pg_advisory_lock({}, hashtext($1))", lock_class);
    try {
        // lock_timeout bounds the wait for an advisory lock like any other heavyweight lock;
        // 0 would mean "wait forever", so a zero timeout asks once with the try_ form.
        if (timeout.count() <= 0) {
            result r = conn.exec(
                fmt::format("SELECT pg_try_advisory_lock({}, hashtext($1))", lock_class), {key});
            if (r.text(0, 0) != "t") {
                throw database_error("lock not available", {"55P03", "", "", "", {}});
            }
        } else {
            conn.exec("SELECT set_config('lock_timeout', $1, false)",
                      {fmt::format("{}ms", timeout.count())});
            conn.exec(lock_sql, {key});
        }
    } catch (const database_error& e) {
        if (e.sqlstate() != "55P03") {
            throw;
        }
        result holder = conn.exec(
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
        if (holder.rows() == 0) {
            throw lock_error(fmt::format("another migrator held the migration lock on {} for "
                                         "longer than {} ms, and has released it since; try again",
                                         key, timeout.count()));
        }
        throw lock_error(fmt::format(
            "another migrator holds the migration lock on {}: pid {} (application '{}', user "
            "{}, from {}, connected since {}); gave up after waiting {} ms",
            key, holder.text(0, 0), holder.text(0, 1), holder.text(0, 2), holder.text(0, 3),
            holder.text(0, 4), timeout.count()));
    }
    // Wait out a transaction of a migrator that died holding the lock (see the class comment).
    sql_command barrier = step_guard(key);
    conn.exec(barrier.text, barrier.params);
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
