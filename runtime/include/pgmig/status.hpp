#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/version_store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pgmig {

/// An applied revision whose text changed after it was applied.
struct drifted_revision {
    std::string id;
    std::string file;
    std::string recorded; ///< checksum in the history table
    std::string embedded; ///< checksum of the text this build has
};

/// Where the database stands, in one word: the first that applies, in this order.
enum class database_condition {
    unknown_revision, ///< the version table names a revision nobody recorded
    ahead,            ///< a newer build applied revisions this one does not know
    in_progress,      ///< a migrator is applying a transaction-off revision right now
    interrupted,      ///< a transaction-off revision stopped part-way
    invalid_index,    ///< an index is not valid (an interrupted CREATE INDEX CONCURRENTLY)
    checksum_drift,   ///< an applied revision's text changed since
    behind,           ///< revisions of this build are not applied yet
    up_to_date,
};

[[nodiscard]] const char* to_string(database_condition c);

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
    std::vector<interrupted_step> interrupted; ///< unfinished steps (see `migrator`)
    /// The migrator holding the lock while steps are unfinished: they are then in progress,
    /// not interrupted.
    std::optional<lock_holder> migrator;
    std::vector<std::string> invalid_indexes; ///< `pg_index.indisvalid` false

    [[nodiscard]] database_condition condition() const;
    [[nodiscard]] bool up_to_date() const { return condition() == database_condition::up_to_date; }
    /// One line: "up to date at 9b0d3c1a2f44", "behind: 2 revisions to apply (...)", ...
    [[nodiscard]] std::string summary() const;
};

/// Compares the database with the set, reading only (two round trips, no lock).
[[nodiscard]] database_status inspect(connection& conn, const revision_set& set);

} // namespace pgmig
