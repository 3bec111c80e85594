#include "reconcile.hpp"

#include <pgmig/commands.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

namespace pgmig {
namespace {

connection open_connection(const command_options& options) {
    connection conn = connection::open(options.url, options.application_name);
    if (options.notice) {
        conn.on_notice(options.notice);
    }
    if (!options.search_path.empty()) {
        (void)conn.exec("SELECT set_config('search_path', $1, false)", {options.search_path});
    }
    return conn;
}

/// A recorded revision's stored downgrade, a statement a line, for the user to review.
std::string stored_sql_text(const revision& rev) {
    std::string out;
    for (const auto& s : rev.downgrade) {
        out += (out.empty() ? "  " : ";\n  ") + s.sql;
    }
    return out.empty() ? "  (no statements)" : out + ";";
}

/// Runs commands in one transaction, or says what failed.
void run_in_transaction(connection& conn, std::vector<sql_command> commands, const char* what) {
    commands.insert(commands.begin(), {"BEGIN", {}});
    commands.push_back({"COMMIT", {}});
    if (auto failure = conn.pipeline(commands)) {
        if (conn.in_transaction()) {
            conn.exec("ROLLBACK");
        }
        throw database_error(fmt::format("{} failed: {}", what, failure->error.what()),
                             failure->error.info());
    }
}

/// What every write needs first: the production guard, the migration lock (once), and the
/// state tables, created or brought up to date.
class writer {
public:
    writer(connection& conn, const version_store& store, const revision_set& set,
           const command_options& options)
        : m_conn(conn), m_store(store), m_set(set), m_options(options) {}

    /// Takes the lock, unless held already.
    void lock(std::string_view action) {
        if (m_lock) {
            return;
        }
        m_options.guard.check(action);
        // A standby takes the advisory lock and reads the state tables like a primary; the
        // first write would fail half way through a step's plan with "read-only transaction".
        if (m_conn.exec("SELECT pg_is_in_recovery()").text(0, 0) == "t") {
            throw connection_error(fmt::format(
                "{} is a standby (read-only, in recovery): it replays the revisions its primary "
                "applies; run pgmig against the primary",
                m_conn.describe()));
        }
        m_lock_conn.emplace(m_conn.open_another(m_options.application_name));
        m_lock.emplace(*m_lock_conn, m_store.lock_key(), m_options.lock_timeout);
        m_lock->require_own_session(m_conn);
    }
    [[nodiscard]] bool locked() const { return m_lock.has_value(); }

    /// Tables of an older pgmig (no set_name) are upgraded before anything reads them for a
    /// plan, under the lock; returns the state to plan from.
    db_state upgraded_state(std::string_view action) {
        db_state state = m_store.load(m_conn);
        if (!state.legacy_tables && !state.history_lacks_columns) {
            return state;
        }
        lock(action);
        std::vector<std::string> known;
        for (const auto& r : m_set.revisions()) {
            known.push_back(r.id);
        }
        run_in_transaction(m_conn, m_store.upgrade_tables(known, state.legacy_tables),
                           "upgrading the state tables");
        return m_store.load(m_conn);
    }

    /// Creates the tables when the state read before the lock had none.
    void ensure_tables(const db_state& state) {
        if (!state.initialized) {
            run_in_transaction(m_conn, m_store.create_tables(),
                               fmt::format("creating the tables {} and {}", m_store.version_table(),
                                           m_store.history_table())
                                   .c_str());
        }
    }

private:
    connection& m_conn;
    const version_store& m_store;
    const revision_set& m_set;
    const command_options& m_options;
    std::optional<connection> m_lock_conn;
    std::optional<migration_lock> m_lock;
};

migrate_result run_plan(connection& conn, const revision_set& set, const command_options& options,
                        bool allow_unknown, const char* action,
                        const detail::plan_maker& make_plan) {
    version_store store(set.settings());
    writer w(conn, store, set, options);
    db_state state = w.upgraded_state(action);
    detail::prepared first =
        detail::prepare(conn, store, set, allow_unknown, w.locked(), make_plan, std::move(state));
    if (first.todo.empty()) {
        return {first.todo, first.state.rows, first.state.rows};
    }
    w.lock(action);
    if (options.before_first_write) {
        options.before_first_write(conn, first.state.rows);
    }
    w.ensure_tables(first.state);
    // Another migrator may have moved the database while this one waited for the lock.
    detail::prepared current = detail::prepare(conn, store, set, allow_unknown, true, make_plan);
    if (!current.abandoned.empty()) {
        run_in_transaction(conn, {store.abandon_steps(current.abandoned)},
                           "recording steps that ran nothing");
    }
    for (const auto& step : current.todo.steps) {
        if (step.dir == direction::downgrade && step.rev->irreversible) {
            throw graph_error(
                fmt::format("revision {} cannot be downgraded: {}; the database stays at {}",
                            step.rev->id, *step.rev->irreversible, rows_text(current.state.rows)));
        }
        if (step.rev->origin == revision_origin::recorded) {
            if (!options.run_stored_sql) {
                throw state_error(fmt::format(
                    "revision {} is not part of this build; downgrading it means running the SQL "
                    "the history table stored for it{}:\n{}\nreview it, then downgrade with "
                    "--run-stored-sql, or downgrade with the build that has the revision",
                    step.rev->id,
                    step.rev->stored_sql == stored_sql_check::unverified
                        ? " (stored without a checksum by an older pgmig)"
                        : "",
                    stored_sql_text(*step.rev)));
            }
            if (options.progress) {
                options.progress({progress_event::kind::note, &step, 0, 0, 0,
                                  fmt::format("revision {} is not part of this build; downgrading "
                                              "it with the SQL stored in the history table:\n{}",
                                              step.rev->id, stored_sql_text(*step.rev))});
            }
        }
    }
    // Let the server notice a dead client during long statements (PostgreSQL 14 and later).
    try {
        conn.exec("SELECT set_config('client_connection_check_interval', '1000', false)");
    } catch (const database_error&) {
    }
    const revision_graph& graph = current.graph.graph();
    runner r(conn, store,
             {.single_transaction = options.single_transaction,
              .progress = options.progress,
              .default_lock_timeout = set.settings().lock_timeout,
              .default_statement_timeout = set.settings().statement_timeout,
              .transactional_lock_timeout = "2s",
              .lock_retries = set.settings().lock_retries,
              .lock_key = store.lock_key(),
              .digest = detail::digest_of(graph, graph.applied(current.state.rows))});
    r.run(current.todo, current.state);
    return {current.todo, current.todo.rows_before, current.todo.rows_after};
}

} // namespace

migrate_result upgrade(const revision_set& set, std::string_view target,
                       const command_options& options) {
    connection conn = open_connection(options);
    return upgrade(conn, set, target, options);
}

migrate_result upgrade(connection& conn, const revision_set& set, std::string_view target,
                       const command_options& options) {
    const std::string t(target);
    return run_plan(
        conn, set, options, false, "upgrade",
        [&](const revision_graph& g, const db_state& s) { return g.plan_upgrade(s.rows, t); });
}

migrate_result downgrade(const revision_set& set, std::string_view target,
                         const command_options& options) {
    connection conn = open_connection(options);
    const std::string t(target);
    return run_plan(
        conn, set, options, true, "downgrade",
        [&](const revision_graph& g, const db_state& s) { return g.plan_downgrade(s.rows, t); });
}

namespace {

/// Where a stamp goes: the rows to write, from the rows the database holds and its graph.
using stamp_rows = std::function<std::vector<std::string>(const revision_graph&, const db_state&)>;

/// Writes the rows `after_of` chooses, with history rows for what they add and remove, under
/// the lock and the step guard; `also` runs in the same transaction.
migrate_result stamp_to(connection& conn, const revision_set& set, const command_options& options,
                        bool purge, const stamp_rows& after_of,
                        std::vector<sql_command> also = {}) {
    version_store store(set.settings());

    struct stamp_change {
        db_state state;
        detail::effective_graph graph;
        std::vector<std::string> after;
        std::vector<const revision*> added;
        std::vector<std::string> removed;
    };
    auto compute = [&]() {
        stamp_change c;
        c.state = store.load(conn);
        if (purge) {
            c.graph.embedded = &set.graph();
            c.after = after_of(set.graph(), db_state{});
            c.removed = c.state.rows;
        } else {
            c.graph = detail::graph_for(conn, store, set, c.state);
            if (!c.graph.unrecoverable.empty()) {
                detail::refuse_unknown(c.graph);
            }
            c.after = after_of(c.graph.graph(), c.state);
        }
        const revision_graph& g = c.graph.graph();
        std::vector<std::string> before =
            purge ? std::vector<std::string>{} : g.applied(c.state.rows);
        std::vector<std::string> after = g.applied(c.after);
        std::set<std::string> before_set(before.begin(), before.end());
        std::set<std::string> after_set(after.begin(), after.end());
        for (const auto& id : after) {
            if (!before_set.count(id)) {
                c.added.push_back(g.find(id));
            }
        }
        if (!purge) {
            for (const auto& id : before) {
                if (!after_set.count(id)) {
                    c.removed.push_back(id);
                }
            }
        }
        return c;
    };
    writer w(conn, store, set, options);
    (void)w.upgraded_state("stamp");
    stamp_change first = compute();
    w.lock("stamp");
    w.ensure_tables(first.state);
    stamp_change c = compute();
    const revision_graph& g = c.graph.graph();
    // Under the step guard, like a revision: a stamp of a migrator killed a moment ago may still
    // be running on the server, and the lock alone does not wait for it.
    std::vector<sql_command> commands{migration_lock::step_guard(store.lock_key()),
                                      store.stamp(c.state.rows, c.added, c.after, c.removed,
                                                  detail::digest_of(g, g.applied(c.after)))};
    for (auto& command : also) {
        commands.push_back(std::move(command));
    }
    run_in_transaction(conn, commands, "stamping");
    return {{}, c.state.rows, c.after};
}

/// `schema.table` or `table`, each part quoted.
std::string qualified_table(std::string_view name) {
    auto dot = name.find('.');
    if (dot == std::string_view::npos) {
        return quote_identifier(name);
    }
    return quote_identifier(name.substr(0, dot)) + "." + quote_identifier(name.substr(dot + 1));
}

} // namespace

migrate_result stamp(const revision_set& set, std::string_view target,
                     const command_options& options, bool purge) {
    connection conn = open_connection(options);
    const std::string t(target);
    return stamp_to(conn, set, options, purge,
                    [&](const revision_graph& g, const db_state& s) { return g.stamp(s.rows, t); });
}

migrate_result stamp_from_alembic(const revision_set& set, const alembic_takeover& takeover,
                                  const command_options& options) {
    const std::string table = qualified_table(takeover.version_table);
    connection conn = open_connection(options);
    result r = [&] {
        try {
            return conn.exec(fmt::format("SELECT version_num FROM {} ORDER BY 1", table));
        } catch (const database_error& e) {
            throw state_error(
                fmt::format("cannot read Alembic's version table {}: {}", table, e.what()));
        }
    }();
    std::vector<std::string> alembic_rows;
    for (int i = 0; i < r.rows(); ++i) {
        alembic_rows.emplace_back(r.text(i, 0));
    }
    std::vector<std::string> unknown;
    for (const auto& id : alembic_rows) {
        if (set.graph().find(id) == nullptr) {
            unknown.push_back(id);
        }
    }
    if (!unknown.empty()) {
        throw state_error(fmt::format(
            "{} names revision{} {} that this set does not have: convert every Alembic revision "
            "(docs/from-alembic.md) before taking the database over",
            table, unknown.size() == 1 ? "" : "s", fmt::join(unknown, ", ")));
    }
    std::vector<sql_command> also;
    if (takeover.drop_version_table) {
        also.push_back({fmt::format("DROP TABLE {}", table), {}});
    }
    return stamp_to(
        conn, set, options, false,
        [&](const revision_graph& g, const db_state& s) {
            if (!s.rows.empty() && g.applied(s.rows) != g.applied(alembic_rows)) {
                throw state_error(fmt::format(
                    "the database is already at {} of this set, and {} says {}: settle which "
                    "is true with stamp",
                    rows_text(s.rows), table, rows_text(alembic_rows)));
            }
            return alembic_rows;
        },
        std::move(also));
}

std::vector<std::string> accept_checksums(const revision_set& set,
                                          const std::vector<std::string>& ids,
                                          const command_options& options) {
    connection conn = open_connection(options);
    version_store store(set.settings());
    database_status status = inspect(conn, set);
    std::vector<const drifted_revision*> chosen;
    const bool all = ids.size() == 1 && ids.front() == "all";
    for (const auto& d : status.drifted) {
        if (all) {
            chosen.push_back(&d);
        }
    }
    if (!all) {
        for (const auto& ref : ids) {
            const revision& r = set.graph().resolve(ref);
            auto it = std::find_if(status.drifted.begin(), status.drifted.end(),
                                   [&](const drifted_revision& d) { return d.id == r.id; });
            if (it == status.drifted.end()) {
                throw state_error(
                    fmt::format("revision {} has no changed checksum to accept (it is {})", r.id,
                                std::find(status.applied.begin(), status.applied.end(), r.id) !=
                                        status.applied.end()
                                    ? "applied and unchanged"
                                    : "not applied"));
            }
            chosen.push_back(&*it);
        }
    }
    std::vector<std::string> accepted;
    if (chosen.empty()) {
        return accepted;
    }
    writer w(conn, store, set, options);
    w.lock("accept a changed checksum");
    (void)w.upgraded_state("accept a changed checksum");
    std::vector<sql_command> commands{{"BEGIN", {}}, migration_lock::step_guard(store.lock_key())};
    for (const auto* d : chosen) {
        commands.push_back(store.accept(*set.graph().find(d->id), d->recorded));
        accepted.push_back(d->id);
    }
    // The digest now describes the accepted texts; a change not accepted keeps its recorded
    // checksum, so it stays visible as drift.
    std::vector<revision> as_recorded;
    for (const auto& d : status.drifted) {
        if (std::find(accepted.begin(), accepted.end(), d.id) == accepted.end()) {
            revision r;
            r.id = d.id;
            r.checksum = d.recorded;
            as_recorded.push_back(std::move(r));
        }
    }
    std::vector<const revision*> applied;
    for (const auto& id : status.applied) {
        auto kept = std::find_if(as_recorded.begin(), as_recorded.end(),
                                 [&](const revision& r) { return r.id == id; });
        applied.push_back(kept != as_recorded.end() ? &*kept : set.graph().find(id));
    }
    commands.push_back(store.set_digest(applied_digest(applied)));
    commands.push_back({"COMMIT", {}});
    if (auto failure = conn.pipeline(commands)) {
        throw database_error(
            fmt::format("recording the accepted checksums failed: {}", failure->error.what()),
            failure->error.info());
    }
    return accepted;
}

std::vector<history_entry> read_log(const revision_set& set, int limit,
                                    const command_options& options) {
    connection conn = open_connection(options);
    version_store store(set.settings());
    if (!store.load(conn).initialized) {
        return {};
    }
    return store.log(conn, limit);
}

std::string render_sql(const revision_set& set, direction dir, std::string_view range,
                       bool single_transaction, bool annotate) {
    const revision_graph& graph = set.graph();
    std::string from = "base";
    std::string to(range);
    if (auto colon = range.find(':'); colon != std::string_view::npos) {
        from = std::string(range.substr(0, colon));
        to = std::string(range.substr(colon + 1));
        from = from.empty() ? "base" : from;
    } else if (dir == direction::downgrade) {
        throw graph_error(
            fmt::format("offline downgrade needs a range FROM:TO (e.g. {}:base), since the current "
                        "revision cannot be read without a connection",
                        graph.heads().empty() ? std::string("head") : graph.heads().front()->id));
    }
    std::vector<std::string> rows =
        from == "base" ? std::vector<std::string>{} : graph.stamp({}, from);
    plan p =
        dir == direction::upgrade ? graph.plan_upgrade(rows, to) : graph.plan_downgrade(rows, to);

    version_store store(set.settings());
    std::string out = fmt::format("-- pgmig {}: {} of set {} from {} to {} ({} step{})\n",
                                  tool_version(), to_string(dir), set.name(), rows_text(rows), to,
                                  p.steps.size(), p.steps.size() == 1 ? "" : "s");
    out += "-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>\n\n";
    out += "SET standard_conforming_strings = on;\n";
    for (const auto& c : store.create_tables()) {
        out += c.inlined() + ";\n";
    }
    runner script(out, store,
                  {.single_transaction = single_transaction,
                   .default_lock_timeout = set.settings().lock_timeout,
                   .default_statement_timeout = set.settings().statement_timeout,
                   .digest = detail::digest_of(graph, graph.applied(rows)),
                   .annotate = annotate});
    script.run(p, {});
    return out;
}

} // namespace pgmig
