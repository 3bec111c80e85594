#include <pgmig/operations.hpp>
#include <pgmig/runner.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace pgmig {
namespace {

using clock_type = std::chrono::steady_clock;

/// How many committed revisions between vacuums of the version table in long runs.
constexpr std::size_t vacuum_every = 64;

double ms_since(clock_type::time_point start) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

/// `file:line: ` when the place is known; recorded revisions have no file.
std::string place(const revision& rev, int line) {
    if (rev.where.file.empty()) {
        return "";
    }
    return line > 0 ? fmt::format("{}:{}: ", rev.where.file, line)
                    : fmt::format("{}: ", rev.where.file);
}

std::string step_name(const plan_step& step) {
    const revision& rev = *step.rev;
    std::string origin = rev.origin == revision_origin::recorded ? ", SQL stored in history" : "";
    return rev.message.empty()
               ? fmt::format("{} {}{}", to_string(step.dir), rev.id, origin)
               : fmt::format("{} {} ({}{})", to_string(step.dir), rev.id, rev.message, origin);
}

} // namespace

const std::vector<statement>& statements_of(const plan_step& step) {
    return step.dir == direction::upgrade ? step.rev->upgrade : step.rev->downgrade;
}

runner::runner(connection& conn, const version_store& store, run_options options)
    : m_conn(conn), m_store(store), m_options(std::move(options)) {}

void runner::report(progress_event::kind what, const plan_step* step, double elapsed_ms,
                    std::string text) {
    if (m_options.progress) {
        m_options.progress({what, step, m_index, m_total, elapsed_ms, std::move(text)});
    }
}

void runner::vacuum_version_table() noexcept {
    try {
        sql_command vacuum = m_store.vacuum_version_table();
        m_conn.exec(vacuum.text);
    } catch (const error&) {
        // Not the table's owner, say: autovacuum will get to it; only speed is lost.
    }
}

void runner::rollback() noexcept {
    try {
        if (m_conn.in_transaction()) {
            m_conn.exec("ROLLBACK");
        }
    } catch (const error&) {
        // The connection is gone: the server rolls the transaction back itself.
    }
}

void runner::run(const plan& p, const db_state& state) {
    m_total = p.steps.size();
    const bool single = m_options.single_transaction;
    if (single) {
        for (const auto& step : p.steps) {
            if (!step.rev->transactional) {
                throw state_error(fmt::format(
                    "{}revision {} runs outside a transaction (-- pgmig:transaction off), so it "
                    "cannot be part of --single-transaction",
                    place(*step.rev, step.rev->where.line), step.rev->id));
            }
        }
    }
    std::vector<std::string> completed;
    std::vector<std::string> rows = p.rows_before;
    m_digest = m_options.digest;
    m_rows_before = p.rows_before;
    m_rows_after = p.rows_after;
    try {
        for (m_index = 0; m_index < p.steps.size(); ++m_index) {
            const plan_step& step = p.steps[m_index];
            const bool begin = !single || m_index == 0;
            const bool commit = !single || m_index + 1 == p.steps.size();
            m_digest ^= revision_fingerprint(*step.rev); // in or out: XOR both ways
            report(progress_event::kind::step_started, &step);
            auto start = clock_type::now();
            try {
                if (step.rev->is_cpp()) {
                    run_cpp(step, begin, commit, state);
                } else if (!step.rev->transactional) {
                    run_without_transaction(step, state);
                } else {
                    run_in_transaction(step, begin, commit);
                }
            } catch (const database_error& e) {
                // Name the step and where the database stays, then keep the error's kind.
                auto info = e.info();
                info.revision = step.rev->id;
                std::string at = single ? rows_text(p.rows_before) : rows_text(rows);
                std::string located =
                    info.where.file.empty()
                        ? place(*step.rev, 0)
                        : fmt::format("{}:{}: ", info.where.file, info.where.line);
                throw database_error(fmt::format("{}error: {} failed, the database stays at {}: {}",
                                                 located, step_name(step), at, e.what()),
                                     std::move(info));
            }
            report(progress_event::kind::step_finished, &step, ms_since(start));
            if (!single && (m_index + 1) % vacuum_every == 0) {
                vacuum_version_table();
            }
            for (const auto& r : step.rows_removed) {
                rows.erase(std::remove(rows.begin(), rows.end(), r), rows.end());
            }
            rows.insert(rows.end(), step.rows_added.begin(), step.rows_added.end());
            if (!single || commit) {
                completed.push_back(fmt::format("{} {}", to_string(step.dir), step.rev->id));
            }
        }
        if (!single && p.steps.size() >= vacuum_every / 4) {
            vacuum_version_table(); // leave the next state read a clean table
        }
        if (single) {
            completed.clear();
            for (const auto& step : p.steps) {
                completed.push_back(fmt::format("{} {}", to_string(step.dir), step.rev->id));
            }
        }
    } catch (error& e) {
        rollback();
        e.set_completed(single ? std::vector<std::string>{} : completed);
        throw;
    }
}

std::vector<sql_command> runner::timeout_commands(const revision& rev, bool local) {
    std::vector<sql_command> out;
    const std::string scope = local ? "true" : "false";
    auto add = [&](const char* setting, const std::string& own, const std::string& fallback,
                   std::string& current) {
        const std::string& value = own.empty() ? fallback : own;
        if (value == current) {
            return; // already in force in this transaction
        }
        if (!value.empty()) {
            out.push_back(
                {fmt::format("SELECT set_config('{}', $1, {})", setting, scope), {value}});
        } else {
            out.push_back({fmt::format("SET LOCAL {} TO DEFAULT", setting), {}});
        }
        current = value;
    };
    add("lock_timeout", rev.lock_timeout, m_options.default_lock_timeout, m_lock_timeout);
    add("statement_timeout", rev.statement_timeout, m_options.default_statement_timeout,
        m_statement_timeout);
    return out;
}

void runner::run_in_transaction(const plan_step& step, bool begin, bool commit) {
    const auto& statements = statements_of(step);
    std::vector<sql_command> commands;
    commands.reserve(statements.size() + 6);
    if (begin) {
        commands.push_back({"BEGIN", {}});
        m_lock_timeout.clear(); // a new transaction starts from the session's settings
        m_statement_timeout.clear();
    }
    commands.push_back(version_store::step_started(begin ? m_options.lock_key : std::string()));
    for (auto& c : timeout_commands(*step.rev, true)) {
        commands.push_back(std::move(c));
    }
    const std::size_t first_statement = commands.size();
    for (const auto& s : statements) {
        commands.push_back({s.sql, {}});
    }
    const std::size_t record = commands.size();
    // One transaction for the whole run: the version rows move once, before COMMIT, instead
    // of churning (and leaving dead rows to wade through) at every step.
    const bool single = m_options.single_transaction;
    commands.push_back(m_store.record_step(step, m_digest, !single));
    if (single && commit) {
        commands.push_back(m_store.set_rows(m_rows_before, m_rows_after));
    }
    auto failure = m_conn.pipeline(commands);
    if (!failure) {
        // COMMIT only once every result is in: a migrator killed before this point leaves an
        // open transaction that the server rolls back, never a commit nobody saw.
        if (commit) {
            m_conn.exec("COMMIT");
        }
        return;
    }
    rollback();
    auto info = failure->error.info();
    if (failure->index >= first_statement && failure->index < record) {
        const statement& s = statements[failure->index - first_statement];
        info.where = {step.rev->where.file, s.line};
        info.statement = s.sql;
        throw database_error(failure->error.what(), std::move(info));
    }
    const char* what = failure->index >= record ? "recording the step in the history table"
                                                : "preparing the transaction";
    throw database_error(fmt::format("{}: {}", what, failure->error.what()), std::move(info));
}

/// A revision that runs outside a transaction takes its timeouts as session settings, reset
/// when it ends however it ends.
class runner::session_timeouts {
public:
    session_timeouts(runner& r, const revision& rev) : m_conn(r.m_conn) {
        r.m_lock_timeout.clear();
        r.m_statement_timeout.clear();
        auto commands = r.timeout_commands(rev, false);
        for (const auto& c : commands) {
            m_conn.exec(c.text, c.params);
        }
        m_active = !commands.empty();
    }
    ~session_timeouts() {
        if (m_active) {
            try {
                m_conn.exec("RESET lock_timeout; RESET statement_timeout");
            } catch (const error&) {
            }
        }
    }
    session_timeouts(const session_timeouts&) = delete;
    session_timeouts& operator=(const session_timeouts&) = delete;

private:
    connection& m_conn;
    bool m_active = false;
};

void runner::run_without_transaction(const plan_step& step, const db_state& state) {
    const revision& rev = *step.rev;
    const auto& statements = statements_of(step);
    auto start = clock_type::now();
    std::size_t first = 0;
    std::int64_t history_id = 0;
    auto resume = std::find_if(
        state.interrupted.begin(), state.interrupted.end(),
        [&](const interrupted_step& s) { return s.revision == rev.id && s.dir == step.dir; });
    if (resume != state.interrupted.end()) {
        first = static_cast<std::size_t>(resume->statements_done);
        for (std::size_t k = 0; k < first; ++k) {
            if (k >= statements.size() || k >= resume->completed_sql.size() ||
                statements[k].sql != resume->completed_sql[k]) {
                throw state_error(fmt::format(
                    "{}revision {} was interrupted after {} of its statements, and statement {} "
                    "has changed since it ran; pgmig cannot tell what the database holds. Undo "
                    "or finish the revision by hand, then record the state with `stamp`",
                    place(rev, k < statements.size() ? statements[k].line : rev.where.line), rev.id,
                    first, k + 1));
            }
        }
        history_id = resume->history_id;
        report(progress_event::kind::note, &step, 0,
               fmt::format("resuming {} {} at statement {} of {}", to_string(step.dir), rev.id,
                           first + 1, statements.size()));
    } else {
        sql_command begin = m_store.begin_step(step, 0);
        history_id = std::stoll(std::string(m_conn.exec(begin.text, begin.params).text(0, 0)));
    }
    session_timeouts timeouts(*this, rev);
    for (std::size_t k = first; k < statements.size(); ++k) {
        try {
            m_conn.exec(statements[k].sql);
        } catch (const database_error& e) {
            auto info = e.info();
            info.where = {rev.where.file, statements[k].line};
            info.statement = statements[k].sql;
            throw database_error(
                fmt::format("{} (statement {} of {}; statements before it are recorded, so the "
                            "next run resumes here)",
                            e.what(), k + 1, statements.size()),
                std::move(info));
        }
        sql_command done = m_store.record_statement(history_id, statements[k].sql);
        m_conn.exec(done.text, done.params);
        report(progress_event::kind::statement_finished, &step, ms_since(start),
               fmt::format("statement {} of {}", k + 1, statements.size()));
    }
    sql_command finish = m_store.finish_step(history_id, step, {ms_since(start)}, m_digest);
    m_conn.exec(finish.text, finish.params);
}

void runner::run_cpp(const plan_step& step, bool begin, bool commit, const db_state& state) {
    const revision& rev = *step.rev;
    operations ops(m_conn, rev);
    ops.on_progress([this, &step](std::string_view text) {
        report(progress_event::kind::note, &step, 0, std::string(text));
    });
    // Whatever the revision's code throws fails the step like a failed statement, located at
    // the revision's file; only a lost connection keeps its own kind.
    auto run_code = [&] {
        try {
            run_cpp_revision(rev, step.dir, ops);
        } catch (const database_error& e) {
            auto info = e.info();
            info.where = {rev.where.file, rev.where.line};
            throw database_error(e.what(), std::move(info));
        } catch (const connection_error&) {
            throw;
        } catch (const std::exception& e) {
            database_error::details info;
            info.where = {rev.where.file, rev.where.line};
            throw database_error(e.what(), std::move(info));
        }
    };
    if (!rev.transactional) {
        // Outside a transaction, each operation commits as it goes. The history row stays
        // unfinished until the end, so an interrupted run is reported and run again whole.
        auto start = clock_type::now();
        auto interrupted = std::find_if(
            state.interrupted.begin(), state.interrupted.end(),
            [&](const interrupted_step& s) { return s.revision == rev.id && s.dir == step.dir; });
        std::int64_t history_id = 0;
        if (interrupted != state.interrupted.end()) {
            history_id = interrupted->history_id;
            report(progress_event::kind::note, &step, 0,
                   fmt::format("running C++ revision {} again from its start: it was interrupted",
                               rev.id));
        } else {
            sql_command begin_row = m_store.begin_step(step, 0);
            history_id =
                std::stoll(std::string(m_conn.exec(begin_row.text, begin_row.params).text(0, 0)));
        }
        session_timeouts timeouts(*this, rev);
        run_code();
        sql_command finish = m_store.finish_step(history_id, step, {ms_since(start)}, m_digest);
        m_conn.exec(finish.text, finish.params);
        return;
    }
    if (begin) {
        m_conn.exec("BEGIN");
        m_lock_timeout.clear();
        m_statement_timeout.clear();
    }
    sql_command started = version_store::step_started(begin ? m_options.lock_key : std::string());
    m_conn.exec(started.text, started.params);
    for (const auto& c : timeout_commands(rev, true)) {
        m_conn.exec(c.text, c.params);
    }
    run_code();
    sql_command record = m_store.record_step(step, m_digest, !m_options.single_transaction);
    m_conn.exec(record.text, record.params);
    if (m_options.single_transaction && commit) {
        sql_command rows = m_store.set_rows(m_rows_before, m_rows_after);
        m_conn.exec(rows.text, rows.params);
    }
    if (commit) {
        m_conn.exec("COMMIT");
    }
}

} // namespace pgmig
