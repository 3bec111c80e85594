#include "sql_lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace pgmig::compiler {
namespace {

using json = nlohmann::json;

std::string relation_name(const json& rangevar) {
    std::string name = rangevar.value("relname", "");
    if (auto schema = rangevar.value("schemaname", ""); !schema.empty()) {
        return schema + "." + name;
    }
    return name;
}

/// `DROP TABLE a.b` lists names as String nodes.
std::string dotted_name(const json& list) {
    std::string out;
    for (const auto& item : list.value("items", json::array())) {
        if (!out.empty()) {
            out += '.';
        }
        out += item.contains("String") ? item["String"].value("sval", "") : "";
    }
    return out;
}

class linter {
public:
    explicit linter(const lint_scope& scope) : m_scope(scope) {}

    std::vector<diagnostic> run(const std::vector<parsed_statement>& section) {
        for (const auto& s : section) {
            if (!s.tree.is_object() || s.tree.empty()) {
                continue;
            }
            m_current = &s;
            auto node = s.tree.cbegin(); // {"CreateStmt": {...}}: one key, the statement kind
            check(node.key(), node.value());
        }
        return std::move(m_out);
    }

private:
    void report(severity level, std::string code, std::string message) {
        std::string rule = code.starts_with("lint/") ? code.substr(5) : code;
        if (level == severity::warning &&
            std::find(m_scope.ignore.begin(), m_scope.ignore.end(), rule) != m_scope.ignore.end()) {
            return;
        }
        m_out.push_back({level,
                         {m_scope.file, m_current->stmt.line, m_current->column},
                         std::move(message),
                         std::move(code)});
    }

    void warn(const std::string& rule, std::string message) {
        if (m_scope.upgrade) {
            report(severity::warning, "lint/" + rule, std::move(message));
        }
    }

    [[nodiscard]] bool is_new(const std::string& table) const {
        if (m_created.count(table)) {
            return true;
        }
        auto dot = table.find('.'); // created unqualified, altered qualified, or the reverse
        return dot != std::string::npos && m_created.count(table.substr(dot + 1));
    }

    void needs_no_transaction(const std::string& what) {
        if (m_scope.transactional) {
            report(severity::error, "needs-transaction-off",
                   fmt::format("{} cannot run inside a transaction block; add "
                               "'-- pgmig:transaction off' to this revision's header",
                               what));
        }
    }

    void check(const std::string& kind, const json& body) {
        if (auto reason = outside_transaction_reason(m_current->tree); !reason.empty()) {
            needs_no_transaction(reason);
        }
        if (kind == "TransactionStmt") {
            report(severity::error, "transaction-control",
                   "revisions must not start or end transactions: pgmig runs each revision in "
                   "its own transaction (use '-- pgmig:transaction off' to run statements one "
                   "by one)");
        } else if (kind == "CreateStmt") {
            m_created.insert(relation_name(body.value("relation", json::object())));
        } else if (kind == "CreateTableAsStmt") {
            m_created.insert(
                relation_name(body.value("into", json::object()).value("rel", json::object())));
        } else if (kind == "IndexStmt") {
            std::string table = relation_name(body.value("relation", json::object()));
            if (!body.value("concurrent", false) && !is_new(table)) {
                warn("blocking-index",
                     fmt::format("CREATE INDEX on existing table {} blocks writes while it builds; "
                                 "use CREATE INDEX CONCURRENTLY in a '-- pgmig:transaction off' "
                                 "revision",
                                 table));
            }
        } else if (kind == "DropStmt") {
            if (body.value("removeType", "") == "OBJECT_TABLE") {
                for (const auto& object : body.value("objects", json::array())) {
                    std::string table = dotted_name(object.value("List", json::object()));
                    if (!is_new(table)) {
                        warn("drop-table", fmt::format("DROP TABLE {} loses its data", table));
                    }
                }
            }
        } else if (kind == "TruncateStmt") {
            warn("truncate", "TRUNCATE loses data");
        } else if (kind == "AlterTableStmt") {
            check_alter_table(body);
        } else if (kind == "RenameStmt") {
            auto type = body.value("renameType", "");
            if (type == "OBJECT_TABLE" || type == "OBJECT_COLUMN") {
                warn("rename", fmt::format("renaming a {} breaks code that still uses the old "
                                           "name while the new version rolls out",
                                           type == "OBJECT_TABLE" ? "table" : "column"));
            }
        }
    }

    void check_alter_table(const json& body) {
        std::string table = relation_name(body.value("relation", json::object()));
        if (is_new(table) || body.value("objtype", "") != "OBJECT_TABLE") {
            return;
        }
        for (const auto& item : body.value("cmds", json::array())) {
            const json& cmd = item.value("AlterTableCmd", json::object());
            const std::string subtype = cmd.value("subtype", "");
            const std::string column = cmd.value("name", "");
            if (subtype == "AT_DropColumn") {
                warn("drop-column",
                     fmt::format("dropping column {}.{} loses its data", table, column));
            } else if (subtype == "AT_AlterColumnType") {
                warn("alter-column-type",
                     fmt::format("changing the type of {}.{} rewrites the table under an ACCESS "
                                 "EXCLUSIVE lock",
                                 table, column));
            } else if (subtype == "AT_SetNotNull") {
                warn("set-not-null",
                     fmt::format("SET NOT NULL on {}.{} scans the whole table under an ACCESS "
                                 "EXCLUSIVE lock; add a CHECK (... IS NOT NULL) NOT VALID "
                                 "constraint and validate it first",
                                 table, column));
            } else if (subtype == "AT_AddConstraint") {
                const json& c =
                    cmd.value("def", json::object()).value("Constraint", json::object());
                auto type = c.value("contype", "");
                if ((type == "CONSTR_FOREIGN" || type == "CONSTR_CHECK") &&
                    !c.value("skip_validation", false)) {
                    warn("validated-constraint",
                         fmt::format("adding a {} constraint to {} checks every row while "
                                     "holding a lock; add it NOT VALID, then VALIDATE "
                                     "CONSTRAINT in a later statement",
                                     type == "CONSTR_FOREIGN" ? "foreign key" : "check", table));
                }
            }
        }
    }

    const lint_scope& m_scope;
    const parsed_statement* m_current = nullptr;
    std::set<std::string> m_created;
    std::vector<diagnostic> m_out;
};

} // namespace

std::vector<diagnostic> lint_statements(const std::vector<parsed_statement>& section,
                                        const lint_scope& scope) {
    return linter(scope).run(section);
}

const std::vector<std::string>& lint_rules() {
    static const std::vector<std::string> rules{
        "alter-column-type", "blocking-index", "drop-column",          "drop-table", "rename",
        "set-not-null",      "truncate",       "validated-constraint",
    };
    return rules;
}

} // namespace pgmig::compiler
