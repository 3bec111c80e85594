#pragma once

// `upgrade --backup DIR`: a pg_dump of the database, taken under the migration lock before
// the run writes anything, and the pg_restore command that undoes the run.

#include <pgmig/connection.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pgmig::cli {

struct backup_file {
    std::string path;
    std::uintmax_t bytes = 0;
    std::string restore_command; ///< without the password: it comes from PGPASSWORD or .pgpass
};

/// Dumps the database `conn` is connected to (`-Fc`) into `dir`, named after the database,
/// the version rows it is at and the time (UTC); with a tenant's `schema`, that schema only.
/// `conninfo` is how to reach it; pg_dump gets it through a private service file, so no password
/// shows in its command line. The program is PGMIG_PG_DUMP, else `pg_dump` on PATH. Throws error
/// when it is missing, older than the server, or fails: the run then stops before writing anything.
[[nodiscard]] backup_file dump_database(connection& conn, const std::string& conninfo,
                                        const std::string& dir,
                                        const std::vector<std::string>& rows,
                                        const std::string& schema = {});

/// "12.3 MB", for reports.
[[nodiscard]] std::string human_size(std::uintmax_t bytes);

} // namespace pgmig::cli
