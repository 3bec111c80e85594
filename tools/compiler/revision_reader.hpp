#pragma once

#include "sql_lint.hpp"

#include <pgmig/revision.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::compiler {

enum class source_kind {
    sql, ///< `-- pgmig:` directives, then upgrade and downgrade sections
    cpp, ///< `// pgmig:` directives anywhere; the code is C++
};

/// The text of one section as it stands in the file.
struct section_text {
    bool present = false;
    int directive_line = 0; ///< line of `-- pgmig:upgrade` / `-- pgmig:downgrade`
    int first_line = 0;     ///< line the text starts on (the one after the directive)
    std::string text;
};

/// A revision file read but not yet split into statements.
struct revision_source {
    revision meta; ///< everything but the statements and the checksum
    section_text upgrade;
    section_text downgrade;
    std::vector<std::string> lint_ignore; ///< lint rules the author silenced for this file
    /// Rules settled for the whole file by `safety-assured` in the header.
    std::vector<std::string> settled_rules;
    /// `safety-assured` above a statement, in either section.
    std::vector<statement_assurance> statement_assured;
    /// Every `safety-assured` rule and its line, for checking the names.
    std::vector<std::pair<std::string, int>> assurance_lines;
    std::vector<diagnostic> diagnostics;

    [[nodiscard]] bool ok() const;
};

/// Reads directives and sections with exact line numbers. Never throws for bad content:
/// every problem becomes a diagnostic naming the file and line.
[[nodiscard]] revision_source read_revision(std::string_view path, std::string_view text,
                                            source_kind kind);

/// The syntax a file name implies (see revision_file_kind_of): C++ or else SQL.
[[nodiscard]] source_kind kind_of(std::string_view path);

/// Where text stops being something PostgreSQL accepts: a NUL byte or invalid UTF-8.
struct text_problem {
    std::size_t offset;
    std::string message;
};
[[nodiscard]] std::optional<text_problem> find_text_problem(std::string_view text);

} // namespace pgmig::compiler
