#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgmig {

/// A transaction-off step that started and did not finish.
struct interrupted_step {
    std::int64_t history_id = 0;
    std::string revision;
    direction dir = direction::upgrade;
    int statements_done = 0;
    std::vector<std::string> completed_sql; ///< the statements that did complete, in order
    std::string checksum;                   ///< of the revision text when the step started
};

/// The set's state as the database records it.
struct db_state {
    bool initialized = false;      ///< the version and history tables exist
    std::vector<std::string> rows; ///< version table rows
    /// The applied-set digest of the latest history row that has one (see applied_digest).
    std::optional<std::uint64_t> digest;
    std::vector<interrupted_step> interrupted;
    /// Tables written before pgmig recorded which set wrote each row (no set_name column): read
    /// as this set's, until a write upgrades them (version_store::upgrade_tables).
    bool legacy_tables = false;
    /// The history table lacks a column this pgmig writes (made by an older one).
    bool history_lacks_columns = false;
    /// Other sets whose rows share these tables.
    std::vector<std::string> other_sets;
    /// Indexes of the database that are not valid (`pg_index.indisvalid`), e.g. left by an
    /// interrupted CREATE INDEX CONCURRENTLY.
    std::vector<std::string> invalid_indexes;
};

/// What one applied revision adds to the applied-set digest: FNV-1a of "id:checksum".
[[nodiscard]] std::uint64_t revision_fingerprint(const revision& rev);

/// The applied-set digest: the XOR of the fingerprints of every applied revision. Each history
/// row a step writes carries the digest after it, so a reader confirms that no applied revision
/// changed by reading one row (it reads every recorded checksum only when the digests differ).
[[nodiscard]] std::uint64_t applied_digest(const std::vector<const revision*>& applied);

/// One row of the history table.
struct history_entry {
    std::int64_t id = 0;
    std::string revision;
    std::string direction; ///< upgrade, downgrade, stamp, accept
    std::string checksum;
    std::string message;
    std::string started_at;
    std::string finished_at; ///< empty while a transaction-off step is unfinished
    double duration_ms = 0;
    std::string db_user;
    std::string tool_version;
    std::string note;
    int statements_done = 0;
    std::optional<int> statements_total;
};

/// The version and history tables of one set (Alembic's HeadMaintainer): the SQL that
/// creates, reads and updates them. Identifiers come from the set settings, quoted; values
/// are always parameters.
class version_store {
public:
    explicit version_store(const set_settings& settings);

    /// CREATE SCHEMA/TABLE IF NOT EXISTS for both tables and the history index, with no
    /// privileges for PUBLIC.
    [[nodiscard]] std::vector<sql_command> create_tables() const;
    /// Adds the history columns an older pgmig did not write and, for `legacy` tables, set_name,
    /// claiming the rows of the `known` revisions for this set.
    [[nodiscard]] std::vector<sql_command> upgrade_tables(const std::vector<std::string>& known,
                                                          bool legacy) const;
    /// Marks when a step starts, inside its transaction; record_step measures from it. With a
    /// lock key, also takes the migration lock's step guard (see migration_lock).
    [[nodiscard]] static sql_command step_started(const std::string& guard_key = {});
    /// Records a completed step and moves the version rows, in one statement. `digest` is the
    /// applied-set digest after the step. With `move_rows_too` false, only the history row is
    /// written (a single-transaction run moves the rows once, at the end: see set_rows).
    [[nodiscard]] sql_command record_step(const plan_step& step, std::uint64_t digest,
                                          bool move_rows_too = true) const;
    /// VACUUM of the version table: every step rewrites its rows, and the dead ones would slow
    /// every later step of a long run (and every later state read) until autovacuum came by.
    [[nodiscard]] sql_command vacuum_version_table() const;
    /// Replaces the version rows `before` with `after`.
    [[nodiscard]] sql_command set_rows(const std::vector<std::string>& before,
                                       const std::vector<std::string>& after) const;
    /// Starts an in-progress history row for a transaction-off step and makes it the session's
    /// current step (the `pgmig.history_id` setting), which record_statement and finish_step
    /// update: the same statements serve a run and a printed script.
    [[nodiscard]] sql_command begin_step(const plan_step& step) const;
    /// Makes an interrupted step's row the session's current step again, to resume it.
    [[nodiscard]] static sql_command resume_step(std::int64_t history_id);
    /// Marks unfinished steps that ran nothing (see detail::ran_nothing) as abandoned.
    [[nodiscard]] sql_command abandon_steps(const std::vector<std::int64_t>& history_ids) const;
    /// Appends one completed statement to the current step's row.
    [[nodiscard]] sql_command record_statement(std::string_view sql) const;
    /// Completes the current step's row and moves the version rows.
    [[nodiscard]] sql_command finish_step(const plan_step& step, std::uint64_t digest) const;
    /// Replaces the version rows without running anything (stamp): a 'stamp' history row for
    /// each revision that now counts as applied, an 'unstamp' row for each that no longer
    /// does, and interrupted steps settled.
    [[nodiscard]] sql_command stamp(const std::vector<std::string>& rows_before,
                                    const std::vector<const revision*>& added,
                                    const std::vector<std::string>& rows_after,
                                    const std::vector<std::string>& removed,
                                    std::uint64_t digest) const;
    /// Records that the user accepted a revision's changed text.
    [[nodiscard]] sql_command accept(const revision& rev, std::string_view old_checksum) const;
    /// Records the applied-set digest on the newest `accept` row (after accepting checksums).
    [[nodiscard]] sql_command set_digest(std::uint64_t digest) const;

    /// Reads the state in two round trips. Works on a database without the tables.
    [[nodiscard]] db_state load(connection& conn) const;
    /// The last checksum recorded for each revision (by upgrade, stamp or accept): what drift
    /// is measured against when the digest says something changed.
    [[nodiscard]] std::map<std::string, std::string> recorded_checksums(connection& conn) const;
    /// The last history row that upgraded (or stamped) each of these revisions, rebuilt as
    /// revisions so that a build which does not know them can still walk and downgrade them.
    [[nodiscard]] std::vector<revision>
    recorded_revisions(connection& conn, const std::vector<std::string>& ids) const;
    /// History rows, newest first.
    [[nodiscard]] std::vector<history_entry> log(connection& conn, int limit) const;

    [[nodiscard]] const std::string& version_table() const { return m_version; }
    [[nodiscard]] const std::string& history_table() const { return m_history; }
    /// The text that keys the migration lock: schema-qualified version table.
    [[nodiscard]] std::string lock_key() const;

private:
    /// `DELETE`/`INSERT` CTEs that move this set's version rows (parameters $removed, $added).
    [[nodiscard]] std::string move_rows(int removed, int added) const;
    /// The condition that selects this set's rows (all rows of tables without set_name).
    [[nodiscard]] std::string own() const;

    std::string m_set; ///< the set's name as an SQL literal
    std::string m_schema;
    std::string m_version;
    std::string m_history;
    std::string m_version_name;
    std::string m_history_name;
    /// Whether the last load() found tables without set_name; reads then take every row.
    mutable bool m_legacy = false;
};

/// The session holding a migration lock, for messages.
struct lock_holder {
    int pid = 0;
    std::string application;
    std::string user;
    std::string address;
    std::string since; ///< when it connected
};

/// One migrator at a time: a session-level advisory lock held on a connection of its own,
/// so that transaction-off revisions never wait on it. Released when destroyed.
///
/// A migrator that dies releases this lock at once, while the server may still be running its
/// last transaction. Every revision transaction therefore also holds a transaction-level lock
/// (step_guard()), and taking the migration lock waits for that one to be free, so the next
/// migrator never reads the state before the dead one's transaction has ended.
class migration_lock {
public:
    /// Waits up to `timeout` for the lock, asking again and again (never waiting inside the
    /// server, see the constructor); throws lock_error naming the holder's pid.
    migration_lock(connection& conn, const std::string& key, std::chrono::milliseconds timeout);
    /// The statement a revision transaction starts with.
    [[nodiscard]] static sql_command step_guard(const std::string& key);
    /// Throws lock_error when the server session holding the lock is not this connection's own
    /// for good, as behind a pool in transaction mode: checked with `main`, the migrator's other
    /// connection.
    void require_own_session(connection& main);
    /// The session that holds the lock of `key` in this database, if one does.
    [[nodiscard]] static std::optional<lock_holder> holder(connection& conn,
                                                           const std::string& key);
    ~migration_lock();
    migration_lock(const migration_lock&) = delete;
    migration_lock& operator=(const migration_lock&) = delete;

private:
    connection* m_conn;
    std::string m_key;
    int m_backend = 0; ///< the server session that took the lock
};

/// pgmig's version, as recorded in the history table.
[[nodiscard]] const char* tool_version();

} // namespace pgmig
