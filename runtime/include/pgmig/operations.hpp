#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/revision.hpp>
#include <pgmig/revision_graph.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// Rows returned by operations::query, with typed accessors.
class query_result {
public:
    explicit query_result(result r) : m_result(std::move(r)) {}
    [[nodiscard]] int rows() const { return m_result.rows(); }
    [[nodiscard]] int columns() const { return m_result.columns(); }
    [[nodiscard]] bool is_null(int row, int column) const { return m_result.is_null(row, column); }
    /// The value converted to T (std::string, std::int64_t, int, double, bool); throws error
    /// for NULL or a value that does not convert.
    template <typename T>
    [[nodiscard]] T get(int row, int column) const;
    template <typename T>
    [[nodiscard]] T get(int row, std::string_view column) const {
        return get<T>(row, m_result.column(column));
    }
    /// The value converted to T, or nullopt for NULL.
    template <typename T>
    [[nodiscard]] std::optional<T> get_optional(int row, int column) const {
        if (is_null(row, column)) {
            return std::nullopt;
        }
        return get<T>(row, column);
    }

private:
    result m_result;
};

template <>
std::string query_result::get<std::string>(int row, int column) const;
template <>
std::int64_t query_result::get<std::int64_t>(int row, int column) const;
template <>
int query_result::get<int>(int row, int column) const;
template <>
double query_result::get<double>(int row, int column) const;
template <>
bool query_result::get<bool>(int row, int column) const;

/// What a C++ revision's upgrade() and downgrade() receive: runs SQL inside the revision's
/// transaction (or prints it, for --sql).
class operations {
public:
    /// Operations that run on a connection, inside the revision's transaction.
    operations(connection& conn, const revision& rev);
    /// Operations that only print their SQL (--sql); reading data is an error.
    operations(std::string& script, const revision& rev);

    /// Runs one statement with parameters bound ($1, $2, ...).
    void execute(std::string_view sql, const std::vector<param>& params = {});
    /// Runs a query and returns its rows. Not available offline.
    [[nodiscard]] query_result query(std::string_view sql, const std::vector<param>& params = {});

    /// The revision being applied.
    [[nodiscard]] const revision& current_revision() const { return *m_rev; }
    /// True when printing SQL for --sql instead of running it.
    [[nodiscard]] bool offline() const { return m_script != nullptr; }

private:
    connection* m_conn = nullptr;
    std::string* m_script = nullptr;
    const revision* m_rev;
};

/// Runs a C++ revision's upgrade or downgrade.
void run_cpp_revision(const revision& rev, direction dir, operations& ops);

} // namespace pgmig
