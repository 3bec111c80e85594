#include "sql_splitter.hpp"

#include "revision_reader.hpp"

#include <pgmig/connection.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <memory>

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

split_result split_statements(std::string_view sql, const source_location& start) {
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
    std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult*)> parsed(
        new PgQueryParseResult(pg_query_parse(text.c_str())), [](PgQueryParseResult* r) {
            pg_query_free_parse_result(*r);
            delete r;
        });
    if (parsed->error != nullptr) {
        const PgQueryError& e = *parsed->error;
        std::size_t offset =
            e.cursorpos > 0 ? byte_offset(text, e.cursorpos) : skip_blank_and_comments(text);
        position p = position_of(text, offset, start.line);
        out.diagnostics.push_back({severity::error,
                                   {start.file, p.line, p.column},
                                   e.message != nullptr ? e.message : "syntax error",
                                   "syntax"});
        return out;
    }
    auto tree = nlohmann::json::parse(parsed->parse_tree, nullptr, false);
    if (tree.is_discarded()) {
        out.diagnostics.push_back({severity::error,
                                   {start.file, start.line},
                                   "the SQL parser's output could not be read",
                                   "internal"});
        return out;
    }
    position_cursor cursor(text, start.line);
    for (auto& node : tree.value("stmts", nlohmann::json::array())) {
        auto location = node.value("stmt_location", std::size_t{0});
        auto length = node.value("stmt_len", std::size_t{0}); // 0: up to the end of the text
        location = std::min(location, text.size());
        std::string_view piece = std::string_view(text).substr(location);
        if (length != 0) {
            piece = piece.substr(0, length);
        }
        std::size_t lead = skip_blank_and_comments(piece);
        position p = cursor.at(location + lead);
        parsed_statement s;
        s.stmt.sql = std::string(trim_end(piece.substr(lead)));
        s.stmt.line = p.line;
        s.column = p.column;
        s.tree = std::move(node["stmt"]);
        s.stmt.autocommit = !outside_transaction_reason(s.tree).empty();
        s.stmt.builds_index = concurrently_built_index(s.tree);
        out.statements.push_back(std::move(s));
    }
    return out;
}

} // namespace pgmig::compiler
