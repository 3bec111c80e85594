#include <pgmig/connection.hpp>
#include <pgmig/detail/embedded.hpp>
#include <pgmig/revision_set.hpp>

namespace pgmig {
namespace {

// One overload per field type of embedded_revision: what from_embedded does with each.
void assign(std::string& to, const char* from) {
    to = from != nullptr ? from : "";
}

void assign(std::optional<std::string>& to, const char* from) {
    if (from != nullptr) {
        to = from;
    }
}

void assign(std::vector<std::string>& to, const char* const* from) {
    for (; from != nullptr && *from != nullptr; ++from) {
        to.emplace_back(*from);
    }
}

void assign(std::vector<statement>& to, const detail::embedded_statement* from) {
    for (; from != nullptr && from->sql != nullptr; ++from) {
        to.push_back({from->sql, from->line, from->autocommit,
                      from->builds_index != nullptr ? from->builds_index : "",
                      from->locks != nullptr ? from->locks : ""});
    }
}

void assign(source_location& to, const detail::embedded_location& from) {
    to = {from.file != nullptr ? from.file : "", from.line};
}

template <typename T>
void assign(T& to, const T& from) { // int, bool, the hooks pointer
    to = from;
}

revision from_embedded(const detail::embedded_revision& e) {
    revision r;
    for_each_recorded_field([](const char*, auto& to, const auto& from) { assign(to, from); }, r,
                            e);
    return r;
}

set_settings settings_of(const detail::embedded_set& e) {
    set_settings s;
    s.name = e.name;
    s.identity = e.identity;
    s.schema = e.schema;
    s.version_table = e.version_table;
    s.history_table = e.history_table;
    s.source_dir = e.source_dir;
    s.lock_timeout = e.lock_timeout;
    s.statement_timeout = e.statement_timeout;
    s.lock_retries = e.lock_retries;
    s.backup_dir = e.backup_dir;
    s.schema_fingerprint = e.schema_fingerprint;
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

std::optional<schema_fingerprint_line> find_schema_fingerprint(std::string_view text) {
    int number = 0;
    while (!text.empty()) {
        ++number;
        std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (line.starts_with(schema_fingerprint_directive)) {
            line.remove_prefix(schema_fingerprint_directive.size());
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
                line.remove_suffix(1);
            }
            return schema_fingerprint_line{number, std::string(line)};
        }
    }
    return std::nullopt;
}

revision_set revision_set::in_schema(const std::string& schema) const {
    revision_set tenant = *this;
    tenant.m_settings.schema = schema;
    return tenant;
}

std::string tenant_search_path(const std::string& schema) {
    return schema.empty() ? std::string() : quote_identifier(schema) + ", public";
}

} // namespace pgmig
