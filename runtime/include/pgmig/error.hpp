#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// Root of every exception pgmig throws; catch this to handle any pgmig failure.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;

    /// Steps that were applied and committed before the failure ("upgrade 4f1c2a9b7e10").
    [[nodiscard]] const std::vector<std::string>& completed() const { return m_completed; }
    void set_completed(std::vector<std::string> steps) { m_completed = std::move(steps); }

private:
    std::vector<std::string> m_completed;
};

/// A place in a revision source file, for compiler-style `file:line:` messages.
struct source_location {
    std::string file;
    int line = 0;
    int column = 0; ///< 0 when only the line is known

    [[nodiscard]] bool known() const { return !file.empty(); }
};

enum class severity { error, warning, note };

/// One compiler-style finding about a revision file or set.
struct diagnostic {
    severity level = severity::error;
    source_location where;
    std::string message;
    std::string code; ///< short stable identifier, e.g. "missing-downgrade", "lint/drop-column"

    /// `file:line: error: message`, the format IDEs and build tools recognise.
    [[nodiscard]] std::string format() const;
};

/// Revision sources or a revision graph that fail validation.
class source_error : public error {
public:
    explicit source_error(std::vector<diagnostic> diagnostics);
    [[nodiscard]] const std::vector<diagnostic>& diagnostics() const { return m_diagnostics; }

private:
    std::vector<diagnostic> m_diagnostics;
};

/// A target that does not resolve, is ambiguous, or cannot be reached from the current state.
class graph_error : public error {
public:
    using error::error;
};

/// The connection could not be made or was lost (unreachable server, bad URL, wrong password).
class connection_error : public error {
public:
    using error::error;
};

/// The server rejected a statement. Carries what pgmig knows about where it came from.
class database_error : public error {
public:
    struct details {
        std::string sqlstate;
        std::string server_message; ///< primary message, detail and hint from the server
        std::string statement;      ///< the SQL that failed, if it was ours
        std::string revision;       ///< revision id being applied, if any
        source_location where;      ///< file and line of the statement, if known
        /// Where in the SQL text sent the server found the error, in characters from 1
        /// (PG_DIAG_STATEMENT_POSITION); 0 when it did not say.
        int position = 0;
    };
    database_error(const std::string& what, details info)
        : error(what), m_details(std::move(info)) {}
    [[nodiscard]] const details& info() const { return m_details; }
    [[nodiscard]] const std::string& sqlstate() const { return m_details.sqlstate; }

private:
    details m_details;
};

/// The line of `text`, from 1, that holds its `position`-th character as the server counts
/// them (database_error::details::position: characters of the UTF-8 text, from 1); 0 for no
/// position.
[[nodiscard]] int line_of_position(std::string_view text, int position);

/// The database is in a state pgmig will not act on without the user's decision:
/// checksum drift, a revision this build does not know, a partly applied revision.
class state_error : public error {
public:
    using error::error;
};

/// Another migrator held the lock for longer than the lock timeout.
class lock_error : public error {
public:
    using error::error;
};

/// A write was refused by the production guard.
class guard_error : public error {
public:
    using error::error;
};

} // namespace pgmig
