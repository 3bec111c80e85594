#include <pgmig/revision_graph.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <unordered_map>
#include <unordered_set>

namespace pgmig {

const char* to_string(direction d) {
    return d == direction::upgrade ? "upgrade" : "downgrade";
}

std::string rows_text(const std::vector<std::string>& rows) {
    if (rows.empty()) {
        return "base";
    }
    std::string out;
    for (const auto& r : rows) {
        out += (out.empty() ? "" : ", ") + r;
    }
    return out;
}

namespace {

using node = int;
using node_set = std::vector<char>; // membership flags indexed by node

/// A target split into its parts: `[label@][base][+N|-N]`.
struct parsed_target {
    std::string text;
    std::string label;
    std::string base;
    int steps = 0; ///< signed; meaningful when relative
    bool relative = false;
};

bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

parsed_target parse_target(std::string_view text) {
    parsed_target t;
    t.text = std::string(text);
    if (text.empty()) {
        throw graph_error("empty target: give a revision id, head, heads, base, +N or -N");
    }
    if (auto at = text.find('@'); at != std::string_view::npos) {
        t.label = std::string(text.substr(0, at));
        text.remove_prefix(at + 1);
        if (t.label.empty()) {
            throw graph_error(
                fmt::format("target '{}': nothing before '@'; write label@head", t.text));
        }
    }
    if (auto sign = text.find_last_of("+-"); sign != std::string_view::npos) {
        auto digits = text.substr(sign + 1);
        int n = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n <= 0) {
            throw graph_error(fmt::format(
                "target '{}': a relative step is +N or -N with N a positive number", t.text));
        }
        t.relative = true;
        t.steps = text[sign] == '+' ? n : -n;
        text = text.substr(0, sign);
    }
    t.base = std::string(text);
    for (char c : t.base) {
        if (!is_id_char(c)) {
            throw graph_error(fmt::format("target '{}' is not a revision, head, heads, base, "
                                          "label@head, +N or -N",
                                          t.text));
        }
    }
    return t;
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += item;
    }
    return out;
}

/// What a target means in one context: a set to reach, or a set to take away.
struct resolved_target {
    bool removal = false; ///< `set` is what to remove, not what to reach
    node_set set;
};

enum class context { upgrade, downgrade, stamp };

} // namespace

struct revision_graph::impl {
    std::vector<revision> revs;
    std::unordered_map<std::string_view, node> by_id;
    std::unordered_map<std::string_view, node> by_label;
    std::vector<std::vector<node>> parents, deps, children, dependants;
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
    [[nodiscard]] node_set reach(const node_set& start, bool up,
                                 const node_set* scope = nullptr) const {
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
            for (const auto* list : edges(n, up)) {
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

    /// The `n` candidates that must come first (walking up) or last (walking down), when that
    /// set is the same whichever order a plan takes. A candidate belongs to some first-n set
    /// exactly when it and everything it needs within `scope` fit in n, so the set is unique
    /// exactly when n candidates qualify. Alembic reports "Ambiguous walk" for many of these
    /// cases; we answer whenever the answer is unique.
    [[nodiscard]] node_set select_steps(const node_set& scope, const node_set& candidates, int n,
                                        bool up, const parsed_target& t) const {
        std::size_t available = 0;
        for (char c : candidates) {
            available += c ? 1 : 0;
        }
        if (available < static_cast<std::size_t>(n)) {
            throw graph_error(fmt::format("target '{}': only {} revision{} to {}", t.text,
                                          available, available == 1 ? "" : "s",
                                          up ? "apply" : "revert"));
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
            throw graph_error(fmt::format(
                "target '{}' is ambiguous: {} {} revision{} could be {} ({} on separate "
                "branches); name the revision or use label@{}{}",
                t.text, up ? "the next" : "the last", n, n == 1 ? "" : "s",
                up ? "applied" : "reverted", describe_all(options), up ? "+" : "-", n));
        }
        return chosen;
    }

    [[nodiscard]] node resolve_single(const std::string& base, const node_set* scope,
                                      const parsed_target& t) const {
        if (base == "head" || base == "heads") {
            std::vector<node> hs = scope ? heads_within(*scope) : head_nodes();
            if (hs.size() != 1) {
                throw graph_error(fmt::format(
                    "target '{}': there are {} heads ({}); name one{}", t.text, hs.size(),
                    describe_all(hs), t.label.empty() ? ", or use a label@head target" : ""));
            }
            return hs.front();
        }
        if (base == "base") {
            throw graph_error(
                fmt::format("target '{}': base is not a revision to step from", t.text));
        }
        node x = lookup(base);
        if (scope && !(*scope)[x]) {
            throw graph_error(fmt::format("target '{}': revision {} is not on branch '{}'", t.text,
                                          revs[x].id, t.label));
        }
        return x;
    }

    [[nodiscard]] resolved_target resolve(const node_set& applied, const parsed_target& t,
                                          context ctx) const {
        node_set scope_storage;
        const node_set* scope = nullptr;
        if (!t.label.empty()) {
            scope_storage = members(t.label);
            scope = &scope_storage;
        }
        if (t.relative) {
            return resolve_relative(applied, t, ctx, scope);
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

    [[nodiscard]] resolved_target resolve_relative(const node_set& applied, const parsed_target& t,
                                                   context ctx, const node_set* scope) const {
        const int n = std::abs(t.steps);
        resolved_target r;
        if (t.base.empty()) {
            if (t.steps > 0) {
                if (ctx == context::downgrade) {
                    throw graph_error(
                        fmt::format("target '{}': downgrade steps back with -N, not +N", t.text));
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
            node_set candidates = scope ? and_set(applied, *scope) : applied;
            r.removal = true;
            r.set = select_steps(applied, candidates, n, false, t);
            return r;
        }
        node x = resolve_single(t.base, scope, t);
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

    [[nodiscard]] node_set and_set(const node_set& a, const node_set& b) const {
        node_set out = empty_set();
        for (std::size_t i = 0; i < size(); ++i) {
            out[i] = a[i] && b[i];
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

    [[nodiscard]] node_set applied_from_rows(const std::vector<std::string>& rows) const {
        node_set start = empty_set();
        for (const auto& row : rows) {
            auto it = by_id.find(row);
            if (it == by_id.end()) {
                throw state_error(fmt::format(
                    "the database is at revision {}, which this build does not know", row));
            }
            start[it->second] = 1;
        }
        return closure(start);
    }

    /// The removal set a downgrade to a reached-set target means: everything applied above it.
    [[nodiscard]] node_set removal_below(const node_set& applied, const node_set& target,
                                         const parsed_target& t) const {
        for (node x = 0; x < static_cast<node>(size()); ++x) {
            if (target[x] && !applied[x]) {
                throw graph_error(fmt::format(
                    "target '{}': revision {} is not applied, so the database cannot be "
                    "downgraded to it (current: {})",
                    t.text, revs[x].id, current_text(applied)));
            }
        }
        return and_set(applied, minus(descendants(target), closure(target)));
    }

    [[nodiscard]] std::string current_text(const node_set& applied) const {
        std::vector<std::string> rows = ids(rows_of(applied));
        return rows.empty() ? std::string("base") : join(rows);
    }

    plan make_plan(const node_set& applied, const node_set& steps, direction dir) const {
        plan p;
        p.dir = dir;
        node_set state = applied;
        node_set rows = rows_of(state);
        p.rows_before = ids(rows);
        std::vector<node> order = ordered(steps);
        if (dir == direction::downgrade) {
            std::reverse(order.begin(), order.end());
        }
        for (node n : order) {
            plan_step step;
            step.rev = &revs[n];
            step.dir = dir;
            // Only the step's own parents and dependencies can enter or leave the rows.
            if (dir == direction::upgrade) {
                state[n] = 1;
                for (const auto* list : edges(n, true)) {
                    for (node m : *list) {
                        if (rows[m]) {
                            rows[m] = 0;
                            step.rows_removed.push_back(revs[m].id);
                        }
                    }
                }
                rows[n] = 1;
                step.rows_added.push_back(revs[n].id);
            } else {
                state[n] = 0;
                rows[n] = 0;
                step.rows_removed.push_back(revs[n].id);
                for (const auto* list : edges(n, true)) {
                    for (node m : *list) {
                        if (state[m] && !rows[m] && !has_applied_above(m, state)) {
                            rows[m] = 1;
                            step.rows_added.push_back(revs[m].id);
                        }
                    }
                }
            }
            p.steps.push_back(std::move(step));
        }
        p.rows_after = ids(rows);
        return p;
    }
};

namespace {

/// Index of revisions by id, built without assuming the set is valid.
std::unordered_map<std::string_view, std::size_t> index_ids(const std::vector<revision>& revs,
                                                            std::vector<diagnostic>& out) {
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < revs.size(); ++i) {
        const revision& r = revs[i];
        auto [it, inserted] = index.emplace(r.id, i);
        if (!inserted) {
            const revision& first = revs[it->second];
            out.push_back({severity::error, r.where,
                           fmt::format("duplicate revision id {}; it is also the id of {}:{}", r.id,
                                       first.where.file, first.where.line),
                           "duplicate-id"});
        }
    }
    return index;
}

/// Structural problems: repeated ids, unknown references, label clashes, cycles.
std::vector<diagnostic> structural_problems(const std::vector<revision>& revs) {
    std::vector<diagnostic> out;
    auto index = index_ids(revs, out);

    std::unordered_map<std::string_view, std::size_t> label_owner;
    for (std::size_t i = 0; i < revs.size(); ++i) {
        const revision& r = revs[i];
        source_location at{r.where.file,
                           r.branch_labels_line ? r.branch_labels_line : r.where.line};
        for (const auto& label : r.branch_labels) {
            if (index.count(label)) {
                out.push_back({severity::error, at,
                               fmt::format("branch label '{}' is also a revision id", label),
                               "label-clash"});
            }
            auto [it, inserted] = label_owner.emplace(label, i);
            if (!inserted && it->second != i) {
                out.push_back({severity::error, at,
                               fmt::format("branch label '{}' is already used by revision {}",
                                           label, revs[it->second].id),
                               "label-clash"});
            }
        }
    }
    for (const revision& r : revs) {
        auto check = [&](const std::vector<std::string>& refs, int line, const char* what,
                         bool labels_allowed) {
            source_location at{r.where.file, line ? line : r.where.line};
            for (const auto& ref : refs) {
                if (ref == r.id) {
                    out.push_back({severity::error, at,
                                   fmt::format("revision {} {} itself", r.id, what),
                                   "self-reference"});
                } else if (!index.count(ref) && !(labels_allowed && label_owner.count(ref))) {
                    out.push_back(
                        {severity::error, at,
                         fmt::format("revision {} {} unknown revision {}", r.id, what, ref),
                         "unknown-revision"});
                }
            }
        };
        check(r.revises, r.revises_line, "revises", false);
        check(r.depends_on, r.depends_on_line, "depends on", true);
    }
    if (!out.empty()) {
        return out; // a cycle search over dangling references would only add noise
    }

    // Cycle search over revises and depends-on edges: iterative DFS with colours.
    auto target_of = [&](const std::string& ref) {
        auto it = index.find(ref);
        return it != index.end() ? it->second : label_owner.at(ref);
    };
    std::vector<int> colour(revs.size(), 0); // 0 new, 1 on stack, 2 done
    std::vector<std::size_t> parent_of(revs.size(), SIZE_MAX);
    for (std::size_t root = 0; root < revs.size(); ++root) {
        if (colour[root]) {
            continue;
        }
        std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};
        colour[root] = 1;
        while (!stack.empty()) {
            auto& [n, edge] = stack.back();
            const revision& r = revs[n];
            std::size_t total = r.revises.size() + r.depends_on.size();
            if (edge == total) {
                colour[n] = 2;
                stack.pop_back();
                continue;
            }
            const std::string& ref =
                edge < r.revises.size() ? r.revises[edge] : r.depends_on[edge - r.revises.size()];
            ++edge;
            std::size_t m = target_of(ref);
            if (colour[m] == 0) {
                colour[m] = 1;
                parent_of[m] = n;
                stack.emplace_back(m, 0);
            } else if (colour[m] == 1) {
                std::vector<std::string> cycle;
                std::size_t from = stack.back().first;
                for (std::size_t k = from;; k = parent_of[k]) {
                    cycle.push_back(fmt::format("{} ({}:{})", revs[k].id, revs[k].where.file,
                                                revs[k].where.line));
                    if (k == m) {
                        break;
                    }
                }
                out.push_back({severity::error, revs[m].where,
                               fmt::format("cycle in the revision graph: {}", join(cycle, " -> ")),
                               "cycle"});
                return out;
            }
        }
    }
    return out;
}

} // namespace

std::vector<diagnostic> validate_revisions(const std::vector<revision>& revisions,
                                           const graph_options& options) {
    std::vector<diagnostic> out = structural_problems(revisions);
    for (const revision& r : revisions) {
        if (r.irreversible && !options.allow_irreversible) {
            out.push_back({severity::error, r.where,
                           fmt::format("revision {} declares its downgrade irreversible, but the "
                                       "set does not allow it (pass ALLOW_IRREVERSIBLE to "
                                       "pgmig_add_revisions, or write a downgrade)",
                                       r.id),
                           "irreversible"});
        }
    }
    if (!out.empty() || options.allow_multiple_heads) {
        return out;
    }
    std::unordered_set<std::string_view> revised;
    for (const revision& r : revisions) {
        revised.insert(r.revises.begin(), r.revises.end());
    }
    std::vector<const revision*> heads;
    for (const revision& r : revisions) {
        if (!revised.count(r.id)) {
            heads.push_back(&r);
        }
    }
    if (heads.size() > 1) {
        std::vector<std::string> listed;
        for (const revision* h : heads) {
            listed.push_back(fmt::format("{} ({}:{})", h->id, h->where.file, h->where.line));
        }
        for (const revision* h : heads) {
            out.push_back({severity::error, h->where,
                           fmt::format("the set has {} heads: {}; merge them with "
                                       "`<set>-migrate merge -m MESSAGE heads` or pass "
                                       "ALLOW_MULTIPLE_HEADS",
                                       heads.size(), join(listed)),
                           "multiple-heads"});
        }
    }
    return out;
}

revision_graph::revision_graph(std::vector<revision> revisions) : m_impl(std::make_unique<impl>()) {
    if (auto problems = structural_problems(revisions); !problems.empty()) {
        throw source_error(std::move(problems));
    }
    impl& g = *m_impl;
    g.revs = std::move(revisions);
    const std::size_t n = g.revs.size();
    g.parents.resize(n);
    g.deps.resize(n);
    g.children.resize(n);
    g.dependants.resize(n);
    g.labels.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        g.by_id.emplace(g.revs[i].id, static_cast<node>(i));
        for (const auto& label : g.revs[i].branch_labels) {
            g.by_label.emplace(label, static_cast<node>(i));
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        const auto self = static_cast<node>(i);
        for (const auto& p : g.revs[i].revises) {
            node m = g.by_id.at(p);
            g.parents[i].push_back(m);
            g.children[m].push_back(self);
        }
        for (const auto& d : g.revs[i].depends_on) {
            auto it = g.by_id.find(d);
            node m = it != g.by_id.end() ? it->second : g.by_label.at(d);
            g.deps[i].push_back(m);
            g.dependants[m].push_back(self);
        }
    }

    // Topological order: depth-first, parents (then dependencies) before children, starting
    // from revisions in the order given, so plans follow the files' order where they can.
    std::vector<char> done(n, 0);
    for (std::size_t root = 0; root < n; ++root) {
        if (done[root]) {
            continue;
        }
        std::vector<std::pair<node, std::size_t>> stack{{static_cast<node>(root), 0}};
        done[root] = 1;
        while (!stack.empty()) {
            auto& [x, edge] = stack.back();
            std::size_t total = g.parents[x].size() + g.deps[x].size();
            if (edge == total) {
                g.topo.push_back(x);
                stack.pop_back();
                continue;
            }
            node m = edge < g.parents[x].size() ? g.parents[x][edge]
                                                : g.deps[x][edge - g.parents[x].size()];
            ++edge;
            if (!done[m]) {
                done[m] = 1;
                stack.emplace_back(m, 0);
            }
        }
    }

    // Branch labels spread to descendants through `revises`, and down the linear run below
    // the labelled revision until a branch point or a merge.
    for (std::size_t i = 0; i < n; ++i) {
        if (g.revs[i].branch_labels.empty()) {
            continue;
        }
        std::vector<node> stack{static_cast<node>(i)};
        std::vector<char> seen(n, 0);
        seen[i] = 1;
        while (!stack.empty()) {
            node x = stack.back();
            stack.pop_back();
            for (node c : g.children[x]) {
                if (!seen[c]) {
                    seen[c] = 1;
                    stack.push_back(c);
                }
            }
        }
        node x = static_cast<node>(i);
        while (g.parents[x].size() == 1) {
            node p = g.parents[x].front();
            if (g.children[p].size() > 1 || g.parents[p].size() > 1) {
                break;
            }
            seen[p] = 1;
            x = p;
        }
        for (std::size_t k = 0; k < n; ++k) {
            if (seen[k]) {
                for (const auto& label : g.revs[i].branch_labels) {
                    g.labels[k].push_back(label);
                }
            }
        }
    }
}

revision_graph::~revision_graph() = default;
revision_graph::revision_graph(revision_graph&&) noexcept = default;
revision_graph& revision_graph::operator=(revision_graph&&) noexcept = default;

const std::vector<revision>& revision_graph::revisions() const {
    return m_impl->revs;
}

std::vector<const revision*> revision_graph::topological() const {
    std::vector<const revision*> out;
    for (node n : m_impl->topo) {
        out.push_back(&m_impl->revs[n]);
    }
    return out;
}

const revision* revision_graph::find(std::string_view id) const {
    auto it = m_impl->by_id.find(id);
    return it == m_impl->by_id.end() ? nullptr : &m_impl->revs[it->second];
}

const revision& revision_graph::resolve(std::string_view reference) const {
    return m_impl->revs[m_impl->lookup(reference)];
}

std::vector<const revision*> revision_graph::heads() const {
    std::vector<const revision*> out;
    for (node n : m_impl->head_nodes()) {
        out.push_back(&m_impl->revs[n]);
    }
    return out;
}

std::vector<const revision*> revision_graph::bases() const {
    std::vector<const revision*> out;
    for (const revision& r : m_impl->revs) {
        if (r.revises.empty()) {
            out.push_back(&r);
        }
    }
    return out;
}

std::vector<const revision*> revision_graph::children(const revision& r) const {
    std::vector<const revision*> out;
    for (node c : m_impl->children[m_impl->by_id.at(r.id)]) {
        out.push_back(&m_impl->revs[c]);
    }
    return out;
}

bool revision_graph::is_branch_point(const revision& r) const {
    return m_impl->children[m_impl->by_id.at(r.id)].size() > 1;
}

bool revision_graph::is_head(const revision& r) const {
    return m_impl->is_head(m_impl->by_id.at(r.id));
}

std::vector<std::string> revision_graph::labels_of(const revision& r) const {
    return m_impl->labels[m_impl->by_id.at(r.id)];
}

std::vector<std::string> revision_graph::applied(const std::vector<std::string>& rows) const {
    return m_impl->ids(m_impl->applied_from_rows(rows));
}

std::vector<std::string> revision_graph::descendants(const std::vector<std::string>& ids) const {
    node_set start = m_impl->empty_set();
    for (const auto& id : ids) {
        start[m_impl->lookup(id)] = 1;
    }
    return m_impl->ids(m_impl->descendants(start));
}

std::vector<std::string> revision_graph::rows_for(const std::vector<std::string>& applied) const {
    return m_impl->ids(m_impl->rows_of(m_impl->applied_from_rows(applied)));
}

plan revision_graph::plan_upgrade(const std::vector<std::string>& rows,
                                  std::string_view target) const {
    const impl& g = *m_impl;
    node_set applied = g.applied_from_rows(rows);
    parsed_target t = parse_target(target);
    resolved_target r = g.resolve(applied, t, context::upgrade);
    node_set pending = g.minus(g.closure(r.set), applied);
    return g.make_plan(applied, pending, direction::upgrade);
}

plan revision_graph::plan_downgrade(const std::vector<std::string>& rows,
                                    std::string_view target) const {
    const impl& g = *m_impl;
    node_set applied = g.applied_from_rows(rows);
    parsed_target t = parse_target(target);
    resolved_target r = g.resolve(applied, t, context::downgrade);
    node_set removal = r.removal ? r.set : g.removal_below(applied, r.set, t);
    return g.make_plan(applied, removal, direction::downgrade);
}

plan revision_graph::plan_to(const std::vector<std::string>& rows,
                             const std::vector<std::string>& target_rows) const {
    const impl& g = *m_impl;
    node_set applied = g.applied_from_rows(rows);
    node_set target = g.applied_from_rows(target_rows);
    node_set up = g.minus(target, applied);
    node_set down = g.minus(applied, target);
    bool any_up = std::find(up.begin(), up.end(), 1) != up.end();
    bool any_down = std::find(down.begin(), down.end(), 1) != down.end();
    if (any_up && any_down) {
        throw graph_error("the target state is neither above nor below the current one");
    }
    return any_down ? g.make_plan(applied, down, direction::downgrade)
                    : g.make_plan(applied, up, direction::upgrade);
}

std::vector<std::string> revision_graph::stamp(const std::vector<std::string>& rows,
                                               std::string_view target) const {
    const impl& g = *m_impl;
    node_set applied = g.applied_from_rows(rows);
    parsed_target t = parse_target(target);
    resolved_target r = g.resolve(applied, t, context::stamp);
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
