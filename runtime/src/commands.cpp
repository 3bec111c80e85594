#include <pgmig/commands.hpp>
#include <pgmig/operations.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

namespace pgmig {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : std::string(sep)) + item;
    }
    return out;
}

connection open_connection(const command_options& options) {
    connection conn = connection::open(options.url, options.application_name);
    if (options.notice) {
        conn.on_notice(options.notice);
    }
    return conn;
}

/// The graph to plan with. Normally the embedded one; when the database holds revisions this
/// build does not know, a graph that adds them as the history table recorded them.
struct effective_graph {
    const revision_graph* embedded = nullptr;
    std::optional<revision_graph> owned;
    std::vector<std::string> unknown;       ///< version rows (and their parents) not embedded
    std::vector<std::string> unrecoverable; ///< of those, the ones the history cannot rebuild
    std::vector<revision> recorded;

    /// An accessor, not a stored pointer: the struct moves, and `owned` moves with it.
    [[nodiscard]] const revision_graph& graph() const { return owned ? *owned : *embedded; }
};

effective_graph graph_for(connection& conn, const version_store& store, const revision_set& set,
                          const db_state& state) {
    effective_graph out;
    const revision_graph& embedded = set.graph();
    out.embedded = &embedded;
    std::vector<std::string> missing;
    for (const auto& row : state.rows) {
        if (embedded.find(row) == nullptr) {
            missing.push_back(row);
        }
    }
    if (missing.empty()) {
        return out;
    }
    // Walk down through recorded parents until every reference is known.
    std::set<std::string> seen(missing.begin(), missing.end());
    while (!missing.empty()) {
        auto found = store.recorded_revisions(conn, missing);
        std::vector<std::string> next;
        for (const auto& id : missing) {
            auto it = std::find_if(found.begin(), found.end(),
                                   [&](const revision& r) { return r.id == id; });
            if (it == found.end()) {
                out.unrecoverable.push_back(id);
            }
        }
        for (auto& r : found) {
            out.unknown.push_back(r.id);
            for (const auto* refs : {&r.revises, &r.depends_on}) {
                for (const auto& ref : *refs) {
                    if (embedded.find(ref) == nullptr && seen.insert(ref).second) {
                        next.push_back(ref);
                    }
                }
            }
            out.recorded.push_back(std::move(r));
        }
        missing = std::move(next);
    }
    if (!out.unrecoverable.empty()) {
        out.unknown.insert(out.unknown.end(), out.unrecoverable.begin(), out.unrecoverable.end());
        return out;
    }
    std::vector<revision> all = embedded.revisions();
    all.insert(all.end(), out.recorded.begin(), out.recorded.end());
    out.owned.emplace(std::move(all));
    return out;
}

std::vector<const revision*> revisions_of(const revision_graph& graph,
                                          const std::vector<std::string>& ids) {
    std::vector<const revision*> out;
    out.reserve(ids.size());
    for (const auto& id : ids) {
        out.push_back(graph.find(id));
    }
    return out;
}

/// Applied revisions whose text changed since. The digest on the version rows answers "none"
/// without reading the history; only when it differs are the recorded checksums read, to name
/// the revisions.
std::vector<drifted_revision> find_drift(connection& conn, const version_store& store,
                                         const revision_graph& graph, const db_state& state,
                                         const std::vector<std::string>& applied) {
    std::vector<drifted_revision> out;
    if (state.digest && *state.digest == applied_digest(revisions_of(graph, applied))) {
        return out;
    }
    if (!state.initialized) {
        return out;
    }
    auto recorded_checksums = store.recorded_checksums(conn);
    for (const auto& id : applied) {
        const revision* r = graph.find(id);
        auto recorded = recorded_checksums.find(id);
        if (r == nullptr || r->origin != revision_origin::embedded ||
            recorded == recorded_checksums.end() || recorded->second.empty()) {
            continue;
        }
        if (recorded->second != r->checksum) {
            out.push_back({id, r->where.file, recorded->second, r->checksum});
        }
    }
    return out;
}

[[noreturn]] void refuse_unknown(const effective_graph& g) {
    if (!g.unrecoverable.empty()) {
        throw state_error(fmt::format(
            "the database is at revision {}, which this build does not know and the history "
            "table does not describe; stamp the database to a revision this build knows "
            "(`stamp --purge <revision>`)",
            join(g.unrecoverable)));
    }
    throw state_error(fmt::format(
        "the database has revision {} applied, which this build does not know (applied by a "
        "newer build); upgrade with that build, or downgrade with this one, which uses the SQL "
        "stored in the history table",
        join(g.unknown)));
}

[[noreturn]] void refuse_drift(const std::vector<drifted_revision>& drifted) {
    std::vector<std::string> names;
    for (const auto& d : drifted) {
        names.push_back(d.file.empty() ? d.id : fmt::format("{} ({})", d.id, d.file));
    }
    throw state_error(fmt::format(
        "revision {} changed after it was applied (its checksum differs from the one recorded); "
        "review the change, then accept it with `accept-checksum {}`",
        join(names), drifted.size() == 1 ? drifted.front().id : "all"));
}

/// An interrupted transaction-off step must be resumed before anything else happens: it goes
/// first in the plan (its parents are applied, or it could not have started), or the plan
/// is refused.
void place_interrupted(plan& p, const db_state& state, const revision_graph& graph) {
    for (auto it = state.interrupted.rbegin(); it != state.interrupted.rend(); ++it) {
        const interrupted_step& i = *it;
        auto step = std::find_if(p.steps.begin(), p.steps.end(), [&](const plan_step& s) {
            return s.rev->id == i.revision && s.dir == i.dir;
        });
        if (step == p.steps.end()) {
            const revision* r = graph.find(i.revision);
            std::string where = r != nullptr && !r->where.file.empty()
                                    ? fmt::format(" ({})", r->where.file)
                                    : std::string();
            throw state_error(fmt::format(
                "revision {}{} was interrupted during its {}, after {} statement{}; fix the "
                "failing statement and run `{} {}` to resume it, or undo it by hand and run "
                "`stamp`",
                i.revision, where, to_string(i.dir), i.statements_done,
                i.statements_done == 1 ? "" : "s", to_string(i.dir), i.revision));
        }
        std::rotate(p.steps.begin(), step, step + 1);
    }
}

void create_tables(connection& conn, const version_store& store) {
    std::vector<sql_command> commands{{"BEGIN", {}}};
    for (auto& c : store.create_tables()) {
        commands.push_back(std::move(c));
    }
    commands.push_back({"COMMIT", {}});
    if (auto failure = conn.pipeline(commands)) {
        if (conn.in_transaction()) {
            conn.exec("ROLLBACK");
        }
        throw database_error(fmt::format("creating the tables {} and {} failed: {}",
                                         store.version_table(), store.history_table(),
                                         failure->error.what()),
                             failure->error.info());
    }
}

/// Everything a write needs, read from the database: the state, the graph and the plan.
struct prepared {
    db_state state;
    effective_graph graph;
    plan todo;
};

using planner = std::function<plan(const revision_graph&, const db_state&)>;

prepared prepare(connection& conn, const version_store& store, const revision_set& set,
                 bool allow_unknown, const planner& make_plan) {
    prepared out;
    out.state = store.load(conn);
    out.graph = graph_for(conn, store, set, out.state);
    if (!out.graph.unrecoverable.empty() || (!out.graph.unknown.empty() && !allow_unknown)) {
        refuse_unknown(out.graph);
    }
    auto drifted = find_drift(conn, store, out.graph.graph(), out.state,
                              out.graph.graph().applied(out.state.rows));
    if (!drifted.empty()) {
        refuse_drift(drifted);
    }
    out.todo = make_plan(out.graph.graph(), out.state);
    place_interrupted(out.todo, out.state, out.graph.graph());
    return out;
}

migrate_result run_plan(connection& conn, const revision_set& set, const command_options& options,
                        bool allow_unknown, const char* action, const planner& make_plan) {
    version_store store(set.settings());
    prepared first = prepare(conn, store, set, allow_unknown, make_plan);
    if (first.todo.empty()) {
        return {first.todo, first.state.rows, first.state.rows};
    }
    check_production_guard(action);
    connection lock_conn = conn.open_another(options.application_name);
    migration_lock lock(lock_conn, store.lock_key(), options.lock_timeout);
    if (!first.state.initialized) {
        create_tables(conn, store);
    }
    // Another migrator may have moved the database while this one waited for the lock.
    prepared current = prepare(conn, store, set, allow_unknown, make_plan);
    for (const auto& step : current.todo.steps) {
        if (step.dir == direction::downgrade && step.rev->irreversible) {
            throw graph_error(
                fmt::format("revision {} cannot be downgraded: {}; the database stays at {}",
                            step.rev->id, *step.rev->irreversible, rows_text(current.state.rows)));
        }
        if (step.rev->origin == revision_origin::recorded && options.progress) {
            options.progress({progress_event::kind::note, &step, 0, 0, 0,
                              fmt::format("revision {} is not part of this build; downgrading it "
                                          "with the SQL stored in the history table",
                                          step.rev->id)});
        }
    }
    // Let the server notice a dead client during long statements (PostgreSQL 14 and later).
    try {
        conn.exec("SELECT set_config('client_connection_check_interval', '1000', false)");
    } catch (const database_error&) {
    }
    const revision_graph& graph = current.graph.graph();
    runner r(conn, store,
             {options.single_transaction, options.progress, set.settings().lock_timeout,
              set.settings().statement_timeout, store.lock_key(),
              applied_digest(revisions_of(graph, graph.applied(current.state.rows)))});
    r.run(current.todo, current.state);
    return {current.todo, current.todo.rows_before, current.todo.rows_after};
}

} // namespace

std::string database_status::summary() const {
    if (!unknown.empty()) {
        return fmt::format("ahead: the database has revision{} {} applied, which this build does "
                           "not know",
                           unknown.size() == 1 ? "" : "s", join(unknown));
    }
    if (!interrupted.empty()) {
        const auto& i = interrupted.front();
        return fmt::format("interrupted: the {} of revision {} stopped after {} statement{}",
                           to_string(i.dir), i.revision, i.statements_done,
                           i.statements_done == 1 ? "" : "s");
    }
    if (!drifted.empty()) {
        std::vector<std::string> ids;
        for (const auto& d : drifted) {
            ids.push_back(d.id);
        }
        return fmt::format("checksum drift: revision{} {} changed after being applied",
                           ids.size() == 1 ? "" : "s", join(ids));
    }
    if (!pending.empty()) {
        std::vector<std::string> shown(pending.begin(),
                                       pending.begin() + std::min<std::size_t>(pending.size(), 5));
        return fmt::format("behind: {} revision{} to apply ({}{}){}", pending.size(),
                           pending.size() == 1 ? "" : "s", join(shown),
                           pending.size() > shown.size() ? ", ..." : "",
                           initialized ? "" : "; the version table does not exist yet");
    }
    return fmt::format("up to date at {}", rows_text(rows));
}

database_status inspect(connection& conn, const revision_set& set) {
    version_store store(set.settings());
    db_state state = store.load(conn);
    database_status status;
    status.initialized = state.initialized;
    status.rows = state.rows;
    status.interrupted = state.interrupted;
    for (const auto* h : set.graph().heads()) {
        status.heads.push_back(h->id);
    }
    effective_graph g = graph_for(conn, store, set, state);
    status.unknown = g.unknown;
    status.recorded = g.recorded;
    if (!g.unrecoverable.empty()) {
        return status;
    }
    std::vector<std::string> applied = g.graph().applied(state.rows);
    std::set<std::string> applied_set(applied.begin(), applied.end());
    for (const auto& id : applied) {
        if (set.graph().find(id) != nullptr) {
            status.applied.push_back(id);
        }
    }
    for (const auto* r : set.graph().topological()) {
        if (!applied_set.count(r->id)) {
            status.pending.push_back(r->id);
        }
    }
    status.drifted = find_drift(conn, store, g.graph(), state, g.graph().applied(state.rows));
    return status;
}

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

migrate_result stamp(const revision_set& set, std::string_view target,
                     const command_options& options, bool purge) {
    connection conn = open_connection(options);
    version_store store(set.settings());
    const std::string t(target);

    struct stamp_change {
        db_state state;
        effective_graph graph;
        std::vector<std::string> after;
        std::vector<const revision*> added;
        std::vector<std::string> removed;
    };
    auto compute = [&]() {
        stamp_change c;
        c.state = store.load(conn);
        if (purge) {
            c.graph.embedded = &set.graph();
            c.after = set.graph().stamp({}, t);
            c.removed = c.state.rows;
        } else {
            c.graph = graph_for(conn, store, set, c.state);
            if (!c.graph.unrecoverable.empty()) {
                refuse_unknown(c.graph);
            }
            c.after = c.graph.graph().stamp(c.state.rows, t);
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
    stamp_change first = compute();
    check_production_guard("stamp");
    connection lock_conn = conn.open_another(options.application_name);
    migration_lock lock(lock_conn, store.lock_key(), options.lock_timeout);
    if (!first.state.initialized) {
        create_tables(conn, store);
    }
    stamp_change c = compute();
    const revision_graph& g = c.graph.graph();
    sql_command cmd = store.stamp(c.state.rows, c.after, c.added, c.removed,
                                  applied_digest(revisions_of(g, g.applied(c.after))));
    conn.exec(cmd.text, cmd.params);
    return {{}, c.state.rows, c.after};
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
    check_production_guard("accept a changed checksum");
    connection lock_conn = conn.open_another(options.application_name);
    migration_lock lock(lock_conn, store.lock_key(), options.lock_timeout);
    std::vector<sql_command> commands{{"BEGIN", {}}};
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
                       bool single_transaction) {
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
    auto emit = [&out](const sql_command& c) {
        out += c.inlined() + ";\n";
    };
    if (single_transaction) {
        out += "\nBEGIN;\n";
    }
    std::vector<std::string> current = rows;
    std::uint64_t digest = applied_digest(revisions_of(graph, graph.applied(rows)));
    for (const auto& step : p.steps) {
        const revision& rev = *step.rev;
        digest ^= revision_fingerprint(rev);
        std::vector<std::string> next = current;
        for (const auto& r : step.rows_removed) {
            next.erase(std::remove(next.begin(), next.end(), r), next.end());
        }
        next.insert(next.end(), step.rows_added.begin(), step.rows_added.end());
        out +=
            fmt::format("\n-- Running {} {} -> {}{}{}\n", to_string(step.dir), rows_text(current),
                        rows_text(next), rev.message.empty() ? "" : ", ", rev.message);
        current = std::move(next);
        const bool in_transaction = rev.transactional && !single_transaction;
        if (!rev.transactional && single_transaction) {
            throw state_error(fmt::format("revision {} runs outside a transaction (-- pgmig:"
                                          "transaction off), so it cannot be part of "
                                          "--single-transaction",
                                          rev.id));
        }
        if (in_transaction) {
            out += "BEGIN;\n";
        }
        emit(rev.transactional ? version_store::step_started()
                               : sql_command{"SELECT set_config('pgmig.step_started', "
                                             "clock_timestamp()::text, false)",
                                             {}});
        const std::string scope = rev.transactional ? "true" : "false";
        for (const auto& [setting, own, fallback] :
             {std::tuple{"lock_timeout", rev.lock_timeout, set.settings().lock_timeout},
              std::tuple{"statement_timeout", rev.statement_timeout,
                         set.settings().statement_timeout}}) {
            const std::string& value = own.empty() ? fallback : own;
            if (!value.empty()) {
                emit({fmt::format("SELECT set_config('{}', $1, {})", setting, scope), {value}});
            }
        }
        if (rev.is_cpp()) {
            std::string script;
            operations ops(script, rev);
            run_cpp_revision(rev, step.dir, ops);
            out += script;
        } else {
            for (const auto& s : statements_of(step)) {
                // A trailing "-- comment" would swallow the semicolon.
                auto last_line =
                    s.sql.substr(s.sql.rfind('\n') == std::string::npos ? 0 : s.sql.rfind('\n'));
                out += s.sql + (last_line.find("--") != std::string::npos ? "\n;\n" : ";\n");
            }
        }
        emit(store.record_step(step, digest));
        if (in_transaction) {
            out += "COMMIT;\n";
        } else if (!rev.transactional) {
            out += "RESET lock_timeout;\nRESET statement_timeout;\n";
        }
    }
    if (single_transaction) {
        out += "\nCOMMIT;\n";
    }
    return out;
}

void check_production_guard(std::string_view action) {
    const char* environment = std::getenv("ENVIRONMENT");
    const char* confirm = std::getenv("CONFIRM_PRODUCTION_MIGRATION");
    std::string env = environment != nullptr ? environment : "";
    std::transform(env.begin(), env.end(), env.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if ((env == "production" || env == "prod") &&
        (confirm == nullptr || std::string_view(confirm) != "true")) {
        throw guard_error(fmt::format("ENVIRONMENT={}: refusing to {} without "
                                      "CONFIRM_PRODUCTION_MIGRATION=true",
                                      environment, action));
    }
}

} // namespace pgmig
