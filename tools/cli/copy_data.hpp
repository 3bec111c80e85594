#pragma once

// `copy-data --from SOURCE`: the rows of every table of one database streamed into another at
// the same revision of the set (COPY ... TO STDOUT into COPY ... FROM STDIN), parents before
// children, a table at a time per job, each table in one transaction.

#include <pgmig/revision_set.hpp>

#include <functional>
#include <iosfwd>
#include <string>

namespace pgmig::cli {

struct copy_options {
    std::string source; ///< connection string of the database to copy from
    std::string target; ///< and to
    int jobs = 1;       ///< tables copied at once
    std::string schema; ///< a tenant's schema: only its tables (the set is the tenant's too)
};

/// What was copied.
struct copy_summary {
    int tables = 0;
    int skipped = 0; ///< already complete in the target (a rerun)
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
    double seconds = 0;
};

/// Copies the data. Both databases must be at the same revision of `set`; an empty target is
/// upgraded to the source's revision first. A table the target already holds completely is
/// skipped; one that fails is left empty. Row counts are compared at the end, and sequences
/// set to the source's values. `report` gets one line per table. Throws error (state_error when
/// the revisions differ) naming what to do.
copy_summary copy_data(const revision_set& set, const copy_options& options,
                       const std::function<void(const std::string&)>& report);

} // namespace pgmig::cli
