#pragma once

// Reconciling what the database records with what this build knows: the graph to plan with
// (the embedded one, or one extended with revisions rebuilt from the history table), changed
// checksums, and interrupted steps. Read-only: the commands decide what to do with the answers.

#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/status.hpp>
#include <pgmig/version_store.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail {

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

[[nodiscard]] effective_graph graph_for(connection& conn, const version_store& store,
                                        const revision_set& set, const db_state& state);

/// Applied revisions whose text changed since. The digest on the version rows answers "none"
/// without reading the history; only when it differs are the recorded checksums read, to name
/// the revisions.
[[nodiscard]] std::vector<drifted_revision> find_drift(connection& conn, const version_store& store,
                                                       const revision_graph& graph,
                                                       const db_state& state,
                                                       const std::vector<std::string>& applied);

/// The applied-set digest of these applied revisions of `graph`.
[[nodiscard]] std::uint64_t digest_of(const revision_graph& graph,
                                      const std::vector<std::string>& applied);

[[noreturn]] void refuse_unknown(const effective_graph& g);
[[noreturn]] void refuse_drift(const std::vector<drifted_revision>& drifted);

/// An interrupted transaction-off step must be resumed before anything else happens: it goes
/// first in the plan (its parents are applied, or it could not have started), or the plan
/// is refused.
void place_interrupted(plan& p, const db_state& state, const revision_graph& graph);

/// A step interrupted before its first statement completed, when that statement commits
/// together with its record (not an index build, not C++ code): nothing of it ran, so it is no
/// interrupted step but an abandoned one.
[[nodiscard]] bool ran_nothing(const interrupted_step& step, const revision_graph& graph);

/// Removes the steps that ran nothing from `state.interrupted`; their history row ids.
std::vector<std::int64_t> take_steps_that_ran_nothing(db_state& state, const revision_graph& graph);

/// Everything a write needs, read from the database: the state, the graph and the plan.
struct prepared {
    db_state state;
    effective_graph graph;
    plan todo;
    std::vector<std::int64_t> abandoned; ///< history rows of steps that ran nothing
};

using plan_maker = std::function<plan(const revision_graph&, const db_state&)>;

/// Reads the state and plans; refuses unknown revisions (unless allowed: downgrades walk them
/// with the stored SQL) and changed checksums. Unfinished steps are interrupted ones only for
/// a migrator that holds the lock (before that, another one may be running them): with
/// `locked`, a plan that does not resume them is refused. `loaded` is a state just read, saving
/// the read.
[[nodiscard]] prepared prepare(connection& conn, const version_store& store,
                               const revision_set& set, bool allow_unknown, bool locked,
                               const plan_maker& make_plan,
                               std::optional<db_state> loaded = std::nullopt);

} // namespace pgmig::detail
