#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/runner.hpp>
#include <pgmig/status.hpp>
#include <pgmig/version_store.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// Refuses writes to a production database unless they were confirmed. The runtime never reads
/// the environment itself: the CLI fills this from it (from_environment), and an application
/// decides for itself.
struct production_guard {
    bool production = false;                     ///< the database is a production one
    bool confirmed = false;                      ///< writes to it were confirmed
    std::string name = "ENVIRONMENT=production"; ///< what made it production, for the message

    /// ENVIRONMENT=production (or prod) and CONFIRM_PRODUCTION_MIGRATION=true, as the CLI reads
    /// them.
    [[nodiscard]] static production_guard from_environment();
    /// Throws guard_error when the database is a production one and writes were not confirmed.
    void check(std::string_view action) const;
};

/// How commands connect and behave; shared by the CLI, the start-up API and the tests.
struct command_options {
    std::string url; ///< libpq URI or key=value string
    /// How long to wait for another migrator's lock before giving up.
    std::chrono::milliseconds lock_timeout{60000};
    bool single_transaction = false;
    production_guard guard = {}; ///< default: not a production database
    /// Let a downgrade run the SQL the history table stored for revisions this build does not
    /// know. Off: such a downgrade is refused, showing the SQL, since whoever can write the
    /// history table could have put any SQL there.
    bool run_stored_sql = false;
    progress_sink progress = {};
    std::function<void(std::string_view)> notice = {}; ///< server notices, e.g. for --verbose
    std::string application_name = "pgmig";
    /// The connection's search_path, when given (`--schema`: a tenant's schema, then public):
    /// where the revisions' unqualified names are created and found.
    std::string search_path = {};
    /// Called when an upgrade or downgrade holds the migration lock and has written nothing
    /// yet, with the version rows the database is at (the CLI's --backup dumps it here).
    /// Throwing stops the run before its first write.
    std::function<void(connection&, const std::vector<std::string>& rows)> before_first_write = {};
};

/// What an upgrade, downgrade or stamp changed.
struct migrate_result {
    plan executed;
    std::vector<std::string> rows_before;
    std::vector<std::string> rows_after;
};

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
/// Taking over a database that Alembic migrated (stamp_from_alembic).
struct alembic_takeover {
    std::string version_table = "alembic_version"; ///< `table` or `schema.table`
    bool drop_version_table = false;               ///< drop it in the same transaction
};
/// Stamps the revisions Alembic's version table names, exactly those rows, in one transaction
/// under the lock. Refuses, changing nothing, when a row names a revision the set does not
/// have, or when the database already holds other rows of this set.
migrate_result stamp_from_alembic(const revision_set& set, const alembic_takeover& takeover,
                                  const command_options& options);
/// Records the current text of applied revisions whose checksum changed (audited in history).
/// `ids` may name revisions or be {"all"}. Returns the ids accepted.
std::vector<std::string> accept_checksums(const revision_set& set,
                                          const std::vector<std::string>& ids,
                                          const command_options& options);
/// The history table, newest first.
[[nodiscard]] std::vector<history_entry> read_log(const revision_set& set, int limit,
                                                  const command_options& options);

/// The SQL of an upgrade or downgrade, without connecting: `range` is `A:B` (from A to B)
/// or just `B` (from base, upgrades only). The runner's own statements, bookkeeping included,
/// written by its script sink. `annotate` puts above each revision statement what it locks,
/// whether it rewrites the table and whether it can run in a transaction.
[[nodiscard]] std::string render_sql(const revision_set& set, direction dir, std::string_view range,
                                     bool single_transaction, bool annotate = false);

} // namespace pgmig
