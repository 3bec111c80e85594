#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/revision.hpp>

#include <cstdint>
#include <functional>
#include <memory>
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

/// A column for create_table and add_column: `column("email", "text").not_null()`.
struct column {
    std::string name;
    std::string type; ///< SQL type text: "bigint", "varchar(100)", "timestamptz"
    bool nullable = true;
    std::optional<std::string> default_sql; ///< an SQL expression: "now()", "'new'"
    bool primary_key = false;
    bool unique = false;
    std::optional<std::string> identity; ///< "always" or "by default"

    column(std::string name_, std::string type_) : name(std::move(name_)), type(std::move(type_)) {}
    column& not_null() {
        nullable = false;
        return *this;
    }
    column& default_value(std::string sql) {
        default_sql = std::move(sql);
        return *this;
    }
    column& primary() {
        primary_key = true;
        nullable = false;
        return *this;
    }
    column& unique_values() {
        unique = true;
        return *this;
    }
    column& generated_identity(std::string kind = "by default") {
        identity = std::move(kind);
        return *this;
    }
};

/// What alter_column changes. Each `existing_*` says what it was, which the derived
/// downgrade of an auto-reversible revision needs to put it back (as in Alembic).
struct column_change {
    std::optional<std::string> type;        ///< new type
    std::optional<std::string> using_sql;   ///< USING expression for the type change
    std::optional<bool> nullable;           ///< new nullability
    std::optional<std::string> default_sql; ///< new default; "" drops it
    std::optional<std::string> existing_type;
    std::optional<bool> existing_nullable;
    std::optional<std::string> existing_default; ///< "" for none
};

struct index_options {
    bool unique = false;
    bool concurrently = false; ///< needs a `transaction off` revision
    std::string method;        ///< "btree", "gin", ...; empty for the default
    std::string where;         ///< a partial index's predicate
    bool if_not_exists = false;
};

struct foreign_key_options {
    std::string on_delete; ///< "CASCADE", "SET NULL", ...
    std::string on_update;
    bool not_valid = false; ///< add without checking existing rows
};

/// A row for bulk_insert: one value per column, NULL as nullopt.
using row_values = std::vector<param>;

/// What a C++ revision's upgrade() and downgrade() receive. Runs SQL inside the revision's
/// transaction, or prints it for --sql, or (for an auto-reversible revision) records the
/// inverse of every helper so that the downgrade can be derived.
///
/// Names may be schema-qualified ("app.users"); every part is quoted. Types, defaults and
/// conditions are SQL written by the revision's author, used as given.
class operations {
public:
    /// Operations that run on a connection, inside the revision's transaction.
    operations(connection& conn, const revision& rev);
    /// Operations that only print their SQL (--sql); reading data is an error.
    operations(std::string& script, const revision& rev);
    ~operations();
    operations(const operations&) = delete;
    operations& operator=(const operations&) = delete;

    // --- SQL -------------------------------------------------------------------------
    /// Runs one statement with parameters bound ($1, $2, ...). Never reversible.
    void execute(std::string_view sql, const std::vector<param>& params = {});
    /// Runs a query and returns its rows. Not available offline.
    [[nodiscard]] query_result query(std::string_view sql, const std::vector<param>& params = {});
    /// Walks a query's rows `batch_size` at a time through a cursor, calling `fn` for each
    /// batch; reports progress as it goes. Returns the number of rows. Not available offline.
    std::int64_t batch(std::string_view select_sql, const std::vector<param>& params,
                       std::size_t batch_size, const std::function<void(const query_result&)>& fn);
    /// Repeats `UPDATE table SET <set_sql> WHERE <key> IN (SELECT <key> ... WHERE <where_sql>
    /// LIMIT batch_size)` until no row is left. In a `transaction off` revision each batch
    /// commits on its own, so a backfill never holds every row's lock at once. `where_sql`
    /// must stop matching a row once it is updated. Returns the rows updated. Not offline.
    std::int64_t update_in_batches(std::string_view table, std::string_view set_sql,
                                   std::string_view where_sql, std::string_view key_column,
                                   std::size_t batch_size = 1000);
    /// Inserts rows with bound values, in batches. Not reversible.
    void bulk_insert(std::string_view table, const std::vector<std::string>& columns,
                     const std::vector<row_values>& rows);

    // --- schema helpers (reversible ones say so) -------------------------------------
    void create_table(std::string_view table, const std::vector<column>& columns); ///< reversible
    void drop_table(std::string_view table);
    void add_column(std::string_view table, const column& c); ///< reversible
    void drop_column(std::string_view table, std::string_view name);
    /// Reversible when every changed property has its `existing_*`.
    void alter_column(std::string_view table, std::string_view name, const column_change& change);
    void rename_table(std::string_view from, std::string_view to); ///< reversible
    void rename_column(std::string_view table, std::string_view from,
                       std::string_view to); ///< reversible
    void create_index(std::string_view name, std::string_view table,
                      const std::vector<std::string>& columns,
                      const index_options& options = {}); ///< reversible
    void drop_index(std::string_view name, bool concurrently = false);
    void create_foreign_key(std::string_view name, std::string_view table,
                            const std::vector<std::string>& columns,
                            std::string_view referenced_table,
                            const std::vector<std::string>& referenced_columns,
                            const foreign_key_options& options = {}); ///< reversible
    void create_unique_constraint(std::string_view name, std::string_view table,
                                  const std::vector<std::string>& columns); ///< reversible
    void create_check_constraint(std::string_view name, std::string_view table,
                                 std::string_view condition_sql); ///< reversible
    void drop_constraint(std::string_view table, std::string_view name);

    // --- context -------------------------------------------------------------------------
    /// The revision being applied.
    [[nodiscard]] const revision& current_revision() const { return *m_rev; }
    /// True when printing SQL for --sql instead of running it.
    [[nodiscard]] bool offline() const { return m_mode == mode::script; }
    /// Receives progress lines from batch() and update_in_batches().
    void on_progress(std::function<void(std::string_view)> sink) { m_progress = std::move(sink); }

    // --- for pgmig itself ----------------------------------------------------------------
    /// Operations that record the inverse of each reversible helper instead of running it.
    [[nodiscard]] static std::unique_ptr<operations> recorder(const revision& rev);
    /// Runs, on `target`, the inverses recorded here, last first.
    void replay_inverse(operations& target) const;

private:
    enum class mode { execute, script, record };
    explicit operations(const revision& rev);
    /// Runs or prints a statement; when recording, refuses (`what` is not reversible).
    void run(const std::string& sql, const std::vector<param>& params, std::string_view what);
    /// Runs or prints a reversible statement; when recording, keeps `inverse` instead.
    void reversible(const std::string& sql, std::function<void(operations&)> inverse);
    void progress(std::string_view text) const;
    [[nodiscard]] connection& online(std::string_view what);

    mode m_mode = mode::execute;
    connection* m_conn = nullptr;
    std::string* m_script = nullptr;
    const revision* m_rev;
    std::vector<std::function<void(operations&)>> m_inverse;
    std::function<void(std::string_view)> m_progress;
    int m_cursors = 0;
};

/// Runs a C++ revision's upgrade or downgrade (a derived one for auto-reversible revisions).
void run_cpp_revision(const revision& rev, direction dir, operations& ops);

/// A dotted name with each part quoted: app.users -> "app"."users".
[[nodiscard]] std::string quote_name(std::string_view dotted);

} // namespace pgmig
