#pragma once

#include <pgmig/plan.hpp>
#include <pgmig/revision.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

namespace detail {
struct graph_data;
}

/// What a set allows; from pgmig_add_revisions().
struct graph_options {
    bool allow_multiple_heads = false;
    bool allow_irreversible = false;
};

/// Every problem with a set of revisions as a whole: duplicate ids, unknown references,
/// cycles, several heads, irreversible revisions where not allowed. Empty when valid.
[[nodiscard]] std::vector<diagnostic> validate_revisions(const std::vector<revision>& revisions,
                                                         const graph_options& options);

/// The revision graph of a set (Alembic's RevisionMap): pure, no I/O.
///
/// Edges are `revises` (parent) and `depends-on` (dependency). Heads are revisions no other
/// revision revises, as in Alembic. The version table holds the rows Alembic would keep in
/// alembic_version after the same commands (each plan step moves them as Alembic's does).
class revision_graph {
public:
    /// Throws source_error when ids repeat, references are unknown or there is a cycle.
    explicit revision_graph(std::vector<revision> revisions);
    ~revision_graph();
    revision_graph(revision_graph&&) noexcept;
    revision_graph& operator=(revision_graph&&) noexcept;

    /// All revisions, in the order they were given.
    [[nodiscard]] const std::vector<revision>& revisions() const;
    /// Parents before children, dependencies before dependants; the order plans follow.
    [[nodiscard]] std::vector<const revision*> topological() const;

    /// The revision with exactly this id, or null.
    [[nodiscard]] const revision* find(std::string_view id) const;
    /// An id, a branch label (the revision that declares it) or a unique id prefix.
    /// Throws graph_error naming the candidates when a prefix is ambiguous.
    [[nodiscard]] const revision& resolve(std::string_view reference) const;

    [[nodiscard]] std::vector<const revision*> heads() const;
    [[nodiscard]] std::vector<const revision*> bases() const;
    /// Revisions that revise this one.
    [[nodiscard]] std::vector<const revision*> children(const revision& r) const;
    [[nodiscard]] bool is_branch_point(const revision& r) const;
    [[nodiscard]] bool is_head(const revision& r) const;
    /// Branch labels that apply to a revision: declared on it, or inherited along its branch.
    [[nodiscard]] std::vector<std::string> labels_of(const revision& r) const;

    /// Every applied revision implied by these version-table rows, in topological order.
    /// Throws state_error when a row names a revision the graph does not know.
    [[nodiscard]] std::vector<std::string> applied(const std::vector<std::string>& rows) const;
    /// These revisions and everything that revises or depends on them, in topological order.
    [[nodiscard]] std::vector<std::string> descendants(const std::vector<std::string>& ids) const;
    /// What `alembic current` shows for these rows: every applied revision that no applied
    /// revision revises (a dependency's branch shows even where only a dependant is a row),
    /// in topological order. Throws state_error for an unknown row.
    [[nodiscard]] std::vector<std::string> current(const std::vector<std::string>& rows) const;
    /// The version-table rows that represent a set of applied revisions.
    [[nodiscard]] std::vector<std::string> rows_for(const std::vector<std::string>& applied) const;

    // --- planning (planner.cpp) ---------------------------------------------------------

    /// Steps from the state in `rows` to `target`. Target forms: heads, head, base, an id,
    /// a label or a unique prefix, label@head, label@base, label@<id>, +N, -N, <id>+N,
    /// <id>-N, label@+N, label@-N. Throws graph_error for targets that do not resolve.
    [[nodiscard]] plan plan_upgrade(const std::vector<std::string>& rows,
                                    std::string_view target) const;
    [[nodiscard]] plan plan_downgrade(const std::vector<std::string>& rows,
                                      std::string_view target) const;
    /// Steps from the state in `rows` to the state in `target_rows`, when one contains the
    /// other (an upgrade or a downgrade). Throws graph_error otherwise.
    [[nodiscard]] plan plan_to(const std::vector<std::string>& rows,
                               const std::vector<std::string>& target_rows) const;
    /// The version-table rows after stamping `target` onto the state in `rows`
    /// (moves only the branches the target touches, as alembic stamp does).
    [[nodiscard]] std::vector<std::string> stamp(const std::vector<std::string>& rows,
                                                 std::string_view target) const;

private:
    std::unique_ptr<detail::graph_data> m_impl;
};

} // namespace pgmig
