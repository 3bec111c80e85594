#include "sql_lint.hpp"

#include "lock_levels.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pgmig::compiler {
namespace {

using json = nlohmann::json;

bool has_typmods(const json& column_def) {
    return !column_def.value("typeName", json::object()).value("typmods", json::array()).empty();
}

/// The column's constraint of this type (CONSTR_DEFAULT, ...), or null.
const json* column_constraint(const json& column_def, std::string_view type) {
    auto list = column_def.find("constraints");
    if (list == column_def.end()) {
        return nullptr;
    }
    for (const auto& item : *list) {
        auto c = item.find("Constraint");
        if (c != item.end() && c->value("contype", "") == type) {
            return &*c;
        }
    }
    return nullptr;
}

/// The column a `CHECK (col IS NOT NULL)` constraint tests, or empty for any other check.
std::string not_null_check_column(const json& constraint) {
    const json& test =
        constraint.value("raw_expr", json::object()).value("NullTest", json::object());
    if (test.value("nulltesttype", "") != "IS_NOT_NULL") {
        return {};
    }
    const json& fields = test.value("arg", json::object())
                             .value("ColumnRef", json::object())
                             .value("fields", json::array());
    return fields.size() == 1 ? fields[0].value("String", json::object()).value("sval", "")
                              : std::string();
}

/// The text after "created " when a fact or moot_if names a created relation.
std::string created_name(const std::string& fact) {
    return fact.starts_with("created ") ? fact.substr(8) : std::string();
}

std::string created(const std::string& relation) {
    return "created " + relation;
}

class linter {
public:
    explicit linter(const lint_scope& scope) : m_scope(scope) {}

    lint_report run(const std::vector<parsed_statement>& section) {
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
    void error(std::string code, std::string message) {
        m_out.errors.push_back({severity::error,
                                {m_scope.file, m_current->stmt.line, m_current->column},
                                std::move(message),
                                std::move(code)});
    }

    [[nodiscard]] bool assured(const std::string& rule) const {
        if (std::find(m_scope.settled.begin(), m_scope.settled.end(), rule) !=
            m_scope.settled.end()) {
            return true;
        }
        // A statement-level assurance belongs to the first statement below it.
        return std::any_of(
            m_scope.assured.begin(), m_scope.assured.end(), [&](const statement_assurance& a) {
                return a.rule == rule && a.line < m_current->stmt.line && a.line > m_previous_line;
            });
    }

    /// A finding about `table` (empty: about the statement alone); moot when the table is new.
    void warn(const std::string& rule, const std::string& table, std::string message) {
        finding(rule, table.empty() ? std::string() : created(table), std::move(message));
    }

    void finding(const std::string& rule, std::string moot_if, std::string message) {
        if (!m_scope.upgrade || (!moot_if.empty() && m_facts.holds(moot_if))) {
            return;
        }
        if (assured(rule)) {
            ++m_out.settled[rule];
            return;
        }
        m_out.findings.push_back({rule,
                                  {m_scope.file, m_current->stmt.line, m_current->column},
                                  std::move(message),
                                  std::move(moot_if)});
    }

    void establish(std::string fact) {
        if (!m_scope.upgrade) {
            return; // a downgrade's objects are gone after it: nothing later builds on them
        }
        m_facts.add(fact);
        m_out.facts.push_back(std::move(fact));
    }

    [[nodiscard]] bool is_new(const std::string& table) const {
        return m_facts.holds(created(table));
    }

    [[nodiscard]] int major() const { return m_scope.postgres_major; }

    void needs_no_transaction(const std::string& what) {
        if (m_scope.transactional) {
            error("needs-transaction-off",
                  fmt::format("{} cannot run inside a transaction block; add "
                              "'-- pgmig:transaction off' to this revision's header",
                              what));
        }
    }

    void check(const std::string& kind, const json& body) {
        if (auto reason = outside_transaction_reason(m_current->tree); !reason.empty()) {
            needs_no_transaction(reason);
        }
        check_lock_timeout(kind);
        if (kind == "TransactionStmt") {
            error("transaction-control",
                  "revisions must not start or end transactions: pgmig runs each revision in "
                  "its own transaction (use '-- pgmig:transaction off' to run statements one "
                  "by one)");
        } else if (kind == "CreateStmt") {
            std::string table = relation_name(body.value("relation", json::object()));
            for (const auto& element : body.value("tableElts", json::array())) {
                if (element.contains("ColumnDef")) {
                    check_column_types(table, element["ColumnDef"]);
                }
            }
            establish(created(table));
        } else if (kind == "CreateTableAsStmt") {
            establish(created(
                relation_name(body.value("into", json::object()).value("rel", json::object()))));
        } else if (kind == "ViewStmt") {
            establish(created(relation_name(body.value("view", json::object()))));
        } else if (kind == "IndexStmt") {
            check_create_index(body);
        } else if (kind == "DropStmt") {
            check_drop(body);
        } else if (kind == "TruncateStmt") {
            check_truncate(body);
        } else if (kind == "AlterTableStmt") {
            check_alter_table(body);
        } else if (kind == "RenameStmt") {
            auto type = body.value("renameType", "");
            if (type == "OBJECT_TABLE" || type == "OBJECT_COLUMN") {
                warn("rename", relation_name(body.value("relation", json::object())),
                     fmt::format("renaming a {} breaks code that still uses the old name while "
                                 "the new version rolls out; add the new one beside it, move the "
                                 "code, then drop the old one in a later release",
                                 type == "OBJECT_TABLE" ? "table" : "column"));
            }
        } else if (kind == "ReindexStmt") {
            check_reindex(body);
        } else if (kind == "AlterEnumStmt") {
            if (body.value("oldVal", "").empty() && m_scope.transactional && major() < 12) {
                error("lint/enum-value-in-transaction",
                      fmt::format("ALTER TYPE ... ADD VALUE cannot run inside a transaction block "
                                  "before PostgreSQL 12, and this set targets PostgreSQL {} "
                                  "(POSTGRES_VERSION); add '-- pgmig:transaction off' to this "
                                  "revision's header",
                                  major()));
            }
        } else if (kind == "VariableSetStmt") {
            if (body.value("name", "") == "lock_timeout") {
                m_lock_timeout_set = body.value("kind", "") == "VAR_SET_VALUE";
            }
        }
        m_previous_line = m_current->stmt.line;
    }

    /// A transaction-off revision runs without pgmig's default lock timeout: an ACCESS
    /// EXCLUSIVE lock it waits for queues every query behind it, for as long as it waits.
    void check_lock_timeout(const std::string& kind) {
        if (m_scope.lock_timeout || m_lock_timeout_set || m_warned_lock_timeout) {
            return;
        }
        statement_locks locks = locks_of(m_current->tree, major());
        if (locks.mode != lock_mode::access_exclusive || locks.table.empty() ||
            is_new(locks.table)) {
            return;
        }
        m_warned_lock_timeout = true;
        warn("no-lock-timeout", locks.table,
             fmt::format("{} takes an ACCESS EXCLUSIVE lock on {} with no lock timeout in force "
                         "(a transaction-off revision gets none from pgmig): while it waits, "
                         "every query on the table queues behind it; add "
                         "'-- pgmig:lock-timeout 2s' to the header, or set the set's "
                         "LOCK_TIMEOUT",
                         kind == "AlterTableStmt" ? "ALTER TABLE" : "this statement", locks.table));
    }

    void check_create_index(const json& body) {
        std::string table = relation_name(body.value("relation", json::object()));
        if (!body.value("concurrent", false)) {
            warn("blocking-index", table,
                 fmt::format("CREATE INDEX on existing table {} blocks writes while it builds; "
                             "use CREATE INDEX CONCURRENTLY in a '-- pgmig:transaction off' "
                             "revision",
                             table));
        }
        if (auto name = body.value("idxname", ""); !name.empty()) {
            auto schema = body.value("relation", json::object()).value("schemaname", "");
            establish(created(schema.empty() ? name : schema + "." + name));
        }
    }

    void check_drop(const json& body) {
        const std::string type = body.value("removeType", "");
        for (const auto& object : body.value("objects", json::array())) {
            std::string name =
                dotted(object.value("List", json::object()).value("items", json::array()));
            if (type == "OBJECT_TABLE") {
                warn("drop-table", name,
                     fmt::format("DROP TABLE {} loses its data, and code still reading it fails",
                                 name));
            } else if (type == "OBJECT_INDEX" && !body.value("concurrent", false)) {
                warn("blocking-drop-index", name,
                     fmt::format("DROP INDEX {} takes an ACCESS EXCLUSIVE lock on its table; use "
                                 "DROP INDEX CONCURRENTLY in a '-- pgmig:transaction off' "
                                 "revision",
                                 name));
            }
        }
    }

    void check_truncate(const json& body) {
        for (const auto& item : body.value("relations", json::array())) {
            std::string table = relation_name(item.value("RangeVar", json::object()));
            warn("truncate", table, fmt::format("TRUNCATE {} loses its data", table));
        }
        if (body.value("behavior", "") == "DROP_CASCADE") {
            finding("truncate-cascade", {},
                    "TRUNCATE ... CASCADE also empties every table with a foreign key to the ones "
                    "named, which this revision does not name; list the tables to empty");
        }
    }

    void check_reindex(const json& body) {
        if (locks_of(m_current->tree, major()).mode != lock_mode::share) {
            return; // CONCURRENTLY
        }
        std::string name = relation_name(body.value("relation", json::object()));
        warn("blocking-reindex", name,
             major() >= 12
                 ? fmt::format("REINDEX of {} blocks writes to the table, and reads that use the "
                               "index; use REINDEX (CONCURRENTLY) in a '-- pgmig:transaction off' "
                               "revision",
                               name)
                 : fmt::format("REINDEX of {} blocks writes to the table, and PostgreSQL {} "
                               "(POSTGRES_VERSION) has no REINDEX CONCURRENTLY; build a new index "
                               "CONCURRENTLY and drop the old one",
                               name, major()));
    }

    /// Types the off-by-default `prefer-*` rules would rather see.
    void check_column_types(const std::string& table, const json& def) {
        const std::string column = fmt::format("{}.{}", table, def.value("colname", ""));
        const std::string type = type_name(def);
        if (is_serial(type)) {
            finding("prefer-identity", {},
                    fmt::format("column {} is {}: prefer bigint GENERATED BY DEFAULT AS IDENTITY, "
                                "whose sequence belongs to the column and follows its grants",
                                column, type));
        }
        if (type == "int4" || type == "int2" || type == "serial" || type == "serial4" ||
            type == "smallserial" || type == "serial2") {
            finding("prefer-bigint", {},
                    fmt::format("column {} is a {}-bit integer: prefer bigint, since changing "
                                "the type later rewrites the table",
                                column, type.ends_with('2') || type == "smallserial" ? 16 : 32));
        }
        if ((type == "varchar" || type == "bpchar") && has_typmods(def)) {
            finding("prefer-text", {},
                    fmt::format("column {} has a length limit in its type: prefer text with a "
                                "CHECK on its length, which can change without a rewrite",
                                column));
        }
        if (type == "timestamp") {
            finding("prefer-timestamptz", {},
                    fmt::format("column {} is timestamp without time zone: prefer timestamptz, "
                                "which stores an instant",
                                column));
        }
    }

    void check_add_column(const std::string& table, const json& def) {
        check_column_types(table, def);
        const std::string column = fmt::format("{}.{}", table, def.value("colname", ""));
        const std::string type = type_name(def);
        const json* fill = column_constraint(def, "CONSTR_IDENTITY");
        const char* what = fill ? "an identity" : nullptr;
        if (!fill && (fill = column_constraint(def, "CONSTR_GENERATED"))) {
            what = "a stored generated";
        }
        if (!what && is_serial(type)) {
            what = "a serial";
        }
        const json* default_value = column_constraint(def, "CONSTR_DEFAULT");
        if (what) {
            warn("add-serial-column", table,
                 fmt::format("adding {} column {} fills every row: the table is rewritten under "
                             "an ACCESS EXCLUSIVE lock; add a nullable column, fill it in "
                             "batches, then attach the sequence or expression",
                             what, column));
        } else if (default_value) {
            const json& expr = default_value->value("raw_expr", json::object());
            bool null_default = expr.contains("A_Const") && expr["A_Const"].value("isnull", false);
            if (!null_default && major() < 11) {
                warn("volatile-default", table,
                     fmt::format("adding column {} with a default rewrites the table before "
                                 "PostgreSQL 11, and this set targets PostgreSQL {} "
                                 "(POSTGRES_VERSION); add it without a default, then set the "
                                 "default and fill existing rows in batches",
                                 column, major()));
            } else if (has_volatile_call(expr)) {
                warn("volatile-default", table,
                     fmt::format("adding column {} with a volatile default rewrites the table "
                                 "under an ACCESS EXCLUSIVE lock; add it without a default (or "
                                 "with a constant one), then fill it in batches",
                                 column));
            }
        }
        if (column_constraint(def, "CONSTR_NOTNULL") && !default_value && !what) {
            warn("not-null-without-default", table,
                 fmt::format("adding NOT NULL column {} without a default fails on a table that "
                             "has rows; give it a default, or add it nullable, fill it, then "
                             "SET NOT NULL",
                             column));
        }
    }

    void check_add_constraint(const std::string& table, const json& c) {
        const std::string type = c.value("contype", "");
        const std::string name = c.value("conname", "");
        if (type == "CONSTR_CHECK") {
            if (auto column = not_null_check_column(c); !column.empty() && !name.empty()) {
                establish(fmt::format("not-null-check {}.{} {}", table, name, column));
                if (!c.value("skip_validation", false)) {
                    establish(fmt::format("validated {}.{}", table, name));
                }
            }
        }
        if ((type == "CONSTR_FOREIGN" || type == "CONSTR_CHECK") &&
            !c.value("skip_validation", false)) {
            warn("validated-constraint", table,
                 fmt::format("adding a {} constraint to {} checks every row while holding a "
                             "lock; add it NOT VALID, then VALIDATE CONSTRAINT in a later "
                             "statement",
                             type == "CONSTR_FOREIGN" ? "foreign key" : "check", table));
        }
        if ((type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY") &&
            c.value("indexname", "").empty()) {
            const char* what = type == "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY";
            warn("unique-without-index", table,
                 fmt::format("adding a {0} constraint to {1} builds its index under an ACCESS "
                             "EXCLUSIVE lock; build the index with CREATE UNIQUE INDEX "
                             "CONCURRENTLY in a '-- pgmig:transaction off' revision, then ADD "
                             "CONSTRAINT ... {0} USING INDEX",
                             what, table));
        }
    }

    void check_alter_table(const json& body) {
        if (body.value("objtype", "") != "OBJECT_TABLE") {
            return;
        }
        std::string table = relation_name(body.value("relation", json::object()));
        for (const auto& item : body.value("cmds", json::array())) {
            const json& cmd = item.value("AlterTableCmd", json::object());
            const std::string subtype = cmd.value("subtype", "");
            const std::string column = cmd.value("name", "");
            const json& def = cmd.value("def", json::object());
            if (subtype == "AT_AddColumn") {
                check_add_column(table, def.value("ColumnDef", json::object()));
            } else if (subtype == "AT_DropColumn") {
                warn("drop-column", table,
                     fmt::format("dropping column {}.{} loses its data, and code still reading "
                                 "it fails",
                                 table, column));
            } else if (subtype == "AT_AlterColumnType") {
                warn("alter-column-type", table,
                     fmt::format("changing the type of {}.{} rewrites the table under an ACCESS "
                                 "EXCLUSIVE lock; add a column of the new type, fill it in "
                                 "batches, then switch",
                                 table, column));
            } else if (subtype == "AT_SetNotNull") {
                check_set_not_null(table, column);
            } else if (subtype == "AT_DropNotNull") {
                warn("drop-not-null", table,
                     fmt::format("DROP NOT NULL on {}.{} lets NULLs in that code already "
                                 "deployed does not expect",
                                 table, column));
            } else if (subtype == "AT_AddConstraint") {
                check_add_constraint(table, def.value("Constraint", json::object()));
            } else if (subtype == "AT_ValidateConstraint") {
                establish(fmt::format("validated {}.{}", table, column));
            } else if (subtype == "AT_DetachPartition" &&
                       !def.value("PartitionCmd", json::object()).value("concurrent", false)) {
                warn("blocking-detach", table,
                     fmt::format("DETACH PARTITION takes an ACCESS EXCLUSIVE lock on {}; {}", table,
                                 major() >= 14
                                     ? "use DETACH PARTITION ... CONCURRENTLY in a "
                                       "'-- pgmig:transaction off' revision"
                                     : fmt::format("DETACH ... CONCURRENTLY needs PostgreSQL 14, "
                                                   "and this set targets {} (POSTGRES_VERSION)",
                                                   major())));
            }
        }
    }

    void check_set_not_null(const std::string& table, const std::string& column) {
        // Moot when the table is new, or when a validated CHECK (column IS NOT NULL) exists.
        finding("set-not-null",
                fmt::format("not-null-checked {}.{}|{}", table, column, created(table)),
                major() >= 12
                    ? fmt::format("SET NOT NULL on {}.{} scans the whole table under an ACCESS "
                                  "EXCLUSIVE lock; add CHECK ({} IS NOT NULL) NOT VALID, VALIDATE "
                                  "it, then SET NOT NULL (PostgreSQL then skips the scan)",
                                  table, column, column)
                    : fmt::format("SET NOT NULL on {}.{} scans the whole table under an ACCESS "
                                  "EXCLUSIVE lock, and PostgreSQL {} (POSTGRES_VERSION) cannot "
                                  "skip the scan; keep a validated CHECK ({} IS NOT NULL) "
                                  "constraint instead",
                                  table, column, major(), column));
    }

    const lint_scope& m_scope;
    const parsed_statement* m_current = nullptr;
    int m_previous_line = 0;
    bool m_lock_timeout_set = false;
    bool m_warned_lock_timeout = false;
    lint_facts m_facts;
    lint_report m_out;
};

} // namespace

void lint_facts::add(const std::string& fact) {
    if (auto name = created_name(fact); !name.empty()) {
        m_created.insert(name);
    } else if (fact.starts_with("not-null-check ")) {
        auto rest = fact.substr(15);
        auto space = rest.find(' ');
        std::string constraint = rest.substr(0, space);
        std::string column = space == std::string::npos ? "" : rest.substr(space + 1);
        m_not_null_checks[constraint] = column;
        if (m_validated.count(constraint)) {
            m_not_null_checked.insert(constraint.substr(0, constraint.rfind('.')) + "." + column);
        }
    } else if (fact.starts_with("validated ")) {
        std::string constraint = fact.substr(10);
        m_validated.insert(constraint);
        if (auto check = m_not_null_checks.find(constraint); check != m_not_null_checks.end()) {
            m_not_null_checked.insert(constraint.substr(0, constraint.rfind('.')) + "." +
                                      check->second);
        }
    }
}

bool lint_facts::holds(const std::string& moot_if) const {
    if (auto bar = moot_if.find('|'); bar != std::string::npos) {
        return holds(moot_if.substr(0, bar)) || holds(moot_if.substr(bar + 1));
    }
    if (auto name = created_name(moot_if); !name.empty()) {
        return std::any_of(m_created.begin(), m_created.end(),
                           [&](const std::string& c) { return same_relation(c, name); });
    }
    if (moot_if.starts_with("not-null-checked ")) {
        std::string column = moot_if.substr(17);
        return std::any_of(m_not_null_checked.begin(), m_not_null_checked.end(),
                           [&](const std::string& c) {
                               auto a = c.rfind('.');
                               auto b = column.rfind('.');
                               return c.substr(a) == column.substr(b) &&
                                      same_relation(c.substr(0, a), column.substr(0, b));
                           });
    }
    return false;
}

json lint_report_to_json(const lint_report& report) {
    json findings = json::array();
    for (const auto& f : report.findings) {
        findings.push_back({{"rule", f.rule},
                            {"file", f.where.file},
                            {"line", f.where.line},
                            {"column", f.where.column},
                            {"message", f.message},
                            {"moot_if", f.moot_if}});
    }
    return {{"findings", findings}, {"facts", report.facts}, {"settled", report.settled}};
}

lint_report lint_report_from_json(const json& j) {
    lint_report out;
    for (const auto& f : j.value("findings", json::array())) {
        out.findings.push_back(
            {f.at("rule").get<std::string>(),
             {f.at("file").get<std::string>(), f.at("line").get<int>(), f.at("column").get<int>()},
             f.at("message").get<std::string>(),
             f.at("moot_if").get<std::string>()});
    }
    out.facts = j.value("facts", std::vector<std::string>{});
    out.settled = j.value("settled", std::map<std::string, int>{});
    return out;
}

bool same_relation(const std::string& a, const std::string& b) {
    if (a == b) {
        return true;
    }
    // Created unqualified, altered qualified, or the reverse.
    auto unqualified = [](const std::string& name) {
        auto dot = name.find('.');
        return dot == std::string::npos ? name : name.substr(dot + 1);
    };
    bool a_plain = a.find('.') == std::string::npos;
    bool b_plain = b.find('.') == std::string::npos;
    return a_plain != b_plain && unqualified(a) == unqualified(b);
}

lint_report lint_statements(const std::vector<parsed_statement>& section, const lint_scope& scope) {
    return linter(scope).run(section);
}

const std::vector<lint_rule>& lint_rules() {
    static const std::vector<lint_rule> rules{
        {"add-serial-column"},
        {"alter-column-type"},
        {"blocking-detach"},
        {"blocking-drop-index"},
        {"blocking-index"},
        {"blocking-reindex"},
        {"drop-column"},
        {"drop-not-null"},
        {"drop-table"},
        {"enum-value-in-transaction"},
        {"no-lock-timeout"},
        {"not-null-without-default"},
        {"prefer-bigint", false},
        {"prefer-identity", false},
        {"prefer-text", false},
        {"prefer-timestamptz", false},
        {"rename"},
        {"set-not-null"},
        {"truncate"},
        {"truncate-cascade"},
        {"unique-without-index"},
        {"validated-constraint"},
        {"volatile-default"},
    };
    return rules;
}

bool is_lint_rule(const std::string& name) {
    const auto& rules = lint_rules();
    return std::any_of(rules.begin(), rules.end(),
                       [&](const lint_rule& r) { return r.name == name; });
}

} // namespace pgmig::compiler
