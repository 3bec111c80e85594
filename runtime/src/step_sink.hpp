#pragma once

// Where the runner's commands go: to the server, one round trip per flush, or into a script
// (--sql). The runner's step protocol is written once, against this interface.

#include <pgmig/connection.hpp>
#include <pgmig/operations.hpp>
#include <pgmig/revision.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail {

/// What a command of a step is, for the message when it fails.
enum class command_role {
    setup,       ///< BEGIN, the step guard, timeouts
    statement,   ///< one of the revision's statements
    bookkeeping, ///< the history and version tables
    commit,      ///< COMMIT
};

/// The first command of a flush that failed (the server skipped the rest).
struct step_failure {
    command_role role;
    const statement* source; ///< the revision's statement, for command_role::statement
    database_error error;
};

class step_sink {
public:
    virtual ~step_sink() = default;
    /// Queues a command.
    virtual void send(sql_command command, command_role role, const statement* source) = 0;
    void send(sql_command command, command_role role) { send(std::move(command), role, nullptr); }
    /// Runs what was queued: nothing failed, or the first failure. Throws connection_error
    /// when the connection is lost.
    [[nodiscard]] virtual std::optional<step_failure> flush() = 0;
    /// After a failure: ends an open transaction and, when asked, resets the session's
    /// timeouts. Never throws.
    virtual void recover(bool reset_timeouts) noexcept = 0;
    /// The operations a C++ revision's code runs with here.
    [[nodiscard]] virtual std::unique_ptr<operations> operations_for(const revision& rev) = 0;
    /// A line of commentary (scripts only).
    virtual void comment(std::string_view text) = 0;
    [[nodiscard]] virtual bool online() const = 0;
    /// The connection, for the questions a resumed step asks before it goes on; null offline.
    [[nodiscard]] virtual connection* conn() = 0;
};

/// Sends to a server: a flush of one command runs it alone (the simple protocol when it has no
/// parameters, which statements such as CREATE INDEX CONCURRENTLY need); a flush of several
/// sends them in one pipeline.
class connection_sink final : public step_sink {
public:
    explicit connection_sink(connection& conn) : m_conn(conn) {}
    void send(sql_command command, command_role role, const statement* source) override;
    using step_sink::send;
    [[nodiscard]] std::optional<step_failure> flush() override;
    void recover(bool reset_timeouts) noexcept override;
    [[nodiscard]] std::unique_ptr<operations> operations_for(const revision& rev) override;
    void comment(std::string_view) override {}
    [[nodiscard]] bool online() const override { return true; }
    [[nodiscard]] connection* conn() override { return &m_conn; }

private:
    struct queued {
        sql_command command;
        command_role role;
        const statement* source;
    };
    connection& m_conn;
    std::vector<queued> m_queue;
};

/// Appends to an SQL script for psql, parameters inlined as literals.
class script_sink final : public step_sink {
public:
    script_sink(std::string& script, bool annotate) : m_script(script), m_annotate(annotate) {}
    void send(sql_command command, command_role role, const statement* source) override;
    using step_sink::send;
    [[nodiscard]] std::optional<step_failure> flush() override { return std::nullopt; }
    void recover(bool) noexcept override {}
    [[nodiscard]] std::unique_ptr<operations> operations_for(const revision& rev) override;
    void comment(std::string_view text) override;
    [[nodiscard]] bool online() const override { return false; }
    [[nodiscard]] connection* conn() override { return nullptr; }

private:
    std::string& m_script;
    bool m_annotate;
};

} // namespace pgmig::detail
