#include "lock_trace.hpp"

#include "snapshot_tracker.hpp"

#include <pgmig/schema_scope.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

namespace pgmig::testing {
namespace {

/// pg_locks' modes, weakest first.
constexpr std::array lock_modes{
    "AccessShareLock", "RowShareLock",          "RowExclusiveLock", "ShareUpdateExclusiveLock",
    "ShareLock",       "ShareRowExclusiveLock", "ExclusiveLock",    "AccessExclusiveLock",
};

std::size_t strength(std::string_view mode) {
    auto at = std::find(lock_modes.begin(), lock_modes.end(), mode);
    return static_cast<std::size_t>(at - lock_modes.begin());
}

/// "ShareUpdateExclusiveLock" -> "SHARE UPDATE EXCLUSIVE".
std::string documented(std::string_view mode) {
    if (mode.ends_with("Lock")) {
        mode.remove_suffix(4);
    }
    std::string out;
    for (char c : mode) {
        if (std::isupper(static_cast<unsigned char>(c)) != 0 && !out.empty()) {
            out += ' ';
        }
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

bool assured(const revision& rev, std::initializer_list<std::string_view> rules) {
    return std::any_of(
        rev.safety_assured.begin(), rev.safety_assured.end(), [&](const std::string& entry) {
            std::string_view rule = std::string_view(entry).substr(0, entry.find(':'));
            return rules.size() == 0 || std::find(rules.begin(), rules.end(), rule) != rules.end();
        });
}

} // namespace

lock_policy lock_policy_from(const std::string& name) {
    if (name == "report") {
        return lock_policy::report;
    }
    if (name == "rewrites") {
        return lock_policy::rewrites;
    }
    if (name == "strict") {
        return lock_policy::strict;
    }
    throw error(fmt::format("LOCKS '{}' is not report, rewrites or strict", name));
}

lock_trace::lock_trace(const set_settings& settings) : m_scope(scope_of(settings)) {
    m_scope.exclude_schemas.emplace_back(snapshot_tracker::log_schema);
}

const std::string& lock_trace::probe_sql() {
    static const std::string sql =
        "SELECT set_config('pgmig.lock_trace', coalesce(current_setting('pgmig.lock_trace', "
        "true), '') || coalesce((SELECT string_agg(relation::bigint || ' ' || mode, ',') || ',' "
        "FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())), ''), "
        "false)";
    return sql;
}

std::map<std::string, lock_trace::table_file> lock_trace::tables(connection& conn) const {
    static const std::string sql = scoped_relations_sql(
        "c.oid::bigint, format('%I.%I', n.nspname, c.relname), c.relfilenode::bigint, "
        "c.relkind = 'm'",
        "'r', 'p', 'm'");
    result r = conn.exec(sql, scoped_relations_params(m_scope));
    std::map<std::string, table_file> out;
    for (int i = 0; i < r.rows(); ++i) {
        out[std::string(r.text(i, 0))] = {std::string(r.text(i, 1)), std::string(r.text(i, 2)),
                                          r.text(i, 3) == "t"};
    }
    return out;
}

void lock_trace::before(connection& conn) {
    m_before = tables(conn);
    (void)conn.exec("SELECT set_config('pgmig.lock_trace', '', false)");
}

std::vector<table_lock> lock_trace::after(connection& conn) {
    result trace = conn.exec("SELECT coalesce(current_setting('pgmig.lock_trace', true), '')");
    std::string text(trace.text(0, 0));
    (void)conn.exec("SELECT set_config('pgmig.lock_trace', '', false)");
    const auto now = tables(conn);
    std::map<std::string, std::string> strongest; // oid -> mode
    std::istringstream entries(text);
    for (std::string entry; std::getline(entries, entry, ',');) {
        auto space = entry.find(' ');
        if (space == std::string::npos) {
            continue;
        }
        std::string oid = entry.substr(0, space);
        std::string mode = entry.substr(space + 1);
        if (m_before.count(oid) != 0 &&
            (strongest.count(oid) == 0 || strength(mode) > strength(strongest[oid]))) {
            strongest[oid] = mode;
        }
    }
    std::vector<table_lock> out;
    for (const auto& [oid, file] : m_before) {
        auto later = now.find(oid);
        bool rewritten = later != now.end() && later->second.filenode != file.filenode &&
                         file.filenode != "0"; // a partitioned table has no file
        auto mode = strongest.find(oid);
        if (mode != strongest.end() || rewritten) {
            out.push_back({file.name, mode != strongest.end() ? documented(mode->second) : "",
                           rewritten, file.materialized_view});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const table_lock& a, const table_lock& b) { return a.table < b.table; });
    return out;
}

std::string judge_locks(const revision& rev, const std::vector<table_lock>& locks,
                        lock_policy policy) {
    std::vector<std::string> problems;
    for (const auto& l : locks) {
        if (policy != lock_policy::report && l.rewritten && !l.materialized_view &&
            !assured(rev,
                     {"alter-column-type", "volatile-default", "add-serial-column", "truncate"})) {
            problems.push_back(fmt::format("rewrote {}", l.table));
        } else if (policy == lock_policy::strict && l.mode == "ACCESS EXCLUSIVE" &&
                   !assured(rev, {})) {
            problems.push_back(fmt::format("took ACCESS EXCLUSIVE on {}", l.table));
        }
    }
    if (problems.empty()) {
        return {};
    }
    return fmt::format("{}upgrade of {} {}, a table that existed before it, and no "
                       "'-- pgmig:safety-assured' in the revision covers it (see docs/lint.md)",
                       rev.where.file.empty() ? "" : rev.where.file + ": ", rev.id,
                       fmt::join(problems, " and "));
}

} // namespace pgmig::testing
