#include "step_sink.hpp"

#include <pgmig/operations.hpp>
#include <pgmig/runner.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

namespace pgmig {
namespace {

using clock_type = std::chrono::steady_clock;
using detail::command_role;
using detail::step_failure;

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

/// The version rows after a step.
std::vector<std::string> rows_after(std::vector<std::string> rows, const plan_step& step) {
    for (const auto& r : step.rows_removed) {
        rows.erase(std::remove(rows.begin(), rows.end(), r), rows.end());
    }
    rows.insert(rows.end(), step.rows_added.begin(), step.rows_added.end());
    return rows;
}

} // namespace

const std::vector<statement>& statements_of(const plan_step& step) {
    return step.dir == direction::upgrade ? step.rev->upgrade : step.rev->downgrade;
}

const interrupted_step* interrupted_step_for(const db_state& state, const plan_step& step) {
    auto it = std::find_if(
        state.interrupted.begin(), state.interrupted.end(),
        [&](const interrupted_step& s) { return s.revision == step.rev->id && s.dir == step.dir; });
    return it == state.interrupted.end() ? nullptr : &*it;
}

runner::runner(connection& conn, const version_store& store, run_options options)
    : m_sink(std::make_unique<detail::connection_sink>(conn)), m_store(store),
      m_options(std::move(options)) {}

runner::runner(std::string& script, const version_store& store, run_options options)
    : m_sink(std::make_unique<detail::script_sink>(script, options.annotate)), m_store(store),
      m_options(std::move(options)) {}

runner::~runner() = default;

void runner::report(progress_event::kind what, const plan_step* step, double elapsed_ms,
                    std::string text) {
    if (m_options.progress) {
        m_options.progress({what, step, m_index, m_total, elapsed_ms, std::move(text)});
    }
}

void runner::vacuum_version_table() noexcept {
    if (!m_sink->online()) {
        return;
    }
    try {
        m_sink->send(m_store.vacuum_version_table(), command_role::bookkeeping);
        // A failure (not the table's owner, say) only costs speed: autovacuum will get to it.
        (void)m_sink->flush();
    } catch (const error&) {
    }
}

namespace {

/// Turns a failed command of a step into the error the user reads: a failed statement is
/// located at its file and line; anything else says what pgmig was doing.
[[noreturn]] void raise(const plan_step& step, step_failure failure, std::string_view suffix) {
    auto info = failure.error.info();
    if (failure.role == command_role::statement && failure.source != nullptr) {
        // The server may say where in the statement it failed: a line of a long CREATE TABLE.
        const int within = line_of_position(failure.source->sql, info.position);
        info.where = {step.rev->where.file, failure.source->line + std::max(within - 1, 0)};
        info.statement = failure.source->sql;
        throw database_error(fmt::format("{}{}", failure.error.what(), suffix), std::move(info));
    }
    const char* what = failure.role == command_role::bookkeeping
                           ? "recording the step in the history table"
                       : failure.role == command_role::commit ? "committing the step"
                                                              : "preparing the step";
    throw database_error(fmt::format("{}: {}", what, failure.error.what()), std::move(info));
}

} // namespace

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
            const revision& rev = *step.rev;
            const bool begin = !single || m_index == 0;
            const bool commit = !single || m_index + 1 == p.steps.size();
            m_digest ^= revision_fingerprint(rev); // in or out: XOR both ways
            std::vector<std::string> next = rows_after(rows, step);
            m_sink->comment(fmt::format("Running {} {} -> {}{}{}", to_string(step.dir),
                                        rows_text(rows), rows_text(next),
                                        rev.message.empty() ? "" : ", ", rev.message));
            report(progress_event::kind::step_started, &step);
            auto start = clock_type::now();
            try {
                if (rev.transactional) {
                    run_with_lock_retries(step, begin, commit);
                } else {
                    run_outside_transaction(step, state);
                }
            } catch (const database_error& e) {
                // Name the step and where the database stays, then keep the error's kind.
                auto info = e.info();
                info.revision = rev.id;
                std::string at = single ? rows_text(p.rows_before) : rows_text(rows);
                std::string located =
                    info.where.file.empty()
                        ? place(rev, 0)
                        : fmt::format("{}:{}: ", info.where.file, info.where.line);
                throw database_error(fmt::format("{}error: {} failed, the database stays at {}: {}",
                                                 located, step_name(step), at, e.what()),
                                     std::move(info));
            }
            report(progress_event::kind::step_finished, &step, ms_since(start));
            if (!single && (m_index + 1) % vacuum_every == 0) {
                vacuum_version_table();
            }
            rows = std::move(next);
            if (!single || commit) {
                completed.push_back(fmt::format("{} {}", to_string(step.dir), rev.id));
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
        m_sink->recover(false);
        e.set_completed(single ? std::vector<std::string>{} : completed);
        throw;
    }
}

void runner::send_before_commit() {
    if (!m_options.before_commit.empty()) {
        m_sink->send({m_options.before_commit, {}}, command_role::setup);
    }
}

void runner::send_timeouts(const revision& rev, bool local) {
    const std::string scope = local ? "true" : "false";
    auto add = [&](const char* setting, const std::string& own, const std::string& fallback,
                   std::string& current) {
        const std::string& value = own.empty() ? fallback : own;
        if (value == current) {
            return; // already in force
        }
        if (!value.empty()) {
            m_sink->send({fmt::format("SELECT set_config('{}', $1, {})", setting, scope), {value}},
                         command_role::setup);
        } else {
            m_sink->send({fmt::format("SET LOCAL {} TO DEFAULT", setting), {}},
                         command_role::setup);
        }
        current = value;
    };
    const std::string& set_wide = m_options.default_lock_timeout.empty() && local
                                      ? m_options.transactional_lock_timeout
                                      : m_options.default_lock_timeout;
    add("lock_timeout", rev.lock_timeout, set_wide, m_lock_timeout);
    add("statement_timeout", rev.statement_timeout, m_options.default_statement_timeout,
        m_statement_timeout);
}

void runner::run_with_lock_retries(const plan_step& step, bool begin, bool commit) {
    // A revision stopped by its lock timeout has rolled back whole and let the traffic queued
    // behind it through; it waits and tries again, as GitLab's lock-retry does, rather than
    // failing the deployment or queueing for as long as the lock is held (docs/design.md).
    const int retries = m_options.single_transaction ? 0 : m_options.lock_retries;
    static thread_local std::mt19937 random{std::random_device{}()};
    for (int attempt = 0;; ++attempt) {
        try {
            run_step(step, begin, commit);
            return;
        } catch (const database_error& e) {
            if (e.sqlstate() != "55P03" || retries == 0) {
                throw;
            }
            if (attempt == retries) {
                throw database_error(
                    fmt::format("{} (tried {} times, waiting longer each time; the lock's holder "
                                "kept it)",
                                e.what(), attempt + 1),
                    e.info());
            }
            m_sink->recover(false);
            // 1 s, 2 s, 4 s ... up to 30 s, each between half and one and a half of that, so
            // that migrators started together do not come back together.
            std::uniform_real_distribution<double> jitter(0.5, 1.5);
            const double seconds = std::min(30.0, std::ldexp(1.0, attempt)) * jitter(random);
            report(progress_event::kind::note, &step, 0,
                   fmt::format("{} {} waited longer than its lock timeout ({}); retry {} of {} "
                               "in {:.1f} s",
                               to_string(step.dir), step.rev->id, e.info().server_message,
                               attempt + 1, retries, seconds));
            std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        }
    }
}

void runner::run_step(const plan_step& step, bool begin, bool commit) {
    detail::step_sink& sink = *m_sink;
    auto check = [&](std::optional<step_failure> failure) {
        if (failure) {
            sink.recover(false);
            raise(step, std::move(*failure), {});
        }
    };
    if (begin) {
        sink.send({"BEGIN", {}}, command_role::setup);
        m_lock_timeout.clear(); // a new transaction starts from the session's settings
        m_statement_timeout.clear();
    }
    sink.send(version_store::step_started(begin ? m_options.lock_key : std::string()),
              command_role::setup);
    send_timeouts(*step.rev, true);
    if (step.rev->is_cpp()) {
        check(sink.flush());
        run_code(step);
    } else {
        for (const auto& s : statements_of(step)) {
            sink.send({s.sql, {}}, command_role::statement, &s);
        }
    }
    send_before_commit();
    // One transaction for the whole run: the version rows move once, before COMMIT, instead
    // of churning (and leaving dead rows to wade through) at every step.
    const bool single = m_options.single_transaction;
    sink.send(m_store.record_step(step, m_digest, !single), command_role::bookkeeping);
    if (single && commit) {
        sink.send(m_store.set_rows(m_rows_before, m_rows_after), command_role::bookkeeping);
    }
    check(sink.flush());
    if (commit) {
        // COMMIT only once every result is in: a migrator killed before this point leaves an
        // open transaction that the server rolls back, never a commit nobody saw.
        sink.send({"COMMIT", {}}, command_role::commit);
        check(sink.flush());
    }
}

void runner::run_outside_transaction(const plan_step& step, const db_state& state) {
    const revision& rev = *step.rev;
    detail::step_sink& sink = *m_sink;
    const auto& statements = statements_of(step);
    auto check = [&](std::optional<step_failure> failure, std::string_view suffix = {}) {
        if (failure) {
            sink.recover(true);
            raise(step, std::move(*failure), suffix);
        }
    };
    std::size_t first = 0;
    bool first_is_resumed = false;
    if (const interrupted_step* resume = interrupted_step_for(state, step)) {
        first_is_resumed = true;
        if (rev.is_cpp()) {
            report(progress_event::kind::note, &step, 0,
                   fmt::format("running C++ revision {} again from its start: it was interrupted",
                               rev.id));
        } else {
            first = static_cast<std::size_t>(resume->statements_done);
            for (std::size_t k = 0; k < first; ++k) {
                if (k >= statements.size() || k >= resume->completed_sql.size() ||
                    statements[k].sql != resume->completed_sql[k]) {
                    throw state_error(fmt::format(
                        "{}revision {} was interrupted after {} of its statements, and statement "
                        "{} has changed since it ran; pgmig cannot tell what the database holds. "
                        "Undo or finish the revision by hand, then record the state with `stamp`",
                        place(rev, k < statements.size() ? statements[k].line : rev.where.line),
                        rev.id, first, k + 1));
                }
            }
            report(progress_event::kind::note, &step, 0,
                   fmt::format("resuming {} {} at statement {} of {}", to_string(step.dir), rev.id,
                               first + 1, statements.size()));
        }
        sink.send(version_store::resume_step(resume->history_id), command_role::bookkeeping);
    } else {
        sink.send(m_store.begin_step(step), command_role::bookkeeping);
    }
    // Outside a transaction the timeouts are session settings, reset when the step ends.
    m_lock_timeout.clear();
    m_statement_timeout.clear();
    send_timeouts(rev, false);
    const bool reset = !m_lock_timeout.empty() || !m_statement_timeout.empty();
    check(sink.flush());
    auto start = clock_type::now();
    if (rev.is_cpp()) {
        // Each operation commits as it goes. The history row stays unfinished until the end,
        // so an interrupted run is reported and run again whole.
        try {
            run_code(step);
        } catch (...) {
            sink.recover(true);
            throw;
        }
    }
    for (std::size_t k = first; k < statements.size() && !rev.is_cpp(); ++k) {
        const statement& s = statements[k];
        const std::string where = fmt::format(
            " (statement {} of {}; statements before it are recorded, so the next run resumes "
            "here)",
            k + 1, statements.size());
        const bool done_before = k == first && first_is_resumed && settle_index(step, s, k);
        if (!done_before && !s.autocommit) {
            // The statement and the record of its completion commit together: a migrator that
            // dies in between leaves neither, so the statement never runs twice.
            sink.send({"BEGIN", {}}, command_role::setup);
            sink.send({s.sql, {}}, command_role::statement, &s);
            send_before_commit();
            sink.send(m_store.record_statement(s.sql), command_role::bookkeeping);
            sink.send({"COMMIT", {}}, command_role::commit);
            check(sink.flush(), where);
        } else {
            // CREATE INDEX CONCURRENTLY and the like cannot run in a transaction block: a gap
            // remains between the statement and its record, which settle_index closes for
            // index builds (see docs/design.md).
            if (!done_before) {
                sink.send({s.sql, {}}, command_role::statement, &s);
                check(sink.flush(), where);
            }
            sink.send(m_store.record_statement(s.sql), command_role::bookkeeping);
            check(sink.flush());
        }
        report(progress_event::kind::statement_finished, &step, ms_since(start),
               fmt::format("statement {} of {}", k + 1, statements.size()));
    }
    sink.send(m_store.finish_step(step, m_digest), command_role::bookkeeping);
    if (reset) {
        sink.send({"RESET lock_timeout", {}}, command_role::setup);
        sink.send({"RESET statement_timeout", {}}, command_role::setup);
    }
    check(sink.flush());
}

bool runner::settle_index(const plan_step& step, const statement& s, std::size_t index) {
    connection* conn = m_sink->conn();
    if (conn == nullptr || s.builds_index.empty()) {
        return false;
    }
    result r = conn->exec("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)",
                          {s.builds_index});
    if (r.rows() == 0) {
        return false; // the build never started: run the statement
    }
    if (r.text(0, 0) == "t") {
        report(progress_event::kind::note, &step, 0,
               fmt::format("statement {} had completed before the interruption (index {} is "
                           "valid); recording it",
                           index + 1, s.builds_index));
        return true;
    }
    report(progress_event::kind::note, &step, 0,
           fmt::format("statement {} was interrupted while it built index {}, which is left "
                       "invalid; dropping it to build it again",
                       index + 1, s.builds_index));
    conn->exec(fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {}", s.builds_index));
    return false;
}

void runner::run_code(const plan_step& step) {
    const revision& rev = *step.rev;
    auto ops = m_sink->operations_for(rev);
    ops->on_progress([this, &step](std::string_view text) {
        report(progress_event::kind::note, &step, 0, std::string(text));
    });
    if (!m_sink->online()) {
        run_cpp_revision(rev, step.dir, *ops); // a refusal to print a read stays what it is
        return;
    }
    // Whatever the revision's code throws fails the step like a failed statement, located at
    // the revision's file; only a lost connection keeps its own kind.
    try {
        run_cpp_revision(rev, step.dir, *ops);
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
}

} // namespace pgmig
