#pragma once

// `upgrade --targets FILE`: the same command against many databases, a few at a time, canaries
// first, stopping at the first failure unless told to go on. Each database keeps its own lock
// and history; the fleet only schedules and reports.

#include <pgmig/commands.hpp>

#include <functional>
#include <string>
#include <vector>

namespace pgmig::cli {

struct fleet_options {
    int jobs = 1;            ///< targets migrated at once
    int canaries = 0;        ///< the first N targets go first; a failure among them stops all
    bool keep_going = false; ///< go on after a failure (else start no new target)
};

enum class target_state { not_run, ok, failed };

/// One database of a fleet, or one tenant's schema in a database.
struct fleet_target {
    std::string conninfo;
    std::string schema; ///< empty: the set's own
};

/// What became of one target.
struct target_outcome {
    std::size_t index = 0; ///< in the list of targets
    fleet_target target;   ///< its connection string is for libpq only (see shown)
    std::string shown;     ///< the same with its password masked, and the schema
    target_state state = target_state::not_run;
    migrate_result result;
    std::string error; ///< redacted, one line
    int exit_status = 0;
    double seconds = 0;
};

/// Runs `migrate` for every target under `options`; `done` sees each outcome as it finishes
/// (from the worker's thread, one at a time). Returns the outcomes in target order.
[[nodiscard]] std::vector<target_outcome>
run_fleet(const std::vector<fleet_target>& targets, const fleet_options& options,
          const std::function<migrate_result(const fleet_target& target)>& migrate,
          const std::function<void(const target_outcome&)>& done);

/// Connection strings, one per line of `text`; blank lines and `#` comments are skipped.
[[nodiscard]] std::vector<std::string> parse_targets(const std::string& text);

} // namespace pgmig::cli
