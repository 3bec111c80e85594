#pragma once

#include <pgmig/revision.hpp>

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace pgmig::compiler {

/// A statement with its parse tree, for lint rules.
struct parsed_statement {
    statement stmt;
    int column = 1;
    nlohmann::json tree; ///< `{"CreateStmt": {...}}`, as libpg_query prints it
};

struct split_result {
    std::vector<parsed_statement> statements;
    std::vector<diagnostic> diagnostics;
};

/// Splits SQL into statements with PostgreSQL's own parser (libpg_query), so dollar quotes,
/// E'' strings, nested comments and semicolons inside literals are handled as the server
/// handles them. A syntax error becomes one diagnostic at the file line and column it is on.
/// `start` is where the first character of `sql` stands in its file.
[[nodiscard]] split_result split_statements(std::string_view sql, const source_location& start);

/// Offset of the first character that is neither whitespace nor inside a comment.
[[nodiscard]] std::size_t skip_blank_and_comments(std::string_view sql);

} // namespace pgmig::compiler
