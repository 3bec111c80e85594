#pragma once

// A few lines at application start-up: refuse to run against a database the build does not
// match, or bring it up to date under the migration lock.
//
//     auto conn = pgmig::connection::open(url);
//     auto report = pgmig::check_database(conn, pgmig::sets::app_db());
//     if (!report.ok()) { std::cerr << report.message << '\n'; return 1; }

#include <pgmig/commands.hpp>
#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/status.hpp>

#include <string>

namespace pgmig {

struct startup_report {
    database_condition condition = database_condition::up_to_date;
    database_status status;
    std::string message; ///< one line, fit for a log

    [[nodiscard]] bool ok() const { return condition == database_condition::up_to_date; }
};

/// Compares the database with the embedded revisions. Reads only; takes no lock.
[[nodiscard]] startup_report check_database(connection& conn, const revision_set& set);

/// Throws state_error with the report's message unless the database is up to date.
void require_up_to_date(connection& conn, const revision_set& set);

/// Upgrades to the set's heads under the migration lock when the database is behind; throws
/// when it is ahead, drifted, interrupted or at an unknown revision. The production guard in
/// `options` applies (production_guard::from_environment() gives the CLI's).
startup_report ensure_up_to_date(connection& conn, const revision_set& set,
                                 const command_options& options = {});

} // namespace pgmig
