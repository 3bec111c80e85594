#include "reconcile.hpp"

#include <pgmig/status.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace pgmig {
namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

std::string plural(std::size_t n) {
    return n == 1 ? "" : "s";
}

} // namespace

const char* to_string(database_condition c) {
    switch (c) {
    case database_condition::up_to_date:
        return "up to date";
    case database_condition::behind:
        return "behind";
    case database_condition::ahead:
        return "ahead";
    case database_condition::unknown_revision:
        return "unknown revision";
    case database_condition::checksum_drift:
        return "checksum drift";
    case database_condition::in_progress:
        return "in progress";
    case database_condition::interrupted:
        return "interrupted";
    case database_condition::invalid_index:
        return "invalid index";
    }
    return "unknown";
}

database_condition database_status::condition() const {
    const bool unrecorded = std::any_of(unknown.begin(), unknown.end(), [&](const std::string& id) {
        return std::none_of(recorded.begin(), recorded.end(),
                            [&](const revision& r) { return r.id == id; });
    });
    if (unrecorded) {
        return database_condition::unknown_revision;
    }
    if (!unknown.empty()) {
        return database_condition::ahead;
    }
    if (!interrupted.empty()) {
        return migrator ? database_condition::in_progress : database_condition::interrupted;
    }
    if (!invalid_indexes.empty()) {
        return database_condition::invalid_index;
    }
    if (!drifted.empty()) {
        return database_condition::checksum_drift;
    }
    if (!pending.empty()) {
        return database_condition::behind;
    }
    return database_condition::up_to_date;
}

std::string database_status::summary() const {
    switch (condition()) {
    case database_condition::unknown_revision:
    case database_condition::ahead:
        return fmt::format("ahead: the database has revision{} {} applied, which this build does "
                           "not know",
                           plural(unknown.size()), join(unknown));
    case database_condition::in_progress: {
        const auto& i = interrupted.front();
        return fmt::format("in progress: the {} of revision {} is being applied by a migrator "
                           "(pid {}, application '{}'), {} statement{} done so far",
                           to_string(i.dir), i.revision, migrator->pid, migrator->application,
                           i.statements_done, plural(static_cast<std::size_t>(i.statements_done)));
    }
    case database_condition::interrupted: {
        const auto& i = interrupted.front();
        return fmt::format("interrupted: the {} of revision {} stopped after {} statement{}",
                           to_string(i.dir), i.revision, i.statements_done,
                           plural(static_cast<std::size_t>(i.statements_done)));
    }
    case database_condition::invalid_index:
        return fmt::format("invalid index: {} {} not valid (left by an interrupted CREATE INDEX "
                           "CONCURRENTLY?); drop it with DROP INDEX CONCURRENTLY and upgrade "
                           "again, or rebuild it with REINDEX INDEX CONCURRENTLY",
                           join(invalid_indexes), invalid_indexes.size() == 1 ? "is" : "are");
    case database_condition::checksum_drift: {
        std::vector<std::string> ids;
        for (const auto& d : drifted) {
            ids.push_back(d.id);
        }
        return fmt::format("checksum drift: revision{} {} changed after being applied",
                           plural(ids.size()), join(ids));
    }
    case database_condition::behind: {
        std::vector<std::string> shown(pending.begin(),
                                       pending.begin() + std::min<std::size_t>(pending.size(), 5));
        return fmt::format("behind: {} revision{} to apply ({}{}){}", pending.size(),
                           plural(pending.size()), join(shown),
                           pending.size() > shown.size() ? ", ..." : "",
                           initialized ? "" : "; the version table does not exist yet");
    }
    case database_condition::up_to_date:
        break;
    }
    return fmt::format("up to date at {}", rows_text(rows));
}

database_status inspect(connection& conn, const revision_set& set) {
    version_store store(set.settings());
    db_state state = store.load(conn);
    database_status status;
    status.initialized = state.initialized;
    status.rows = state.rows;
    status.invalid_indexes = state.invalid_indexes;
    for (const auto* h : set.graph().heads()) {
        status.heads.push_back(h->id);
    }
    detail::effective_graph g = detail::graph_for(conn, store, set, state);
    if (!state.interrupted.empty()) {
        status.migrator = migration_lock::holder(conn, store.lock_key());
        // With no migrator alive, a step that ran nothing was abandoned, not interrupted.
        if (!status.migrator && g.unrecoverable.empty()) {
            (void)detail::take_steps_that_ran_nothing(state, g.graph());
        }
    }
    status.interrupted = state.interrupted;
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
    status.drifted =
        detail::find_drift(conn, store, g.graph(), state, g.graph().applied(state.rows));
    return status;
}

} // namespace pgmig
