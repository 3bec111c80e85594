#include "format.hpp"

#include <fmt/format.h>

namespace pgmig::cli {

std::string parents_text(const revision& r) {
    if (r.revises.empty()) {
        return "<base>";
    }
    std::string out;
    for (const auto& p : r.revises) {
        out += (out.empty() ? "" : ", ") + p;
    }
    return out;
}

std::string tags(const revision_graph& g, const revision& r, const std::set<std::string>& current) {
    std::string out;
    for (const auto& label : g.labels_of(r)) {
        out += fmt::format(" ({})", label);
    }
    if (g.is_head(r)) {
        out += " (head)";
    }
    if (g.is_branch_point(r)) {
        out += " (branchpoint)";
    }
    if (r.is_merge()) {
        out += " (mergepoint)";
    }
    if (current.count(r.id)) {
        out += " (current)";
    }
    return out;
}

std::string history_line(const revision_graph& g, const revision& r,
                         const std::set<std::string>& current) {
    return fmt::format("{} -> {}{}, {}", parents_text(r), r.id, tags(g, r, current), r.message);
}

std::string detail_block(const revision_graph& g, const revision& r,
                         const std::set<std::string>& current) {
    std::string out = fmt::format("Rev: {}{}\n", r.id, tags(g, r, current));
    out += fmt::format("{}: {}\n", r.is_merge() ? "Merges" : "Parent", parents_text(r));
    if (!r.depends_on.empty()) {
        std::string deps;
        for (const auto& d : r.depends_on) {
            deps += (deps.empty() ? "" : ", ") + d;
        }
        out += fmt::format("Also depends on: {}\n", deps);
    }
    auto labels = g.labels_of(r);
    if (!labels.empty()) {
        std::string names;
        for (const auto& l : labels) {
            names += (names.empty() ? "" : ", ") + l;
        }
        out += fmt::format("Branch names: {}\n", names);
    }
    out += fmt::format("Path: {}{}\n", r.where.file,
                       r.origin == revision_origin::recorded ? " (not in this build; from history)"
                                                             : "");
    out += fmt::format("Kind: {}{}\n", r.is_cpp() ? "C++" : "SQL",
                       r.transactional ? "" : ", runs outside a transaction");
    if (!r.lock_timeout.empty() || !r.statement_timeout.empty()) {
        out += fmt::format("Timeouts: lock {}, statement {}\n",
                           r.lock_timeout.empty() ? "default" : r.lock_timeout,
                           r.statement_timeout.empty() ? "default" : r.statement_timeout);
    }
    if (!r.is_cpp()) {
        out += fmt::format("Statements: {} up, {}\n", r.upgrade.size(),
                           r.irreversible ? "irreversible: " + *r.irreversible
                                          : fmt::format("{} down", r.downgrade.size()));
    }
    if (!r.checksum.empty()) {
        out += fmt::format("Checksum: {}\n", r.checksum);
    }
    out += fmt::format("\n    {}\n", r.message.empty() ? "(no message)" : r.message);
    return out;
}

nlohmann::json revision_json(const revision_graph& g, const revision& r) {
    return {
        {"revision", r.id},
        {"revises", r.revises},
        {"depends_on", r.depends_on},
        {"branch_labels", g.labels_of(r)},
        {"message", r.message},
        {"file", r.where.file},
        {"line", r.where.line},
        {"kind", r.is_cpp() ? "cpp" : "sql"},
        {"transactional", r.transactional},
        {"is_head", g.is_head(r)},
        {"is_branch_point", g.is_branch_point(r)},
        {"is_merge_point", r.is_merge()},
        {"irreversible", r.irreversible ? nlohmann::json(*r.irreversible) : nlohmann::json()},
        {"checksum", r.checksum},
        {"recorded_only", r.origin == revision_origin::recorded},
    };
}

} // namespace pgmig::cli
