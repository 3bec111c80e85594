#pragma once

// What a revision's upgrade locked and rewrote among the tables that existed before it, as the
// server saw it: the stairway records it for every revision (`<set>.locks`).

#include "migration_tests.hpp"

#include <pgmig/connection.hpp>
#include <pgmig/revision.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <map>
#include <string>
#include <vector>

namespace pgmig::testing {

/// One table a revision locked: the strongest mode it held, and whether its file changed.
struct table_lock {
    std::string table; ///< schema-qualified, quoted where needed
    std::string mode;  ///< as the documentation writes it: "ACCESS EXCLUSIVE"
    bool rewritten = false;
    bool materialized_view = false; ///< a refresh rewrites it by design
};

class lock_trace {
public:
    explicit lock_trace(const set_settings& settings);

    /// The SQL the runner sends in each transaction of a step, just before it commits: it
    /// appends the backend's relation locks to a session setting, which outlives the commit
    /// and is undone with a rollback.
    [[nodiscard]] static const std::string& probe_sql();

    /// Before a revision's upgrade: the tables that exist and their files.
    void before(connection& conn);
    /// After it: what it locked and rewrote among them (and clears the probe's record).
    [[nodiscard]] std::vector<table_lock> after(connection& conn);

private:
    struct table_file {
        std::string name;
        std::string filenode;
        bool materialized_view = false;
    };
    [[nodiscard]] std::map<std::string, table_file> tables(connection& conn) const;

    snapshot_scope m_scope; ///< the set's state tables and the harness's schema left out
    std::map<std::string, table_file> m_before; ///< by oid
};

/// Why the trace of `rev` fails under `policy`, or empty when it does not. A revision's
/// `safety-assured` covers it: a rewriting rule's (alter-column-type, volatile-default,
/// add-serial-column, truncate) a rewrite, any rule's an ACCESS EXCLUSIVE lock. A materialized
/// view's refresh rewrites it by design, and does not count.
[[nodiscard]] std::string judge_locks(const revision& rev, const std::vector<table_lock>& locks,
                                      lock_policy policy);

} // namespace pgmig::testing
