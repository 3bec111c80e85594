#include <pgmig/detail/embedded.hpp>
#include <pgmig/revision_set.hpp>

namespace pgmig {
namespace {

std::vector<std::string> strings(const char* const* items) {
    std::vector<std::string> out;
    for (; items != nullptr && *items != nullptr; ++items) {
        out.emplace_back(*items);
    }
    return out;
}

std::vector<statement> statements(const detail::embedded_statement* items) {
    std::vector<statement> out;
    for (; items != nullptr && items->sql != nullptr; ++items) {
        out.push_back({items->sql, items->line});
    }
    return out;
}

revision from_embedded(const detail::embedded_revision& e) {
    revision r;
    r.id = e.id;
    r.revises = strings(e.revises);
    r.depends_on = strings(e.depends_on);
    r.branch_labels = strings(e.branch_labels);
    r.message = e.message;
    r.where = {e.file, e.line};
    r.revises_line = e.revises_line;
    r.depends_on_line = e.depends_on_line;
    r.branch_labels_line = e.branch_labels_line;
    r.transactional = e.transactional;
    r.lock_timeout = e.lock_timeout;
    r.statement_timeout = e.statement_timeout;
    r.upgrade = statements(e.upgrade);
    r.downgrade = statements(e.downgrade);
    if (e.irreversible != nullptr) {
        r.irreversible = e.irreversible;
    }
    r.checksum = e.checksum;
    r.cpp = e.cpp;
    return r;
}

set_settings settings_of(const detail::embedded_set& e) {
    set_settings s;
    s.name = e.name;
    s.schema = e.schema;
    s.version_table = e.version_table;
    s.history_table = e.history_table;
    s.source_dir = e.source_dir;
    s.lock_timeout = e.lock_timeout;
    s.statement_timeout = e.statement_timeout;
    s.options.allow_multiple_heads = e.allow_multiple_heads;
    s.options.allow_irreversible = e.allow_irreversible;
    return s;
}

std::vector<revision> revisions_of(const detail::embedded_set& e) {
    std::vector<revision> out;
    for (const auto* const* r = e.revisions; r != nullptr && *r != nullptr; ++r) {
        out.push_back(from_embedded(**r));
    }
    return out;
}

} // namespace

revision_set::revision_set(set_settings settings, std::vector<revision> revisions)
    : m_settings(std::move(settings)),
      m_graph(std::make_shared<revision_graph>(std::move(revisions))) {}

revision_set::revision_set(const detail::embedded_set& embedded)
    : revision_set(settings_of(embedded), revisions_of(embedded)) {}

} // namespace pgmig
