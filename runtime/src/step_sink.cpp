#include "step_sink.hpp"

#include <fmt/format.h>

namespace pgmig::detail {

void connection_sink::send(sql_command command, command_role role, const statement* source) {
    m_queue.push_back({std::move(command), role, source});
}

std::optional<step_failure> connection_sink::flush() {
    std::vector<queued> queue = std::move(m_queue);
    m_queue.clear();
    if (queue.empty()) {
        return std::nullopt;
    }
    if (queue.size() == 1) {
        const queued& q = queue.front();
        const sql_command& c = q.command;
        try {
            if (!c.prepared_as.empty()) {
                (void)m_conn.exec_prepared(c.prepared_as, c.text, c.params);
            } else if (c.params.empty()) {
                (void)m_conn.exec(c.text);
            } else {
                (void)m_conn.exec(c.text, c.params);
            }
        } catch (const database_error& e) {
            return step_failure{q.role, q.source, e};
        }
        return std::nullopt;
    }
    std::vector<sql_command> commands;
    commands.reserve(queue.size());
    for (auto& q : queue) {
        commands.push_back(std::move(q.command));
    }
    if (auto failure = m_conn.pipeline(commands)) {
        const queued& q = queue[failure->index];
        return step_failure{q.role, q.source, std::move(failure->error)};
    }
    return std::nullopt;
}

void connection_sink::recover(bool reset_timeouts) noexcept {
    m_queue.clear();
    try {
        if (m_conn.in_transaction()) {
            m_conn.exec("ROLLBACK");
        }
        if (reset_timeouts) {
            m_conn.exec("RESET lock_timeout; RESET statement_timeout");
        }
    } catch (const error&) {
        // The connection is gone: the server rolls the transaction back itself.
    }
}

std::unique_ptr<operations> connection_sink::operations_for(const revision& rev) {
    return std::make_unique<operations>(m_conn, rev);
}

void script_sink::send(sql_command command, command_role role, const statement* source) {
    if (role != command_role::statement) {
        m_script += command.inlined() + ";\n";
        return;
    }
    if (m_annotate && source != nullptr) {
        // What the build's parser found, for the DBA who reviews the script.
        m_script += fmt::format(
            "-- pgmig: {}; {}\n",
            source->locks.empty() ? "locks no existing table" : "locks " + source->locks,
            source->autocommit ? "cannot run in a transaction" : "can run in a transaction");
    }
    // A revision's statement, as written: a trailing "-- comment" would swallow the semicolon.
    const std::string& sql = command.text;
    auto last_line = sql.rfind('\n');
    bool comment_at_end =
        sql.find("--", last_line == std::string::npos ? 0 : last_line) != std::string::npos;
    m_script += sql + (comment_at_end ? "\n;\n" : ";\n");
}

std::unique_ptr<operations> script_sink::operations_for(const revision& rev) {
    return std::make_unique<operations>(m_script, rev);
}

void script_sink::comment(std::string_view text) {
    m_script += "\n-- ";
    m_script += text;
    m_script += '\n';
}

} // namespace pgmig::detail
