#include <pgmig/operations.hpp>

#include <fmt/format.h>

#include <charconv>

namespace pgmig {
namespace {

template <typename T>
T parse_number(std::string_view text, const char* type) {
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw error(fmt::format("value '{}' is not {}", text, type));
    }
    return value;
}

} // namespace

template <>
std::string query_result::get<std::string>(int row, int column) const {
    if (is_null(row, column)) {
        throw error(fmt::format("row {} column {} is NULL; use get_optional", row, column));
    }
    return std::string(m_result.text(row, column));
}

template <>
std::int64_t query_result::get<std::int64_t>(int row, int column) const {
    return parse_number<std::int64_t>(get<std::string>(row, column), "an integer");
}

template <>
int query_result::get<int>(int row, int column) const {
    return parse_number<int>(get<std::string>(row, column), "an integer");
}

template <>
double query_result::get<double>(int row, int column) const {
    return parse_number<double>(get<std::string>(row, column), "a number");
}

template <>
bool query_result::get<bool>(int row, int column) const {
    auto text = get<std::string>(row, column);
    if (text == "t" || text == "true") {
        return true;
    }
    if (text == "f" || text == "false") {
        return false;
    }
    throw error(fmt::format("value '{}' is not a boolean", text));
}

operations::operations(connection& conn, const revision& rev) : m_conn(&conn), m_rev(&rev) {}

operations::operations(std::string& script, const revision& rev) : m_script(&script), m_rev(&rev) {}

void operations::execute(std::string_view sql, const std::vector<param>& params) {
    if (m_script != nullptr) {
        *m_script += sql_command{std::string(sql), params}.inlined() + ";\n";
        return;
    }
    (void)m_conn->exec(sql, params);
}

query_result operations::query(std::string_view sql, const std::vector<param>& params) {
    if (m_script != nullptr) {
        throw error(fmt::format("C++ revision {} reads data from the database, so its SQL cannot "
                                "be printed offline; run it against a database instead",
                                m_rev->id));
    }
    return query_result(m_conn->exec(sql, params));
}

void run_cpp_revision(const revision& rev, direction dir, operations& ops) {
    if (rev.cpp == nullptr) {
        throw error(fmt::format("revision {} has no C++ code", rev.id));
    }
    auto* fn = dir == direction::upgrade ? rev.cpp->upgrade : rev.cpp->downgrade;
    if (fn == nullptr) {
        throw error(fmt::format("C++ revision {} has no {}", rev.id, to_string(dir)));
    }
    fn(ops);
}

} // namespace pgmig
