#pragma once

#include "sql_lint.hpp"

#include <pgmig/revision.hpp>

#include <string>
#include <vector>

namespace pgmig::compiler {

/// How a set judges its revisions' lint findings (pgmig_add_revisions keywords).
struct set_lint_options {
    std::string set_name;
    /// LINT_FROM: the first revision linted; the revisions below it are history, not linted.
    std::string lint_from;
    /// RELEASED: the newest revision that has shipped. What later revisions create is new
    /// wherever they run, so locking it costs nothing. Empty: every revision may have shipped.
    std::string released;
    std::vector<std::string> enable;  ///< LINT_ENABLE: rules off by default, turned on
    std::vector<std::string> disable; ///< LINT_DISABLE: rules turned off for the set
    bool warnings_as_errors = false;
};

struct set_lint_result {
    std::vector<diagnostic> diagnostics; ///< findings that stand, and bad options
    std::string summary;                 ///< one line by rule; empty when nothing was found
};

/// Judges each revision's findings (reports[i] belongs to revisions[i]) in the context of the
/// set: findings below LINT_FROM and of rules not enabled are dropped, and so are findings made
/// moot by an earlier revision (a table created in a revision not yet released, a validated
/// NOT NULL check). The revisions must form a valid graph (validate_revisions).
[[nodiscard]] set_lint_result lint_set(const std::vector<revision>& revisions,
                                       const std::vector<lint_report>& reports,
                                       const set_lint_options& options);

} // namespace pgmig::compiler
