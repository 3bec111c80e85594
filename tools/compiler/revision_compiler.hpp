#pragma once

#include "revision_reader.hpp"
#include "sql_lint.hpp"
#include "sql_splitter.hpp"

#include <string_view>
#include <vector>

namespace pgmig::compiler {

struct compile_options {
    /// Lint warnings fail the build. A newer-syntax warning stays a warning: it says what the
    /// build cannot check, not something wrong with the revision.
    bool warnings_as_errors = false;
    syntax_target syntax;
    std::string set_lock_timeout; ///< the set's LOCK_TIMEOUT, for the no-lock-timeout rule
};

/// A revision file turned into what the build embeds, with everything wrong with it.
struct compiled_revision {
    revision rev;
    std::vector<diagnostic> diagnostics;
    /// Lint findings of the upgrade, not yet judged against the set (set_lint decides which
    /// stand: LINT_FROM, revisions not yet released, rules enabled); errors are in diagnostics.
    lint_report lint;

    [[nodiscard]] bool ok() const;
};

/// Reads, splits, syntax-checks and lints one revision file and computes its checksum.
/// Checks that need the whole set (references, cycles, heads) are validate_revisions'.
[[nodiscard]] compiled_revision compile_revision(std::string_view path, std::string_view text,
                                                 const compile_options& options = {});

} // namespace pgmig::compiler
