#pragma once

#include "sql_splitter.hpp"

#include <string>
#include <vector>

namespace pgmig::compiler {

/// What the checks need to know about the section they read.
struct lint_scope {
    std::string file;
    bool upgrade = true;             ///< data-loss and locking rules apply to upgrades only
    bool transactional = true;       ///< false for `-- pgmig:transaction off`
    std::vector<std::string> ignore; ///< rule names silenced by `-- pgmig:lint-ignore`
};

/// Errors for statements that cannot run the way the revision runs them (transaction control,
/// CREATE INDEX CONCURRENTLY inside a transaction), and warnings (code `lint/<rule>`) for
/// operations that lose data or lock or rewrite a table that already exists.
[[nodiscard]] std::vector<diagnostic> lint_statements(const std::vector<parsed_statement>& section,
                                                      const lint_scope& scope);

/// Every lint rule name, for documentation and for validating `lint-ignore`.
[[nodiscard]] const std::vector<std::string>& lint_rules();

} // namespace pgmig::compiler
