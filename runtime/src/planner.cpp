// The planner: what a target means for the current state, and the ordered steps that reach it.

#include "graph_data.hpp"

#include <unordered_set>

namespace pgmig {
namespace detail {

node_set graph_data::select_steps(const node_set& scope, const node_set& candidates, int n, bool up,
                                  const parsed_target& t) const {
    std::size_t available = 0;
    for (char c : candidates) {
        available += c ? 1 : 0;
    }
    if (available < static_cast<std::size_t>(n)) {
        throw graph_error(fmt::format("target '{}': only {} revision{} to {}", t.text, available,
                                      available == 1 ? "" : "s", up ? "apply" : "revert"));
    }
    node_set chosen = empty_set();
    std::vector<node> chosen_nodes;
    for (node y = 0; y < static_cast<node>(size()); ++y) {
        if (!candidates[y]) {
            continue;
        }
        // Walk what y needs (up: its ancestors; down: its descendants) within scope,
        // giving up as soon as it leaves the candidates or exceeds n.
        std::unordered_set<node> seen{y};
        std::vector<node> stack{y};
        bool eligible = true;
        while (!stack.empty() && eligible) {
            node m = stack.back();
            stack.pop_back();
            for (const auto* list : edges(m, up)) {
                for (node k : *list) {
                    if (!scope[k] || seen.count(k)) {
                        continue;
                    }
                    if (!candidates[k] || static_cast<int>(seen.size()) >= n) {
                        eligible = false;
                        break;
                    }
                    seen.insert(k);
                    stack.push_back(k);
                }
            }
        }
        if (eligible && static_cast<int>(seen.size()) <= n) {
            chosen[y] = 1;
            chosen_nodes.push_back(y);
        }
    }
    if (static_cast<int>(chosen_nodes.size()) != n) {
        // The next (or last) revisions on each path: what the user can choose between.
        std::vector<node> options;
        for (node y : ordered(candidates)) {
            bool first = true;
            for (const auto* list : edges(y, up)) {
                for (node k : *list) {
                    first = first && !(scope[k] && candidates[k]);
                }
            }
            if (first) {
                options.push_back(y);
            }
        }
        throw graph_error(
            fmt::format("target '{}' is ambiguous: {} {} revision{} could be {} ({} on separate "
                        "branches); name the revision or use label@{}{}",
                        t.text, up ? "the next" : "the last", n, n == 1 ? "" : "s",
                        up ? "applied" : "reverted", describe_all(options), up ? "+" : "-", n));
    }
    return chosen;
}

node graph_data::resolve_single(const std::string& base, const node_set* scope,
                                const parsed_target& t) const {
    if (base == "head" || base == "heads") {
        std::vector<node> hs = scope ? heads_within(*scope) : head_nodes();
        if (hs.size() != 1) {
            throw graph_error(fmt::format("target '{}': there are {} heads ({}); name one{}",
                                          t.text, hs.size(), describe_all(hs),
                                          t.label.empty() ? ", or use a label@head target" : ""));
        }
        return hs.front();
    }
    if (base == "base") {
        throw graph_error(fmt::format("target '{}': base is not a revision to step from", t.text));
    }
    node x = lookup(base);
    if (scope && !(*scope)[x]) {
        throw graph_error(fmt::format("target '{}': revision {} is not on branch '{}'", t.text,
                                      revs[x].id, t.label));
    }
    return x;
}

resolved_target graph_data::resolve(const node_set& applied, const node_set& rows,
                                    const parsed_target& t, context ctx) const {
    node_set scope_storage;
    const node_set* scope = nullptr;
    if (!t.label.empty()) {
        scope_storage = members(t.label);
        scope = &scope_storage;
    }
    if (t.relative) {
        return resolve_relative(applied, rows, t, ctx, scope);
    }
    resolved_target r;
    if (t.base == "base") {
        r.removal = true;
        r.set = scope ? and_set(applied, descendants(*scope)) : applied;
        if (ctx == context::upgrade) {
            r = resolved_target{false, empty_set()};
        }
        return r;
    }
    if (t.base == "heads" || (t.base == "head" && scope)) {
        std::vector<node> hs = scope ? heads_within(*scope) : head_nodes();
        if (t.base == "head" && hs.size() != 1) {
            (void)resolve_single(t.base, scope, t); // throws, listing the heads
        }
        r.set = from_nodes(hs);
        return r;
    }
    r.set = from_nodes({resolve_single(t.base, scope, t)});
    return r;
}

graph_data::walked graph_data::walk(node start, int steps, const node_set* scope) const {
    walked w{walked::reached, start};
    for (int i = 0; i < std::abs(steps); ++i) {
        std::vector<node> next;
        if (steps > 0) {
            next = revised_by(w.at);
            if (scope) {
                std::erase_if(next, [&](node c) { return !(*scope)[c]; });
            }
        } else if (w.at == no_node) {
            return {walked::too_far, no_node};
        } else if (parents[w.at].empty()) {
            next.push_back(no_node); // below a root lies base
        } else {
            next = parents[w.at];
        }
        if (next.empty()) {
            return {walked::too_far, no_node};
        }
        if (next.size() > 1) {
            return {walked::ambiguous, no_node};
        }
        w.at = next.front();
    }
    return w;
}

node_set graph_data::removal_to(const node_set& applied, node target, node row) const {
    // Alembic's downgrade: what goes is everything above the target's children (what revises or
    // depends on them); what depends on the target itself stays, since the target does. Base
    // stands below every root. Walking down from one row, only the children on its path go.
    std::vector<node> roots = revised_by(target);
    if (row != no_node && roots.size() > 1) {
        node_set path = reach(from_nodes({row}), true, nullptr, false);
        std::erase_if(roots, [&](node c) { return !path[c]; });
    }
    node_set removal = and_set(applied, descendants(from_nodes(roots)));
    return target == no_node ? removal : minus(removal, closure(from_nodes({target})));
}

resolved_target graph_data::resolve_relative(const node_set& applied, const node_set& rows,
                                             const parsed_target& t, context ctx,
                                             const node_set* scope) const {
    const int n = std::abs(t.steps);
    resolved_target r;
    // As Alembic does, a relative target first walks the graph along `revises`, one revision
    // per step, from the one current row or the named revision, and then means that revision.
    // Where Alembic's walk stops (a branch point, a merge, several rows) pgmig answers only
    // when one set of N revisions can come first (select_steps), and otherwise refuses.
    std::vector<node> current;
    for (node m : ordered(rows)) {
        if (!scope || (*scope)[m]) {
            current.push_back(m);
        }
    }
    if (t.base.empty()) {
        if (t.steps > 0) {
            if (ctx == context::downgrade) {
                throw graph_error(
                    fmt::format("target '{}': downgrade steps back with -N, not +N", t.text));
            }
            if (current.size() <= 1) {
                walked w = walk(current.empty() ? no_node : current.front(), t.steps, scope);
                if (w.outcome == walked::reached) {
                    r.set = from_nodes({w.at});
                    return r;
                }
            }
            std::vector<node> hs = scope ? heads_within(*scope) : head_nodes();
            node_set pending = minus(closure(from_nodes(hs)), applied);
            r.set = select_steps(pending, pending, n, true, t);
            return r;
        }
        if (ctx == context::upgrade) {
            throw graph_error(
                fmt::format("target '{}': upgrade steps forward with +N, not -N", t.text));
        }
        r.removal = true;
        if (scope && current.empty()) {
            // No row on the branch (a dependant elsewhere holds it): Alembic walks from the
            // branch's current revision instead.
            current = ordered(and_set(current_of(applied), *scope));
        }
        if (current.size() == 1) {
            walked w = walk(current.front(), t.steps, nullptr);
            if (w.outcome == walked::reached) {
                r.set = removal_to(applied, w.at, current.front());
                return r;
            }
        }
        node_set candidates = scope ? and_set(applied, *scope) : applied;
        r.set = select_steps(applied, candidates, n, false, t);
        return r;
    }
    node x = resolve_single(t.base, scope, t);
    if (walked w = walk(x, t.steps, scope); w.outcome == walked::reached) {
        if (ctx == context::downgrade) {
            r.removal = true;
            r.set = removal_to(applied, w.at, no_node);
        } else {
            r.set = w.at == no_node ? empty_set() : from_nodes({w.at});
        }
        return r;
    }
    if (t.steps > 0) {
        node_set above = descendants(from_nodes({x}));
        above[x] = 0;
        r.set = select_steps(above, above, n, true, t);
        r.set[x] = 1;
        return r;
    }
    node_set below = closure(from_nodes({x}));
    node_set taken = select_steps(below, below, n, false, t);
    if (ctx == context::upgrade) {
        r.set = rows_of(minus(below, taken)); // reach what remains under x
        return r;
    }
    r.removal = true;
    r.set = and_set(applied, descendants(taken));
    return r;
}

node_set graph_data::removal_below(const node_set& applied, const node_set& target,
                                   const parsed_target& t) const {
    for (node x = 0; x < static_cast<node>(size()); ++x) {
        if (target[x] && !applied[x]) {
            throw graph_error(
                fmt::format("target '{}': revision {} is not applied, so the database cannot be "
                            "downgraded to it (current: {})",
                            t.text, revs[x].id, current_text(applied)));
        }
    }
    node_set removal = empty_set();
    for (node x : ordered(target)) {
        removal = or_set(removal, removal_to(applied, x, no_node));
    }
    return minus(removal, closure(target));
}

void graph_data::move_rows(node n, direction dir, node_set& rows, plan_step& step) const {
    const std::vector<node>& down = down_revisions[n];
    node_set gone = empty_set();
    node_set added = empty_set();
    // What the other rows already imply: a row is never added for it, and (merging) one of
    // the step's down revisions that it covers stays where it is.
    auto implied_by_others = [&](node except, const node_set& exclude) {
        node_set others = empty_set();
        for (node m = 0; m < static_cast<node>(size()); ++m) {
            others[m] = rows[m] && m != except && !exclude[m];
        }
        return closure(others);
    };
    if (dir == direction::upgrade) {
        node_set down_set = from_nodes(down);
        std::vector<node> present;
        for (node m : down) {
            if (rows[m]) {
                present.push_back(m);
            }
        }
        if (present.size() > 1) {
            // A merge: the down revisions that no other row implies give way to n.
            node_set implied = implied_by_others(no_node, down_set);
            for (node m : present) {
                gone[m] = implied[m] ? 0 : 1;
            }
        } else if (present.size() == 1) {
            gone[present.front()] = 1;
        }
        added[n] = 1;
    } else if (rows[n]) {
        gone[n] = 1;
        node_set implied = implied_by_others(n, empty_set());
        for (node m : down) {
            added[m] = implied[m] ? 0 : 1;
        }
    } else {
        // Not a row (another row implied it): nothing names it, so nothing moves.
    }
    for (node m : ordered(gone)) {
        rows[m] = 0;
        step.rows_removed.push_back(revs[m].id);
    }
    for (node m : ordered(added)) {
        rows[m] = 1;
        step.rows_added.push_back(revs[m].id);
    }
}

plan graph_data::make_plan(const node_set& rows_now, const node_set& steps, direction dir) const {
    plan p;
    p.dir = dir;
    node_set rows = rows_now;
    p.rows_before = ids(rows);
    std::vector<node> order = ordered(steps);
    if (dir == direction::downgrade) {
        std::reverse(order.begin(), order.end());
    }
    for (node n : order) {
        plan_step step;
        step.rev = &revs[n];
        step.dir = dir;
        move_rows(n, dir, rows, step);
        p.steps.push_back(std::move(step));
    }
    p.rows_after = ids(rows);
    return p;
}

} // namespace detail

using detail::context;
using detail::node_set;
using detail::parse_target;
using detail::parsed_target;
using detail::resolved_target;

plan revision_graph::plan_upgrade(const std::vector<std::string>& rows,
                                  std::string_view target) const {
    const detail::graph_data& g = *m_impl;
    node_set held = g.row_nodes(rows);
    node_set applied = g.closure(held);
    parsed_target t = parse_target(target);
    resolved_target r = g.resolve(applied, held, t, context::upgrade);
    node_set pending = g.minus(g.closure(r.set), applied);
    return g.make_plan(held, pending, direction::upgrade);
}

plan revision_graph::plan_downgrade(const std::vector<std::string>& rows,
                                    std::string_view target) const {
    const detail::graph_data& g = *m_impl;
    node_set held = g.row_nodes(rows);
    node_set applied = g.closure(held);
    parsed_target t = parse_target(target);
    resolved_target r = g.resolve(applied, held, t, context::downgrade);
    node_set removal = r.removal ? r.set : g.removal_below(applied, r.set, t);
    return g.make_plan(held, removal, direction::downgrade);
}

plan revision_graph::plan_to(const std::vector<std::string>& rows,
                             const std::vector<std::string>& target_rows) const {
    const detail::graph_data& g = *m_impl;
    node_set held = g.row_nodes(rows);
    node_set applied = g.closure(held);
    node_set target = g.applied_from_rows(target_rows);
    node_set up = g.minus(target, applied);
    node_set down = g.minus(applied, target);
    bool any_up = std::find(up.begin(), up.end(), 1) != up.end();
    bool any_down = std::find(down.begin(), down.end(), 1) != down.end();
    if (any_up && any_down) {
        throw graph_error("the target state is neither above nor below the current one");
    }
    return any_down ? g.make_plan(held, down, direction::downgrade)
                    : g.make_plan(held, up, direction::upgrade);
}

std::vector<std::string> revision_graph::stamp(const std::vector<std::string>& rows,
                                               std::string_view target) const {
    const detail::graph_data& g = *m_impl;
    node_set held = g.row_nodes(rows);
    node_set applied = g.closure(held);
    parsed_target t = parse_target(target);
    resolved_target r = g.resolve(applied, held, t, context::stamp);
    node_set next;
    if (r.removal) {
        next = g.minus(applied, r.set);
    } else {
        // As alembic stamp does: rows above or below the target are replaced by it; rows on
        // unrelated branches stay.
        node_set related = g.descendants(r.set);
        node_set reach = g.closure(r.set);
        node_set current = g.rows_of(applied);
        node_set kept = r.set;
        for (std::size_t i = 0; i < g.size(); ++i) {
            kept[i] = kept[i] || (current[i] && !related[i] && !reach[i]);
        }
        next = g.closure(kept);
    }
    return g.ids(g.rows_of(next));
}

} // namespace pgmig
