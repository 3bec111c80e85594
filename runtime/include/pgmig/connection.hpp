#pragma once

#include <pgmig/error.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// libpq's connection type, declared but never defined here: libpq stays out of public headers.
struct pg_conn;
struct pg_result;

namespace pgmig {

/// A query parameter: text, or NULL when empty.
using param = std::optional<std::string>;

/// One SQL command with its parameters: run online with the values bound, or printed with
/// the values inlined as literals by --sql. Both come from the same text.
struct sql_command {
    std::string text;
    std::vector<param> params;
    /// When set, pipelines prepare the statement under this name once per connection and
    /// reuse it: the server parses and plans it once instead of once per revision.
    std::string prepared_as = {};

    /// The text with $1, $2, ... replaced by quoted literals (for offline scripts).
    [[nodiscard]] std::string inlined() const;
};

/// The command of a pipeline that failed, and why.
struct pipeline_failure {
    std::size_t index;
    database_error error;
};

/// Rows of one statement's result, all values as text.
class result {
public:
    result() = default;
    [[nodiscard]] int rows() const;
    [[nodiscard]] int columns() const;
    [[nodiscard]] bool is_null(int row, int column) const;
    /// The value as text; empty for NULL.
    [[nodiscard]] std::string_view text(int row, int column) const;
    [[nodiscard]] std::optional<std::string> value(int row, int column) const;
    /// The column's position by name; throws error when there is no such column.
    [[nodiscard]] int column(std::string_view name) const;
    /// Rows changed by INSERT/UPDATE/DELETE, 0 otherwise.
    [[nodiscard]] long affected() const;

private:
    friend class connection;
    explicit result(pg_result* res);
    std::shared_ptr<pg_result> m_res;
};

/// One connection to PostgreSQL (libpq hidden behind it).
class connection {
public:
    /// Opens a connection from a libpq URI (`postgresql://...`) or key=value string.
    /// Throws connection_error; the message never contains the password.
    [[nodiscard]] static connection open(const std::string& conninfo,
                                         const std::string& application_name = "pgmig");
    /// Uses a connection the application already has; it is not closed by this object.
    [[nodiscard]] static connection borrow(pg_conn* conn);

    connection(connection&& other) noexcept;
    connection& operator=(connection&& other) noexcept;
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    /// Runs SQL with the simple protocol; several statements are allowed, the last result
    /// is returned. Throws database_error.
    result exec(std::string_view sql);
    /// Runs one statement with parameters bound as text ($1, $2, ...).
    result exec(std::string_view sql, const std::vector<param>& params);
    /// Runs several statements in one round trip and returns every result.
    std::vector<result> exec_all(std::string_view sql);
    /// Sends the commands with libpq's pipeline mode, so that they cost one round trip
    /// instead of one each, and waits for all of them. After a failure the server skips the
    /// rest; the failure says which command it was. Throws connection_error if the
    /// connection is lost.
    [[nodiscard]] std::optional<pipeline_failure> pipeline(const std::vector<sql_command>& commands,
                                                           std::vector<result>* results = nullptr);
    /// Prepares a statement once per connection; later calls with the same name reuse it.
    result exec_prepared(const std::string& name, std::string_view sql,
                         const std::vector<param>& params);
    /// Drops every statement prepared on this connection, so that each is planned afresh
    /// on its next use (after the catalogs it reads have grown, say).
    void forget_prepared();

    /// Streams the rows of `copy_out` (`COPY ... TO STDOUT`) run here into `copy_in`
    /// (`COPY ... FROM STDIN`) run on `to`, chunk by chunk, without holding them; `progress`
    /// sees the bytes moved so far. Returns the rows the target stored. On a failure of either
    /// side the target's COPY is ended with an error, so it stores nothing, and database_error
    /// is thrown.
    std::uint64_t copy_into(connection& to, std::string_view copy_out, std::string_view copy_in,
                            const std::function<void(std::uint64_t bytes)>& progress = {});

    /// A second connection to the same server, database and user (for the migration lock).
    [[nodiscard]] connection open_another(const std::string& application_name = "pgmig") const;

    /// An identifier quoted for SQL (`"My Table"`), by libpq's rules.
    [[nodiscard]] std::string quote_identifier(std::string_view name) const;

    [[nodiscard]] int backend_pid() const;
    /// The server's version as a number: 150004 for 15.4.
    [[nodiscard]] int server_version() const;
    [[nodiscard]] std::string user() const;
    [[nodiscard]] std::string database() const;
    /// `user@host:port/database`: where this connection goes, without secrets.
    [[nodiscard]] std::string describe() const;
    /// True inside a transaction block (also when it has failed).
    [[nodiscard]] bool in_transaction() const;
    /// Receives server notices (RAISE NOTICE, "does not exist, skipping", ...).
    void on_notice(std::function<void(std::string_view)> handler);

private:
    connection(pg_conn* conn, bool owned);
    void close() noexcept;

    pg_conn* m_conn = nullptr;
    bool m_owned = false;
    std::vector<std::string> m_prepared; ///< statement names prepared on this connection
    std::unique_ptr<std::function<void(std::string_view)>> m_notice;
};

/// One setting of a connection string, as libpq reads it.
struct conninfo_parameter {
    std::string keyword;
    std::string value;
    bool secret = false; ///< the password, or another setting libpq does not display
};

/// The settings a connection string or URI gives, in libpq's order. Throws connection_error
/// for a malformed one (without showing a password).
[[nodiscard]] std::vector<conninfo_parameter> conninfo_parameters(std::string_view conninfo);

/// The same connection string without its secrets, as key=value pairs: safe to print, and
/// usable where the password comes from elsewhere (PGPASSWORD, ~/.pgpass).
[[nodiscard]] std::string without_secrets(std::string_view conninfo);

/// The same connection string (or URI) pointed at another database, as key=value pairs. Keeps
/// every other setting, password included, so it is for libpq's eyes, not for printing.
[[nodiscard]] std::string with_database(std::string_view conninfo, std::string_view dbname);

/// A libpq connection string or URI with the password, if any, replaced by `****`.
[[nodiscard]] std::string mask_password(std::string_view conninfo);

/// The passwords a connection string or URI holds, as written and percent-decoded, found even
/// when libpq cannot parse the string: what redact_secrets() hides.
[[nodiscard]] std::vector<std::string> passwords_in(std::string_view conninfo);

/// `text` (an error message, say libpq's) with every password of `conninfo` hidden: a quoted
/// fragment that holds one becomes "****", and any other occurrence too. Every message that can
/// carry connection text passes through here before anyone sees it.
[[nodiscard]] std::string redact_secrets(std::string_view text, std::string_view conninfo);

/// SQL text for a string literal ('it''s'), for scripts printed by --sql.
[[nodiscard]] std::string quote_literal(std::string_view text);
/// SQL text for an identifier ("Name"), when no connection is at hand.
[[nodiscard]] std::string quote_identifier(std::string_view name);

} // namespace pgmig
