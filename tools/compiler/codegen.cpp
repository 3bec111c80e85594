#include "codegen.hpp"

#include <fmt/format.h>

namespace pgmig::compiler {
namespace {

/// Writes each recorded field as a designated initializer; arrays become named definitions
/// before the record.
class initializer_writer {
public:
    explicit initializer_writer(std::string_view hooks_symbol) : m_hooks_symbol(hooks_symbol) {}

    void operator()(const char* name, const std::string& text) {
        field(name, cpp_string_literal(text));
    }
    void operator()(const char* name, const std::optional<std::string>& text) {
        field(name, text ? cpp_string_literal(*text) : "nullptr");
    }
    void operator()(const char* name, const std::vector<std::string>& items) {
        m_arrays += fmt::format("const char* const {}[] = {{", name);
        for (const auto& item : items) {
            m_arrays += cpp_string_literal(item) + ", ";
        }
        m_arrays += "nullptr};\n";
        field(name, name);
    }
    void operator()(const char* name, const std::vector<statement>& statements) {
        m_arrays += fmt::format("const pgmig::detail::embedded_statement {}[] = {{\n", name);
        for (const auto& s : statements) {
            m_arrays +=
                fmt::format("    {{.sql = {}, .line = {}, .autocommit = {}, "
                            ".builds_index = {}, .locks = {}}},\n",
                            cpp_string_literal(s.sql), s.line, s.autocommit ? "true" : "false",
                            cpp_string_literal(s.builds_index), cpp_string_literal(s.locks));
        }
        m_arrays += "    {.sql = nullptr, .line = 0, .autocommit = false, "
                    ".builds_index = nullptr, .locks = nullptr},\n};\n";
        field(name, name);
    }
    void operator()(const char* name, const source_location& where) {
        field(name, fmt::format("{{{}, {}}}", cpp_string_literal(where.file), where.line));
    }
    void operator()(const char* name, int value) { field(name, std::to_string(value)); }
    void operator()(const char* name, bool value) { field(name, value ? "true" : "false"); }
    void operator()(const char* name, const cpp_revision_hooks* /*null in the compiler*/) {
        field(name,
              m_hooks_symbol.empty() ? std::string("nullptr") : fmt::format("&{}", m_hooks_symbol));
    }

    [[nodiscard]] const std::string& arrays() const { return m_arrays; }
    [[nodiscard]] const std::string& fields() const { return m_fields; }

private:
    void field(const char* name, std::string_view value) {
        m_fields += fmt::format("    .{} = {},\n", name, value);
    }

    std::string_view m_hooks_symbol;
    std::string m_arrays;
    std::string m_fields;
};

// One overload per field type: the JSON form of the record, and back. Statements and code are
// not part of it (the graph check does not need them, and 10,000 summaries stay small).
void to_json_value(nlohmann::json& j, const char* name, const std::optional<std::string>& v) {
    j[name] = v ? nlohmann::json(*v) : nlohmann::json();
}
void to_json_value(nlohmann::json& j, const char* name, const source_location& v) {
    j[name] = {{"file", v.file}, {"line", v.line}};
}
void to_json_value(nlohmann::json&, const char*, const std::vector<statement>&) {}
void to_json_value(nlohmann::json&, const char*, const cpp_revision_hooks*) {}
template <typename T>
void to_json_value(nlohmann::json& j, const char* name, const T& v) { // text, lists, int, bool
    j[name] = v;
}

void from_json_value(const nlohmann::json& j, const char* name, std::optional<std::string>& v) {
    if (const auto& value = j.at(name); value.is_string()) {
        v = value.get<std::string>();
    }
}
void from_json_value(const nlohmann::json& j, const char* name, source_location& v) {
    v = {j.at(name).at("file").get<std::string>(), j.at(name).at("line").get<int>()};
}
void from_json_value(const nlohmann::json&, const char*, std::vector<statement>&) {}
void from_json_value(const nlohmann::json&, const char*, const cpp_revision_hooks*&) {}
template <typename T>
void from_json_value(const nlohmann::json& j, const char* name, T& v) {
    v = j.at(name).get<T>();
}

} // namespace

std::string cpp_string_literal(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += i + 1 < text.size() ? "\\n\"\n    \"" : "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '?':
            out += "\\?"; // keeps "??=" and friends from ever reading as trigraphs
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                out += fmt::format("\\{:03o}", c); // three digits: never runs into what follows
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string generate_revision_source(const revision& rev, std::string_view symbol,
                                     std::string_view hooks_symbol) {
    initializer_writer writer(hooks_symbol);
    for_each_recorded_field(writer, rev);
    std::string out = fmt::format("// Generated by pgmig-compile from {}. Do not edit.\n"
                                  "#include <pgmig/detail/embedded.hpp>\n\n",
                                  rev.where.file);
    if (!hooks_symbol.empty()) {
        out += fmt::format("extern const pgmig::cpp_revision_hooks {};\n\n", hooks_symbol);
    }
    out += "namespace {\n" + writer.arrays() + "} // namespace\n\n";
    out += fmt::format("extern const pgmig::detail::embedded_revision {0};\n"
                       "const pgmig::detail::embedded_revision {0} = {{\n{1}}};\n",
                       symbol, writer.fields());
    return out;
}

std::string generate_set_index(const set_settings& settings,
                               const std::vector<std::string>& symbols) {
    std::string externs;
    std::string pointers;
    for (const auto& symbol : symbols) {
        externs += fmt::format("extern const pgmig::detail::embedded_revision {};\n", symbol);
        pointers += fmt::format("    &{},\n", symbol);
    }
    auto text = [](const std::string& s) {
        return cpp_string_literal(s);
    };
    auto flag = [](bool b) {
        return b ? "true" : "false";
    };
    return fmt::format(
        "// Generated by pgmig-compile for pgmig_add_revisions({0}). Do not edit.\n"
        "#include <pgmig/detail/embedded.hpp>\n"
        "#include <pgmig/sets/{0}.hpp>\n\n"
        "{1}\n"
        "namespace {{\n\n"
        "const pgmig::detail::embedded_revision* const revisions[] = {{\n{2}    nullptr,\n}};\n\n"
        "const pgmig::detail::embedded_set set{{\n"
        "    .name = {3},\n"
        "    .identity = {12},\n"
        "    .schema = {4},\n"
        "    .version_table = {5},\n"
        "    .history_table = {6},\n"
        "    .source_dir = {7},\n"
        "    .lock_timeout = {8},\n"
        "    .statement_timeout = {9},\n"
        "    .lock_retries = {14},\n"
        "    .backup_dir = {15},\n"
        "    .schema_fingerprint = {13},\n"
        "    .allow_multiple_heads = {10},\n"
        "    .allow_irreversible = {11},\n"
        "    .revisions = revisions,\n"
        "}};\n\n"
        "}} // namespace\n\n"
        "const pgmig::revision_set& pgmig::sets::{0}() {{\n"
        "    static const pgmig::revision_set instance(set);\n"
        "    return instance;\n"
        "}}\n",
        settings.name, externs, pointers, text(settings.name), text(settings.schema),
        text(settings.version_table), text(settings.history_table), text(settings.source_dir),
        text(settings.lock_timeout), text(settings.statement_timeout),
        flag(settings.options.allow_multiple_heads), flag(settings.options.allow_irreversible),
        text(settings.identity), text(settings.schema_fingerprint), settings.lock_retries,
        text(settings.backup_dir));
}

nlohmann::json revision_metadata(const revision& rev) {
    nlohmann::json j = nlohmann::json::object();
    for_each_recorded_field([&j](const char* name, const auto& v) { to_json_value(j, name, v); },
                            rev);
    return j;
}

revision revision_from_metadata(const nlohmann::json& meta) {
    revision r;
    for_each_recorded_field([&meta](const char* name, auto& v) { from_json_value(meta, name, v); },
                            r);
    return r;
}

} // namespace pgmig::compiler
