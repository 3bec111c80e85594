#pragma once

#include "sql_splitter.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace pgmig::compiler {

/// A statement-level `-- pgmig:safety-assured <rule> <reason>`: it settles `rule` for the first
/// statement that starts below `line`.
struct statement_assurance {
    int line = 0;
    std::string rule;
};

/// What the rules know about the section they read.
struct lint_scope {
    std::string file;
    bool upgrade = true;       ///< most rules are about upgrades: a downgrade undoes them
    bool transactional = true; ///< false for `-- pgmig:transaction off`
    int postgres_major = 15;   ///< the set's POSTGRES_VERSION: some hazards differ by version
    /// A lock timeout is in force while the revision runs: its own, the set's, or pgmig's
    /// default for a transactional revision.
    bool lock_timeout = false;
    std::vector<std::string> settled; ///< rules settled for the whole file
    std::vector<statement_assurance> assured;
};

/// One warning a rule gives about one statement.
struct lint_finding {
    std::string rule;
    source_location where;
    std::string message;
    /// A fact that, when an earlier revision established it, makes the finding moot:
    /// `created <table>` (from a revision not yet released) or `not-null-checked <table>.<col>`.
    std::string moot_if;
};

/// What the rules found in one section, and what it establishes for the revisions after it.
struct lint_report {
    std::vector<diagnostic> errors; ///< statements that cannot run the way the revision runs them
    std::vector<lint_finding> findings;
    /// `created <relation>`, `not-null-check <table>.<constraint> <column>`,
    /// `validated <table>.<constraint>`: what later revisions' findings may be moot by.
    std::vector<std::string> facts;
    std::map<std::string, int> settled; ///< by rule: findings settled by safety-assured
};

/// Facts established so far (by earlier statements or revisions), to tell moot findings.
class lint_facts {
public:
    void add(const std::string& fact);
    /// Whether `moot_if` (a finding's) holds: a created relation matches qualified or not.
    [[nodiscard]] bool holds(const std::string& moot_if) const;

private:
    std::set<std::string> m_created;
    std::map<std::string, std::string> m_not_null_checks; ///< table.constraint -> column
    std::set<std::string> m_not_null_checked;             ///< table.column, validated
    std::set<std::string> m_validated;                    ///< table.constraint
};

/// Errors for statements that cannot run the way the revision runs them (transaction control,
/// CREATE INDEX CONCURRENTLY inside a transaction) and findings (code `lint/<rule>`) for
/// operations that lose data, break running code, or lock or rewrite a table that exists.
[[nodiscard]] lint_report lint_statements(const std::vector<parsed_statement>& section,
                                          const lint_scope& scope);

/// A lint rule: its name and whether it runs unless a set enables it (LINT_ENABLE).
struct lint_rule {
    std::string name;
    bool on_by_default = true;
};

/// Every lint rule, for documentation and for validating rule names.
[[nodiscard]] const std::vector<lint_rule>& lint_rules();
[[nodiscard]] bool is_lint_rule(const std::string& name);

/// The report as the revision's metadata carries it to the set's check, and back.
[[nodiscard]] nlohmann::json lint_report_to_json(const lint_report& report);
[[nodiscard]] lint_report lint_report_from_json(const nlohmann::json& j);

/// Two relation names that may be one table: equal, or one unqualified and the other's name.
[[nodiscard]] bool same_relation(const std::string& a, const std::string& b);

} // namespace pgmig::compiler
