#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/runner.hpp>
#include <pgmig/version_store.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// How commands connect and behave; shared by the CLI, the start-up API and the tests.
struct command_options {
    std::string url; ///< libpq URI or key=value string
    /// How long to wait for another migrator's lock before giving up.
    std::chrono::milliseconds lock_timeout{60000};
    bool single_transaction = false;
    /// Refuse writes when ENVIRONMENT=production unless CONFIRM_PRODUCTION_MIGRATION=true.
    bool production_guard = true;
    progress_sink progress;
    std::function<void(std::string_view)> notice; ///< server notices, e.g. for --verbose
    std::string application_name = "pgmig";
};

/// An applied revision whose text changed after it was applied.
struct drifted_revision {
    std::string id;
    std::string file;
    std::string recorded; ///< checksum in the history table
    std::string embedded; ///< checksum of the text this build has
};

/// Where the database stands compared with a set.
struct database_status {
    bool initialized = false;         ///< the version table exists
    std::vector<std::string> rows;    ///< version table rows (applied heads)
    std::vector<std::string> heads;   ///< heads of the set this build embeds
    std::vector<std::string> applied; ///< every applied revision this build knows
    std::vector<std::string> pending; ///< revisions to apply to reach the heads
    std::vector<std::string> unknown; ///< applied revisions this build does not know
    std::vector<revision> recorded;   ///< those of them rebuilt from the history table
    std::vector<drifted_revision> drifted;
    std::vector<interrupted_step> interrupted;

    [[nodiscard]] bool up_to_date() const {
        return pending.empty() && unknown.empty() && drifted.empty() && interrupted.empty();
    }
    /// One line: "up to date at 9b0d3c1a2f44", "behind: 2 revisions to apply (...)", ...
    [[nodiscard]] std::string summary() const;
};

/// What an upgrade, downgrade or stamp changed.
struct migrate_result {
    plan executed;
    std::vector<std::string> rows_before;
    std::vector<std::string> rows_after;
};

/// Compares the database with the set, reading only (two round trips, no lock).
[[nodiscard]] database_status inspect(connection& conn, const revision_set& set);

/// Applies revisions up to `target` (see revision_graph::plan_upgrade for target forms).
/// Returns quickly without taking the lock when there is nothing to do.
migrate_result upgrade(const revision_set& set, std::string_view target,
                       const command_options& options);
migrate_result upgrade(connection& conn, const revision_set& set, std::string_view target,
                       const command_options& options);
/// Reverts revisions down to `target`. Revisions this build does not know are reverted with
/// the SQL stored in the history table, and a note says so.
migrate_result downgrade(const revision_set& set, std::string_view target,
                         const command_options& options);
/// Sets the version table to `target` without running any revision.
migrate_result stamp(const revision_set& set, std::string_view target,
                     const command_options& options, bool purge = false);
/// Records the current text of applied revisions whose checksum changed (audited in history).
/// `ids` may name revisions or be {"all"}. Returns the ids accepted.
std::vector<std::string> accept_checksums(const revision_set& set,
                                          const std::vector<std::string>& ids,
                                          const command_options& options);
/// The history table, newest first.
[[nodiscard]] std::vector<history_entry> read_log(const revision_set& set, int limit,
                                                  const command_options& options);

/// The SQL of an upgrade or downgrade, without connecting: `range` is `A:B` (from A to B)
/// or just `B` (from base, upgrades only). Includes the version-table statements.
[[nodiscard]] std::string render_sql(const revision_set& set, direction dir, std::string_view range,
                                     bool single_transaction);

/// Throws guard_error when ENVIRONMENT=production and CONFIRM_PRODUCTION_MIGRATION is not true.
void check_production_guard(std::string_view action);

} // namespace pgmig
