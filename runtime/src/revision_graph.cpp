#include "graph_data.hpp"

#include <unordered_set>

namespace pgmig {
namespace detail {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += item;
    }
    return out;
}

} // namespace detail

using detail::graph_data;
using detail::join;
using detail::node;
using detail::node_set;

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

revision_graph::revision_graph(std::vector<revision> revisions)
    : m_impl(std::make_unique<graph_data>()) {
    if (auto problems = structural_problems(revisions); !problems.empty()) {
        throw source_error(std::move(problems));
    }
    graph_data& g = *m_impl;
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

    // Alembic's "normalized down revisions": parents, and the dependencies no revision below
    // through `revises` already has. The version rows move along these edges.
    g.down_revisions.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        node_set below = g.reach(g.from_nodes(g.parents[i]), true, nullptr, false);
        node_set inherited = g.empty_set();
        for (node x = 0; x < static_cast<node>(n); ++x) {
            if (!below[x]) {
                continue;
            }
            for (node d : g.deps[x]) {
                inherited[d] = 1;
            }
        }
        std::vector<node>& down = g.down_revisions[i];
        down = g.parents[i];
        for (node d : g.deps[i]) {
            if (!inherited[d] && std::find(down.begin(), down.end(), d) == down.end()) {
                down.push_back(d);
            }
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

std::vector<std::string> revision_graph::current(const std::vector<std::string>& rows) const {
    return m_impl->ids(m_impl->current_of(m_impl->applied_from_rows(rows)));
}

std::vector<std::string> revision_graph::rows_for(const std::vector<std::string>& applied) const {
    return m_impl->ids(m_impl->rows_of(m_impl->applied_from_rows(applied)));
}

} // namespace pgmig
