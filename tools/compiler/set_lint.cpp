#include "set_lint.hpp"

#include <pgmig/revision_graph.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace pgmig::compiler {
namespace {

/// A revision named by a set option, and it with every revision below it; an error diagnostic
/// when the name does not resolve.
std::set<std::string> at_and_below(const revision_graph& graph, const std::string& reference,
                                   const char* option, const set_lint_options& options,
                                   std::vector<diagnostic>& out) {
    if (reference.empty()) {
        return {};
    }
    try {
        const revision& r = graph.resolve(reference);
        auto ids = graph.applied({r.id});
        return {ids.begin(), ids.end()};
    } catch (const error& e) {
        out.push_back({severity::error,
                       {},
                       fmt::format("pgmig_add_revisions({}): {} '{}' is not a revision of the set "
                                   "({})",
                                   options.set_name, option, reference, e.what()),
                       "lint-option"});
        return {};
    }
}

/// `users` for `app.users` (and for `users`): the key created names are found by.
std::string unqualified(const std::string& relation) {
    auto dot = relation.find('.');
    return dot == std::string::npos ? relation : relation.substr(dot + 1);
}

class rule_switch {
public:
    rule_switch(const set_lint_options& options, std::vector<diagnostic>& out)
        : m_options(options) {
        for (const auto* list : {&options.enable, &options.disable}) {
            for (const auto& rule : *list) {
                if (!is_lint_rule(rule)) {
                    out.push_back(
                        {severity::error,
                         {},
                         fmt::format("pgmig_add_revisions({}): {} names unknown lint "
                                     "rule '{}'",
                                     options.set_name,
                                     list == &options.enable ? "LINT_ENABLE" : "LINT_DISABLE",
                                     rule),
                         "lint-option"});
                }
            }
        }
    }

    [[nodiscard]] bool on(const std::string& rule) const {
        auto listed = [&](const std::vector<std::string>& list) {
            return std::find(list.begin(), list.end(), rule) != list.end();
        };
        if (listed(m_options.disable)) {
            return false;
        }
        const auto& rules = lint_rules();
        auto known = std::find_if(rules.begin(), rules.end(),
                                  [&](const lint_rule& r) { return r.name == rule; });
        return listed(m_options.enable) || (known != rules.end() && known->on_by_default);
    }

private:
    const set_lint_options& m_options;
};

} // namespace

set_lint_result lint_set(const std::vector<revision>& revisions,
                         const std::vector<lint_report>& reports, const set_lint_options& options) {
    set_lint_result out;
    revision_graph graph(revisions);
    std::map<std::string, const lint_report*> report_of;
    for (std::size_t i = 0; i < revisions.size() && i < reports.size(); ++i) {
        report_of[revisions[i].id] = &reports[i];
    }
    const auto history =
        at_and_below(graph, options.lint_from, "LINT_FROM", options, out.diagnostics);
    const auto released =
        at_and_below(graph, options.released, "RELEASED", options, out.diagnostics);
    const rule_switch rules(options, out.diagnostics);
    if (!out.diagnostics.empty()) {
        return out;
    }
    std::string first_linted =
        options.lint_from.empty() ? std::string() : graph.resolve(options.lint_from).id;

    // The facts that may make a later finding moot: what an unreleased revision created
    // (shipped objects may hold data; without RELEASED every revision may have shipped), and
    // any revision's NOT NULL checks. A finding looks only at the revisions whose facts name
    // its table, so a long history costs no more than a short one.
    const auto order = graph.topological();
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < order.size(); ++i) {
        position[order[i]->id] = i;
    }
    std::map<std::string, std::vector<std::string>> created_by; // unqualified name -> ids
    std::vector<std::string> checking;                          // ids with NOT NULL facts
    for (const revision* r : order) {
        bool unreleased = !options.released.empty() && released.count(r->id) == 0;
        bool checks = false;
        for (const auto& fact : report_of.at(r->id)->facts) {
            if (!fact.starts_with("created ")) {
                checks = true;
            } else if (unreleased) {
                created_by[unqualified(fact.substr(8))].push_back(r->id);
            }
        }
        if (checks) {
            checking.push_back(r->id);
        }
    }
    // Whether `lower` is below `id` (applied before it): a walk down from `id` that never
    // goes below `lower`'s place in the order.
    auto is_below = [&](const std::string& lower, const std::string& id) {
        const std::size_t floor = position.at(lower);
        std::vector<std::string> todo{id};
        std::set<std::string> seen;
        while (!todo.empty()) {
            const revision* r = graph.find(todo.back());
            todo.pop_back();
            std::vector<std::string> parents = r->revises;
            for (const auto& d : r->depends_on) {
                parents.push_back(graph.resolve(d).id);
            }
            for (auto& p : parents) {
                if (p == lower) {
                    return true;
                }
                if (position.at(p) > floor && seen.insert(p).second) {
                    todo.push_back(std::move(p));
                }
            }
        }
        return false;
    };
    auto moot = [&](const std::string& id, const std::string& moot_if) {
        std::vector<std::string> sources = checking;
        std::istringstream alternatives(moot_if);
        for (std::string alternative; std::getline(alternatives, alternative, '|');) {
            if (alternative.starts_with("created ")) {
                auto found = created_by.find(unqualified(alternative.substr(8)));
                if (found != created_by.end()) {
                    sources.insert(sources.end(), found->second.begin(), found->second.end());
                }
            }
        }
        lint_facts facts;
        for (const auto& source : sources) {
            if (source != id && is_below(source, id)) {
                for (const auto& fact : report_of.at(source)->facts) {
                    facts.add(fact);
                }
            }
        }
        return facts.holds(moot_if);
    };

    std::map<std::string, int> by_rule;
    int settled = 0;
    int not_linted = 0;
    for (const revision* r : order) {
        if (history.count(r->id) && r->id != first_linted) {
            ++not_linted;
            continue;
        }
        const lint_report& report = *report_of.at(r->id);
        for (const auto& [rule, n] : report.settled) {
            settled += rules.on(rule) ? n : 0;
        }
        for (const auto& f : report.findings) {
            if (!rules.on(f.rule) || (!f.moot_if.empty() && moot(r->id, f.moot_if))) {
                continue;
            }
            ++by_rule[f.rule];
            diagnostic d{severity::warning, f.where, f.message, "lint/" + f.rule};
            if (options.warnings_as_errors) {
                d.level = severity::error;
                d.message += " (warnings are errors in this set: WARNINGS_AS_ERRORS)";
            }
            out.diagnostics.push_back(std::move(d));
        }
    }

    int total = 0;
    std::string parts;
    std::vector<std::pair<std::string, int>> counts(by_rule.begin(), by_rule.end());
    std::stable_sort(counts.begin(), counts.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [rule, n] : counts) {
        total += n;
        parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", rule, n);
    }
    if (total == 0 && settled == 0) {
        return out;
    }
    out.summary = fmt::format("pgmig: lint of {}: {} finding{}{}", options.set_name, total,
                              total == 1 ? "" : "s", parts.empty() ? "" : " (" + parts + ")");
    if (settled > 0) {
        out.summary += fmt::format("; {} settled by safety-assured or lint-ignore", settled);
    }
    if (not_linted > 0) {
        out.summary += fmt::format("; {} revision{} below LINT_FROM {} not linted", not_linted,
                                   not_linted == 1 ? "" : "s", options.lint_from);
    }
    return out;
}

} // namespace pgmig::compiler
