#include "sql_splitter.hpp"

#include "revision_reader.hpp"

#include <pgmig/connection.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <regex>

#include <pg_query.h>

namespace pgmig::compiler {
namespace {

/// Byte offset of a 1-based character position: the server counts characters, not bytes.
std::size_t byte_offset(std::string_view text, int character) {
    std::size_t i = 0;
    for (int seen = 1; seen < character && i < text.size(); ++seen) {
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U) {
            ++i; // continuation bytes of a multi-byte character
        }
    }
    return std::min(i, text.size());
}

struct position {
    int line;
    int column;
};

/// Lines and columns of byte offsets, asked for in increasing order: each call scans only the
/// text since the previous one, so a file of many statements is read once, not once each.
class position_cursor {
public:
    position_cursor(std::string_view text, int first_line)
        : m_text(text), m_first_line(first_line), m_at{first_line, 1} {}

    position at(std::size_t offset) {
        offset = std::min(offset, m_text.size());
        if (offset < m_offset) { // never happens for the parser's ordered statements
            m_offset = 0;
            m_at = {m_first_line, 1};
        }
        for (; m_offset < offset; ++m_offset) {
            if (m_text[m_offset] == '\n') {
                ++m_at.line;
                m_at.column = 1;
            } else if ((static_cast<unsigned char>(m_text[m_offset]) & 0xC0U) != 0x80U) {
                ++m_at.column;
            }
        }
        return m_at;
    }

private:
    std::string_view m_text;
    int m_first_line;
    std::size_t m_offset = 0;
    position m_at;
};

position position_of(std::string_view text, std::size_t offset, int first_line) {
    return position_cursor(text, first_line).at(offset);
}

std::string_view trim_end(std::string_view s) {
    auto e = s.find_last_not_of(" \t\r\n\f\v");
    return e == std::string_view::npos ? std::string_view{} : s.substr(0, e + 1);
}

} // namespace

std::size_t skip_blank_and_comments(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size()) {
        char c = sql[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            auto eol = sql.find('\n', i);
            i = eol == std::string_view::npos ? sql.size() : eol + 1;
        } else if (sql.substr(i, 2) == "/*") {
            int depth = 0; // PostgreSQL block comments nest
            while (i < sql.size()) {
                if (sql.substr(i, 2) == "/*") {
                    ++depth;
                    i += 2;
                } else if (sql.substr(i, 2) == "*/") {
                    i += 2;
                    if (--depth == 0) {
                        break;
                    }
                } else {
                    ++i;
                }
            }
        } else {
            break;
        }
    }
    return i;
}

std::string outside_transaction_reason(const nlohmann::json& tree) {
    if (!tree.is_object() || tree.empty()) {
        return {};
    }
    const std::string kind = tree.begin().key();
    const nlohmann::json& body = tree.begin().value();
    if (kind == "IndexStmt" && body.value("concurrent", false)) {
        return "CREATE INDEX CONCURRENTLY";
    }
    if (kind == "DropStmt" && body.value("concurrent", false)) {
        return "DROP INDEX CONCURRENTLY";
    }
    if (kind == "ReindexStmt") {
        for (const auto& p : body.value("params", nlohmann::json::array())) {
            if (p.value("DefElem", nlohmann::json::object()).value("defname", "") ==
                "concurrently") {
                return "REINDEX CONCURRENTLY";
            }
        }
    }
    // ANALYZE alone may run in a transaction; VACUUM may not.
    if (kind == "VacuumStmt" && body.value("is_vacuumcmd", false)) {
        return "VACUUM";
    }
    if (kind == "CreatedbStmt" || kind == "DropdbStmt") {
        return kind == "CreatedbStmt" ? "CREATE DATABASE" : "DROP DATABASE";
    }
    if (kind == "AlterSystemStmt") {
        return "ALTER SYSTEM";
    }
    if (kind == "CreateTableSpaceStmt" || kind == "DropTableSpaceStmt") {
        return kind == "CreateTableSpaceStmt" ? "CREATE TABLESPACE" : "DROP TABLESPACE";
    }
    if (kind == "AlterTableStmt") {
        for (const auto& cmd : body.value("cmds", nlohmann::json::array())) {
            const auto& c = cmd.value("AlterTableCmd", nlohmann::json::object());
            if (c.value("subtype", "") == "AT_DetachPartition" &&
                c.value("def", nlohmann::json::object())
                    .value("PartitionCmd", nlohmann::json::object())
                    .value("concurrent", false)) {
                return "DETACH PARTITION CONCURRENTLY";
            }
        }
    }
    return {};
}

std::string concurrently_built_index(const nlohmann::json& tree) {
    if (!tree.is_object() || !tree.contains("IndexStmt")) {
        return {};
    }
    const auto& body = tree["IndexStmt"];
    const std::string name = body.value("idxname", "");
    if (!body.value("concurrent", false) || name.empty()) {
        return {};
    }
    // An index lives in its table's schema.
    const std::string schema =
        body.value("relation", nlohmann::json::object()).value("schemaname", "");
    return schema.empty() ? quote_identifier(name)
                          : quote_identifier(schema) + "." + quote_identifier(name);
}

int parser_major_version() {
    return PG_VERSION_NUM / 10000;
}

bool syntax_target::newer_than_parser() const {
    return postgres_major > parser_major_version();
}

namespace {

/// Where the parser stopped reading a piece of text, as an offset into the whole text.
struct parse_failure {
    std::size_t offset;
    std::string message;
};

using parse_result = std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult*)>;

parse_result parse(const std::string& text) {
    return {new PgQueryParseResult(pg_query_parse(text.c_str())), [](PgQueryParseResult* r) {
                pg_query_free_parse_result(*r);
                delete r;
            }};
}

/// The statement `piece` of `text`, which starts at `offset`: its text without the comments and
/// blanks around it, and the line and column where it starts. No parse tree.
parsed_statement statement_at(std::string_view piece, std::size_t offset, position_cursor& cursor) {
    std::size_t lead = skip_blank_and_comments(piece);
    position p = cursor.at(offset + lead);
    parsed_statement s;
    s.stmt.sql = std::string(trim_end(piece.substr(lead)));
    s.stmt.line = p.line;
    s.column = p.column;
    return s;
}

/// Splits `text[begin, end)` with the parser and appends its statements, or (appending
/// nothing) says where the parser stopped. `cursor` turns offsets into lines and columns.
std::optional<parse_failure> parse_range(const std::string& text, std::size_t begin,
                                         std::size_t end, position_cursor& cursor,
                                         std::vector<parsed_statement>& out) {
    const std::string piece_text = text.substr(begin, end - begin);
    parse_result parsed = parse(piece_text);
    if (parsed->error != nullptr) {
        const PgQueryError& e = *parsed->error;
        std::size_t offset = e.cursorpos > 0 ? byte_offset(piece_text, e.cursorpos)
                                             : skip_blank_and_comments(piece_text);
        return parse_failure{begin + offset, e.message != nullptr ? e.message : "syntax error"};
    }
    auto tree = nlohmann::json::parse(parsed->parse_tree, nullptr, false);
    if (tree.is_discarded()) {
        throw error("the SQL parser's output could not be read");
    }
    for (auto& node : tree.value("stmts", nlohmann::json::array())) {
        auto location = std::min(node.value("stmt_location", std::size_t{0}), piece_text.size());
        auto length = node.value("stmt_len", std::size_t{0}); // 0: up to the end of the text
        std::string_view piece = std::string_view(piece_text).substr(location);
        if (length != 0) {
            piece = piece.substr(0, length);
        }
        parsed_statement s = statement_at(piece, begin + location, cursor);
        s.tree = std::move(node["stmt"]);
        s.stmt.autocommit = !outside_transaction_reason(s.tree).empty();
        s.stmt.builds_index = concurrently_built_index(s.tree);
        out.push_back(std::move(s));
    }
    return std::nullopt;
}

/// The statements' extents as PostgreSQL's scanner alone sees them (top-level semicolons):
/// what is left when the parser cannot read a statement.
std::vector<std::pair<std::size_t, std::size_t>> scanner_pieces(const std::string& text) {
    PgQuerySplitResult split = pg_query_split_with_scanner(text.c_str());
    std::vector<std::pair<std::size_t, std::size_t>> out;
    if (split.error == nullptr) {
        for (int i = 0; i < split.n_stmts; ++i) {
            auto location = static_cast<std::size_t>(split.stmts[i]->stmt_location);
            auto length = static_cast<std::size_t>(split.stmts[i]->stmt_len);
            out.emplace_back(location, length == 0 ? text.size() : location + length);
        }
    }
    pg_query_free_split_result(split);
    return out;
}

/// Whether a piece opens a SQL-standard function body, whose semicolons the scanner takes for
/// statement ends (a mention in a comment or a string counts too: when unsure, do not split).
bool opens_atomic_body(std::string_view piece) {
    static const std::regex begin_atomic(R"(\bbegin\s+atomic\b)", std::regex::icase);
    return std::regex_search(piece.begin(), piece.end(), begin_atomic);
}

} // namespace

split_result split_statements(std::string_view sql, const source_location& start,
                              const syntax_target& target) {
    split_result out;
    if (skip_blank_and_comments(sql) == sql.size()) {
        return out;
    }
    if (auto problem = find_text_problem(sql)) {
        position p = position_of(sql, problem->offset, start.line);
        out.diagnostics.push_back(
            {severity::error, {start.file, p.line, p.column}, problem->message, "encoding"});
        return out;
    }
    const std::string text(sql); // libpg_query wants a terminated string
    auto report = [&](const parse_failure& f, severity level, std::string message) {
        position p = position_of(text, f.offset, start.line);
        out.diagnostics.push_back({level,
                                   {start.file, p.line, p.column},
                                   std::move(message),
                                   level == severity::error ? "syntax" : "newer-syntax"});
    };
    position_cursor cursor(text, start.line);
    try {
        auto failure = parse_range(text, 0, text.size(), cursor, out.statements);
        if (!failure || !target.newer_than_parser()) {
            if (failure) {
                report(*failure, severity::error, failure->message);
            }
            return out;
        }
        // Newer syntax than the parser knows: the statement it stopped in is kept whole, as
        // the scanner delimits it, and the parser goes on after it.
        const auto pieces = scanner_pieces(text);
        std::size_t done = 0;
        while (failure) {
            auto piece = std::find_if(pieces.begin(), pieces.end(), [&](const auto& p) {
                return p.first <= failure->offset && failure->offset < p.second;
            });
            std::string_view whole =
                piece == pieces.end()
                    ? std::string_view{}
                    : std::string_view(text).substr(piece->first, piece->second - piece->first);
            if (whole.empty() || piece->first < done || opens_atomic_body(whole) ||
                parse_range(text, done, piece->first, cursor, out.statements)) {
                // The statements cannot be told apart (inside a BEGIN ATOMIC body, say).
                out.statements.clear();
                report(*failure, severity::error, failure->message);
                return out;
            }
            out.statements.push_back(statement_at(whole, piece->first, cursor));
            report(*failure, severity::warning,
                   fmt::format("{} for PostgreSQL {}'s parser, this build's; kept as written "
                               "because the set targets PostgreSQL {} (POSTGRES_VERSION): that "
                               "server judges it, and the generated tests run it there",
                               failure->message, parser_major_version(), target.postgres_major));
            done = piece->second;
            failure = parse_range(text, done, text.size(), cursor, out.statements);
        }
    } catch (const error& e) {
        out.statements.clear();
        out.diagnostics.push_back(
            {severity::error, {start.file, start.line}, e.what(), "internal"});
    }
    return out;
}

} // namespace pgmig::compiler
