#pragma once

// The generated migration tests (pgmig_add_tests): graph, round trip, stairway and
// expectations, run against a database each test makes for itself on a test server.

#include <pgmig/error.hpp>
#include <pgmig/revision_set.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::testing {

/// Which lock traces fail the stairway (pgmig_add_tests LOCKS).
enum class lock_policy {
    report,   ///< none: the report only
    rewrites, ///< a rewrite of a table that existed before the revision
    strict,   ///< that, and any ACCESS EXCLUSIVE lock on such a table
};

/// "report", "rewrites" or "strict"; throws error for anything else.
[[nodiscard]] lock_policy lock_policy_from(const std::string& name);

/// A generated test found a problem; the message names the revision and the object.
class test_failure : public error {
public:
    using error::error;
};

/// One expected table or column: `users`, `users.email`, `users.email text not null`,
/// `app.users.email`, `table app.users`.
struct expectation {
    std::string schema; ///< empty: any schema
    std::string table;
    std::string column; ///< empty: the table only
    std::string type;   ///< empty: any type
    std::optional<bool> nullable;
    std::string origin; ///< where it was written, for messages ("expect.txt:3")
};

/// Reads expectations, one per line; blank lines and `#` comments are skipped.
/// Throws source_error naming the line of a malformed entry.
[[nodiscard]] std::vector<expectation> parse_expectations(std::string_view text,
                                                          std::string_view origin);

struct test_options {
    std::string server; ///< connection string of the test server (an administrator)
    std::vector<expectation> expectations;
    std::string data_dir; ///< data checks: <revision>.before.sql, .after_up.sql, .after_down.sql
    bool keep_database = false;
    /// The stairway and the round trip go on after a finding and fail at the end with all of
    /// them; this stops them at the first N instead (0: no limit).
    std::size_t max_findings = 0;
    /// STAIRWAY_FROM: the revisions below this one are applied but not proven (empty: all).
    std::string proven_from;
    /// LOCKS: which lock traces fail the stairway (see lock_trace.hpp).
    lock_policy locks = lock_policy::rewrites;
    std::string locks_report;    ///< where the stairway writes its lock trace (empty: nowhere)
    std::ostream* out = nullptr; ///< progress and findings
};

/// Single head unless the set allows several; every revision reversible, or a declared floor.
void test_graph(const revision_set& set, const test_options& options);
/// empty -> upgrade heads -> downgrade base -> upgrade heads: nothing of the set remains after
/// the downgrade, and both upgrades give the same schema.
void test_roundtrip(const revision_set& set, const test_options& options);
/// For every revision in the order an upgrade applies them: up, down, up, comparing schema
/// snapshots; a difference names the revision and the objects.
void test_stairway(const revision_set& set, const test_options& options);
/// After upgrade heads, the expected tables and columns exist (information_schema).
void test_expectations(const revision_set& set, const test_options& options);

} // namespace pgmig::testing
