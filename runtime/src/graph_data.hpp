#pragma once

// The revision graph's data, shared by its parts: revision_graph.cpp builds and validates it
// and answers plain queries, planner.cpp turns targets (revision_target.hpp) into steps.

#include "revision_target.hpp"

#include <pgmig/revision_graph.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pgmig::detail {

using node = int;
using node_set = std::vector<char>; // membership flags indexed by node

[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

/// What a target means in one context: a set to reach, or a set to take away.
struct resolved_target {
    bool removal = false; ///< `set` is what to remove, not what to reach
    node_set set;
};

enum class context { upgrade, downgrade, stamp };

struct graph_data {
    std::vector<revision> revs;
    std::unordered_map<std::string_view, node> by_id;
    std::unordered_map<std::string_view, node> by_label;
    std::vector<std::vector<node>> parents, deps, children, dependants;
    /// Parents and the dependencies not inherited through `revises` (Alembic's normalized
    /// down revisions): the edges along which a step moves the version rows.
    std::vector<std::vector<node>> down_revisions;
    std::vector<node> topo;
    std::vector<std::vector<std::string>> labels;

    [[nodiscard]] std::size_t size() const { return revs.size(); }

    /// The edges to follow from a node: up to parents and dependencies, or down to children
    /// and dependants.
    [[nodiscard]] std::array<const std::vector<node>*, 2> edges(node n, bool up) const {
        if (up) {
            return {&parents[n], &deps[n]};
        }
        return {&children[n], &dependants[n]};
    }
    [[nodiscard]] node_set empty_set() const { return node_set(size(), 0); }

    [[nodiscard]] node_set from_nodes(const std::vector<node>& nodes) const {
        node_set s = empty_set();
        for (node n : nodes) {
            s[n] = 1;
        }
        return s;
    }

    /// The nodes reachable from `start` (included) through `up` (parents and dependencies)
    /// or down (children and dependants), staying inside `scope` when one is given.
    [[nodiscard]] node_set reach(const node_set& start, bool up, const node_set* scope = nullptr,
                                 bool with_dependencies = true) const {
        node_set seen = empty_set();
        std::vector<node> stack;
        for (node n = 0; n < static_cast<node>(size()); ++n) {
            if (start[n] && (!scope || (*scope)[n])) {
                seen[n] = 1;
                stack.push_back(n);
            }
        }
        while (!stack.empty()) {
            node n = stack.back();
            stack.pop_back();
            auto lists = edges(n, up);
            for (const auto* list : lists) {
                if (list == lists[1] && !with_dependencies) {
                    continue;
                }
                for (node m : *list) {
                    if (!seen[m] && (!scope || (*scope)[m])) {
                        seen[m] = 1;
                        stack.push_back(m);
                    }
                }
            }
        }
        return seen;
    }

    [[nodiscard]] node_set closure(const node_set& s) const { return reach(s, true); }
    [[nodiscard]] node_set descendants(const node_set& s) const { return reach(s, false); }

    [[nodiscard]] std::vector<node> ordered(const node_set& s) const {
        std::vector<node> out;
        for (node n : topo) {
            if (s[n]) {
                out.push_back(n);
            }
        }
        return out;
    }

    [[nodiscard]] std::vector<std::string> ids(const std::vector<node>& nodes) const {
        std::vector<std::string> out;
        out.reserve(nodes.size());
        for (node n : nodes) {
            out.push_back(revs[n].id);
        }
        return out;
    }

    [[nodiscard]] std::vector<std::string> ids(const node_set& s) const { return ids(ordered(s)); }

    [[nodiscard]] bool is_head(node n) const { return children[n].empty(); }

    [[nodiscard]] std::vector<node> head_nodes() const {
        std::vector<node> out;
        for (node n = 0; n < static_cast<node>(size()); ++n) {
            if (is_head(n)) {
                out.push_back(n);
            }
        }
        return out;
    }

    /// A head with its labels, as messages list them: `4f1c2a9b7e10 (auth)`.
    [[nodiscard]] std::string describe(node n) const {
        if (labels[n].empty()) {
            return revs[n].id;
        }
        return fmt::format("{} ({})", revs[n].id, join(labels[n]));
    }

    [[nodiscard]] std::string describe_all(const std::vector<node>& nodes) const {
        std::vector<std::string> parts;
        for (node n : nodes) {
            parts.push_back(describe(n));
        }
        return join(parts);
    }

    /// True when an applied revision revises or depends on n.
    [[nodiscard]] bool has_applied_above(node n, const node_set& applied) const {
        for (const auto* list : edges(n, false)) {
            for (node m : *list) {
                if (applied[m]) {
                    return true;
                }
            }
        }
        return false;
    }

    /// What `alembic current` shows: the applied revisions no applied revision revises.
    [[nodiscard]] node_set current_of(const node_set& applied) const {
        node_set out = empty_set();
        for (node n = 0; n < static_cast<node>(size()); ++n) {
            out[n] = applied[n] && std::none_of(children[n].begin(), children[n].end(),
                                                [&](node c) { return applied[c] != 0; });
        }
        return out;
    }

    [[nodiscard]] node_set rows_of(const node_set& applied) const {
        node_set rows = empty_set();
        for (node n = 0; n < static_cast<node>(size()); ++n) {
            rows[n] = applied[n] && !has_applied_above(n, applied) ? 1 : 0;
        }
        return rows;
    }

    node lookup(std::string_view ref) const {
        if (auto it = by_id.find(ref); it != by_id.end()) {
            return it->second;
        }
        if (auto it = by_label.find(ref); it != by_label.end()) {
            return it->second;
        }
        std::vector<node> matches;
        for (node n = 0; n < static_cast<node>(size()); ++n) {
            if (revs[n].id.starts_with(ref)) {
                matches.push_back(n);
            }
        }
        if (matches.size() == 1) {
            return matches.front();
        }
        if (matches.empty()) {
            throw graph_error(fmt::format("no revision '{}' in this set", ref));
        }
        std::vector<std::string> names = ids(matches);
        std::sort(names.begin(), names.end());
        throw graph_error(
            fmt::format("revision prefix '{}' is ambiguous: it matches {}", ref, join(names)));
    }

    /// Revisions on the branch a label names: the labelled revision, its descendants, and the
    /// linear run below it down to the nearest branch point or merge (Alembic's rule).
    [[nodiscard]] node_set members(std::string_view label) const {
        auto it = by_label.find(label);
        if (it == by_label.end()) {
            throw graph_error(fmt::format("no branch label '{}' in this set", label));
        }
        node_set out = empty_set();
        for (node n = 0; n < static_cast<node>(size()); ++n) {
            for (const auto& l : labels[n]) {
                if (l == label) {
                    out[n] = 1;
                }
            }
        }
        return out;
    }

    [[nodiscard]] std::vector<node> heads_within(const node_set& scope) const {
        std::vector<node> out;
        for (node n : topo) {
            if (!scope[n]) {
                continue;
            }
            bool has_child_in_scope = false;
            for (node c : children[n]) {
                has_child_in_scope = has_child_in_scope || scope[c];
            }
            if (!has_child_in_scope) {
                out.push_back(n);
            }
        }
        return out;
    }

    [[nodiscard]] node_set and_set(const node_set& a, const node_set& b) const {
        node_set out = empty_set();
        for (std::size_t i = 0; i < size(); ++i) {
            out[i] = a[i] && b[i];
        }
        return out;
    }

    [[nodiscard]] node_set or_set(const node_set& a, const node_set& b) const {
        node_set out = empty_set();
        for (std::size_t i = 0; i < size(); ++i) {
            out[i] = a[i] || b[i];
        }
        return out;
    }

    [[nodiscard]] node_set minus(const node_set& a, const node_set& b) const {
        node_set out = empty_set();
        for (std::size_t i = 0; i < size(); ++i) {
            out[i] = a[i] && !b[i];
        }
        return out;
    }

    /// The revisions the version-table rows name. Throws state_error for an unknown one.
    [[nodiscard]] node_set row_nodes(const std::vector<std::string>& rows) const {
        node_set out = empty_set();
        for (const auto& row : rows) {
            auto it = by_id.find(row);
            if (it == by_id.end()) {
                throw state_error(fmt::format(
                    "the database is at revision {}, which this build does not know", row));
            }
            out[it->second] = 1;
        }
        return out;
    }

    [[nodiscard]] node_set applied_from_rows(const std::vector<std::string>& rows) const {
        return closure(row_nodes(rows));
    }

    [[nodiscard]] std::string current_text(const node_set& applied) const {
        std::vector<std::string> rows = ids(rows_of(applied));
        return rows.empty() ? std::string("base") : join(rows);
    }

    // --- planning (planner.cpp) ---------------------------------------------------------

    /// The `n` candidates that must come first (walking up) or last (walking down), when that
    /// set is the same whichever order a plan takes. A candidate belongs to some first-n set
    /// exactly when it and everything it needs within `scope` fit in n, so the set is unique
    /// exactly when n candidates qualify. Alembic reports "Ambiguous walk" for many of these
    /// cases; we answer whenever the answer is unique.
    [[nodiscard]] node_set select_steps(const node_set& scope, const node_set& candidates, int n,
                                        bool up, const parsed_target& t) const;

    [[nodiscard]] node resolve_single(const std::string& base, const node_set* scope,
                                      const parsed_target& t) const;

    [[nodiscard]] resolved_target resolve(const node_set& applied, const node_set& rows,
                                          const parsed_target& t, context ctx) const;

    /// Base, where a node is expected: below every root.
    static constexpr node no_node = -1;
    /// One step up along `revises`: the children of n, or the roots above base.
    [[nodiscard]] std::vector<node> revised_by(node n) const {
        if (n != no_node) {
            return children[n];
        }
        std::vector<node> roots;
        for (node c = 0; c < static_cast<node>(size()); ++c) {
            if (parents[c].empty()) {
                roots.push_back(c);
            }
        }
        return roots;
    }
    /// Where Alembic's walk of `steps` along `revises` from `start` (or base) ends: one
    /// revision per step, up to the only child (within scope) or down to the only parent.
    struct walked {
        enum { reached, ambiguous, too_far } outcome;
        node at;
    };
    [[nodiscard]] walked walk(node start, int steps, const node_set* scope) const;
    /// What a downgrade to `target` (or base) reverts, as Alembic's does; `row`, when given,
    /// is the one row the walk started from, and only the children on its path go.
    [[nodiscard]] node_set removal_to(const node_set& applied, node target, node row) const;

    [[nodiscard]] resolved_target resolve_relative(const node_set& applied, const node_set& rows,
                                                   const parsed_target& t, context ctx,
                                                   const node_set* scope) const;

    /// The removal set a downgrade to a reached-set target means: everything applied above it.
    [[nodiscard]] node_set removal_below(const node_set& applied, const node_set& target,
                                         const parsed_target& t) const;

    /// The steps in order, each with the version rows it moves. `rows` are the rows the
    /// database holds (they may name a revision another row implies, as Alembic's may).
    plan make_plan(const node_set& rows, const node_set& steps, direction dir) const;
    /// How one step moves the rows, as Alembic's HeadMaintainer moves alembic_version.
    void move_rows(node n, direction dir, node_set& rows, plan_step& step) const;
};

} // namespace pgmig::detail
