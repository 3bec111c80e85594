#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/plan.hpp>
#include <pgmig/version_store.hpp>

#include <functional>
#include <memory>
#include <string>

namespace pgmig {

/// What the runner reports while it works.
struct progress_event {
    enum class kind {
        step_started,
        step_finished,
        statement_finished, ///< transaction-off steps, statement by statement
        note,               ///< something the user should know (resuming, stored SQL, ...)
    };
    kind what = kind::note;
    const plan_step* step = nullptr;
    std::size_t index = 0; ///< of the step in the plan
    std::size_t total = 0; ///< steps in the plan
    double elapsed_ms = 0;
    std::string text;
};

using progress_sink = std::function<void(const progress_event&)>;

struct run_options {
    bool single_transaction = false; ///< the whole plan in one transaction
    progress_sink progress = {};
    std::string default_lock_timeout = {};      ///< for revisions without their own
    std::string default_statement_timeout = {}; ///< likewise
    /// Transactional revisions' lock timeout when neither they nor the set give one. Online
    /// runs use a short one and retry (below); a --sql script keeps the server's.
    std::string transactional_lock_timeout = {};
    /// Times a transactional revision stopped by its lock timeout (SQLSTATE 55P03) is tried
    /// again, after waits that double from 1 s, with jitter (not with single_transaction).
    int lock_retries = 0;
    /// The migration lock's key: revision transactions take its step guard.
    std::string lock_key = {};
    std::uint64_t digest = 0; ///< applied-set digest before the plan (see applied_digest)
    /// A --sql script says above each revision statement what it locks, whether it rewrites
    /// the table, and whether it can run in a transaction (`--annotate`).
    bool annotate = false;
    /// Sent in each transaction of a step just before it commits (the generated tests record
    /// the backend's locks with it); empty: nothing.
    std::string before_commit = {};
};

namespace detail {
class step_sink;
}

/// Applies plans, or prints them: one step protocol with two sinks. Online, each revision and
/// its bookkeeping run in one transaction (one round trip, libpq pipeline mode); transaction-off
/// revisions run statement by statement, recording each completed statement so that a failed
/// one is resumed, not repeated from the start. Offline (--sql), the same statements are
/// written as a script, with their parameters inlined.
///
/// A failure throws the underlying error (database_error carrying revision, file, line and
/// statement), with error::completed() listing the steps that were committed before it.
class runner {
public:
    /// Runs plans on a connection.
    runner(connection& conn, const version_store& store, run_options options);
    /// Appends the SQL of plans to `script` instead of running it (--sql).
    runner(std::string& script, const version_store& store, run_options options);
    ~runner();
    runner(const runner&) = delete;
    runner& operator=(const runner&) = delete;

    /// Runs the plan from the state in `state` (which supplies interrupted steps to resume).
    void run(const plan& p, const db_state& state);

private:
    void run_step(const plan_step& step, bool begin, bool commit);
    void run_with_lock_retries(const plan_step& step, bool begin, bool commit);
    void run_outside_transaction(const plan_step& step, const db_state& state);
    void run_code(const plan_step& step);
    /// Before a resumed index build: whether the interrupted run had completed it (its index is
    /// valid), after dropping an invalid one the interruption left.
    [[nodiscard]] bool settle_index(const plan_step& step, const statement& s, std::size_t index);
    void send_timeouts(const revision& rev, bool local);
    /// The caller's probe (run_options.before_commit), in the transaction about to commit.
    void send_before_commit();
    void report(progress_event::kind what, const plan_step* step, double elapsed_ms = 0,
                std::string text = {});
    void vacuum_version_table() noexcept;

    std::unique_ptr<detail::step_sink> m_sink;
    const version_store& m_store;
    run_options m_options;
    std::size_t m_index = 0;
    std::size_t m_total = 0;
    std::uint64_t m_digest = 0;             ///< after the current step
    std::vector<std::string> m_rows_before; ///< of the plan: a single transaction moves them once
    std::vector<std::string> m_rows_after;
    // The timeouts in force in the open transaction ("" for the server's default), so that a
    // single-transaction run only sends a setting when it changes.
    std::string m_lock_timeout;
    std::string m_statement_timeout;
};

/// The statements of a step in its direction.
[[nodiscard]] const std::vector<statement>& statements_of(const plan_step& step);

/// The interrupted transaction-off step that `step` would resume, or null.
[[nodiscard]] const interrupted_step* interrupted_step_for(const db_state& state,
                                                           const plan_step& step);

} // namespace pgmig
