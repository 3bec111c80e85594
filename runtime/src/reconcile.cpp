#include "reconcile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace pgmig::detail {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : std::string(sep)) + item;
    }
    return out;
}

} // namespace

std::uint64_t digest_of(const revision_graph& graph, const std::vector<std::string>& applied) {
    std::vector<const revision*> revisions;
    revisions.reserve(applied.size());
    for (const auto& id : applied) {
        revisions.push_back(graph.find(id));
    }
    return applied_digest(revisions);
}

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

std::vector<drifted_revision> find_drift(connection& conn, const version_store& store,
                                         const revision_graph& graph, const db_state& state,
                                         const std::vector<std::string>& applied) {
    std::vector<drifted_revision> out;
    if (state.digest && *state.digest == digest_of(graph, applied)) {
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
            // An upgrade of X resumes with a target at or above X; a downgrade of X with one
            // below it.
            throw state_error(fmt::format(
                "revision {}{} was interrupted during its {}, after {} statement{}; fix the "
                "failing statement and run `{} {}{}` to resume it, or undo it by hand and run "
                "`stamp`",
                i.revision, where, to_string(i.dir), i.statements_done,
                i.statements_done == 1 ? "" : "s", to_string(i.dir), i.revision,
                i.dir == direction::downgrade ? "-1" : ""));
        }
        std::rotate(p.steps.begin(), step, step + 1);
    }
}

bool ran_nothing(const interrupted_step& step, const revision_graph& graph) {
    const revision* r = graph.find(step.revision);
    if (r == nullptr || r->is_cpp() || step.statements_done != 0) {
        return false; // C++ code has no statements to count: it may have done anything
    }
    const auto& statements = step.dir == direction::upgrade ? r->upgrade : r->downgrade;
    // Every statement that can commits together with its record, so none completed; one that
    // cannot (an index build) may have, or left something half done.
    return statements.empty() || !statements.front().autocommit;
}

std::vector<std::int64_t> take_steps_that_ran_nothing(db_state& state,
                                                      const revision_graph& graph) {
    std::vector<std::int64_t> out;
    auto keep = std::remove_if(state.interrupted.begin(), state.interrupted.end(),
                               [&](const interrupted_step& s) {
                                   if (!ran_nothing(s, graph)) {
                                       return false;
                                   }
                                   out.push_back(s.history_id);
                                   return true;
                               });
    state.interrupted.erase(keep, state.interrupted.end());
    return out;
}

prepared prepare(connection& conn, const version_store& store, const revision_set& set,
                 bool allow_unknown, bool locked, const plan_maker& make_plan,
                 std::optional<db_state> loaded) {
    prepared out;
    out.state = loaded ? std::move(*loaded) : store.load(conn);
    out.graph = graph_for(conn, store, set, out.state);
    if (!out.graph.unrecoverable.empty() || (!out.graph.unknown.empty() && !allow_unknown)) {
        refuse_unknown(out.graph);
    }
    auto drifted = find_drift(conn, store, out.graph.graph(), out.state,
                              out.graph.graph().applied(out.state.rows));
    if (!drifted.empty()) {
        refuse_drift(drifted);
    }
    out.abandoned = take_steps_that_ran_nothing(out.state, out.graph.graph());
    out.todo = make_plan(out.graph.graph(), out.state);
    if (locked) {
        place_interrupted(out.todo, out.state, out.graph.graph());
    }
    return out;
}

} // namespace pgmig::detail
