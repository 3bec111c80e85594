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

/// The PostgreSQL major version of the build's parser (libpg_query's).
[[nodiscard]] int parser_major_version();

/// Which PostgreSQL the SQL is written for: a set's POSTGRES_VERSION, 0 for the parser's own.
struct syntax_target {
    int postgres_major = 0;

    /// Whether the server may accept syntax the build's parser does not know.
    [[nodiscard]] bool newer_than_parser() const;
};

/// Splits SQL into statements with PostgreSQL's own parser (libpg_query), so dollar quotes,
/// E'' strings, nested comments and semicolons inside literals are handled as the server
/// handles them. A syntax error becomes one diagnostic at the file line and column it is on.
/// `start` is where the first character of `sql` stands in its file.
///
/// When `target` is newer than the parser, a statement the parser rejects is kept, without a
/// parse tree, and reported as a warning (code "newer-syntax"): the server it is written for
/// is the judge, and the generated tests run it there.
[[nodiscard]] split_result split_statements(std::string_view sql, const source_location& start,
                                            const syntax_target& target = {});

/// Why a statement cannot run inside a transaction block ("CREATE INDEX CONCURRENTLY",
/// "VACUUM", ...), or empty when it can: one list, for the lint (`transaction off` needed) and
/// for the runner (which commits every other statement together with its record).
[[nodiscard]] std::string outside_transaction_reason(const nlohmann::json& tree);

/// The index a CREATE INDEX CONCURRENTLY builds, qualified as written (the table's schema);
/// empty for any other statement or an unnamed index.
[[nodiscard]] std::string concurrently_built_index(const nlohmann::json& tree);

/// Offset of the first character that is neither whitespace nor inside a comment.
[[nodiscard]] std::size_t skip_blank_and_comments(std::string_view sql);

} // namespace pgmig::compiler
