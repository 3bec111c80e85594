#include "lock_levels.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace pgmig::compiler {
namespace {

using json = nlohmann::json;

bool has_option(const json& params, std::string_view name) {
    return std::any_of(params.begin(), params.end(), [&](const json& p) {
        return p.contains("DefElem") && p["DefElem"].value("defname", "") == name;
    });
}

/// ADD COLUMN: whether filling the new column writes every row.
bool add_column_rewrites(const json& column_def, int postgres_major) {
    if (is_serial(type_name(column_def))) {
        return true; // its default is nextval(), volatile
    }
    for (const auto& item : column_def.value("constraints", json::array())) {
        const json& c = item.value("Constraint", json::object());
        const std::string type = c.value("contype", "");
        if (type == "CONSTR_IDENTITY" || type == "CONSTR_GENERATED") {
            return true;
        }
        if (type == "CONSTR_DEFAULT") {
            const json& expr = c.value("raw_expr", json::object());
            bool null_default = expr.contains("A_Const") && expr["A_Const"].value("isnull", false);
            // Since 11 a non-volatile default is stored once in the catalog.
            if (!null_default && (postgres_major < 11 || has_volatile_call(expr))) {
                return true;
            }
        }
    }
    return false;
}

lock_mode alter_table_command_mode(const json& cmd) {
    const std::string subtype = cmd.value("subtype", "");
    static constexpr std::array share_update_exclusive{
        "AT_SetStatistics", "AT_ClusterOn",          "AT_DropCluster",
        "AT_SetRelOptions", "AT_ResetRelOptions",    "AT_SetOptions",
        "AT_ResetOptions",  "AT_ValidateConstraint", "AT_AttachPartition",
    };
    if (std::find(share_update_exclusive.begin(), share_update_exclusive.end(), subtype) !=
        share_update_exclusive.end()) {
        return lock_mode::share_update_exclusive;
    }
    if (subtype == "AT_DetachPartition") {
        return cmd.value("def", json::object())
                       .value("PartitionCmd", json::object())
                       .value("concurrent", false)
                   ? lock_mode::share_update_exclusive
                   : lock_mode::access_exclusive;
    }
    if (subtype.starts_with("AT_EnableTrig") || subtype.starts_with("AT_DisableTrig") ||
        subtype.starts_with("AT_EnableAlwaysTrig") || subtype.starts_with("AT_EnableReplicaTrig")) {
        return lock_mode::share_row_exclusive;
    }
    if (subtype == "AT_AddConstraint" &&
        cmd.value("def", json::object()).value("Constraint", json::object()).value("contype", "") ==
            "CONSTR_FOREIGN") {
        return lock_mode::share_row_exclusive;
    }
    return lock_mode::access_exclusive;
}

bool alter_table_command_rewrites(const json& cmd, int postgres_major) {
    const std::string subtype = cmd.value("subtype", "");
    if (subtype == "AT_AddColumn") {
        return add_column_rewrites(
            cmd.value("def", json::object()).value("ColumnDef", json::object()), postgres_major);
    }
    return subtype == "AT_AlterColumnType" || subtype == "AT_SetTableSpace" ||
           subtype == "AT_SetLogged" || subtype == "AT_SetUnLogged" ||
           subtype == "AT_SetAccessMethod";
}

statement_locks alter_table(const json& body, int postgres_major) {
    statement_locks out;
    out.table = relation_name(body.value("relation", json::object()));
    for (const auto& item : body.value("cmds", json::array())) {
        const json& cmd = item.value("AlterTableCmd", json::object());
        out.mode = std::max(out.mode, alter_table_command_mode(cmd));
        out.rewrites = out.rewrites || alter_table_command_rewrites(cmd, postgres_major);
    }
    return out;
}

lock_mode lock_statement_mode(int mode) {
    return mode >= 1 && mode <= 8 ? static_cast<lock_mode>(mode) : lock_mode::access_exclusive;
}

} // namespace

const char* to_string(lock_mode mode) {
    switch (mode) {
    case lock_mode::none:
        return "";
    case lock_mode::access_share:
        return "ACCESS SHARE";
    case lock_mode::row_share:
        return "ROW SHARE";
    case lock_mode::row_exclusive:
        return "ROW EXCLUSIVE";
    case lock_mode::share_update_exclusive:
        return "SHARE UPDATE EXCLUSIVE";
    case lock_mode::share:
        return "SHARE";
    case lock_mode::share_row_exclusive:
        return "SHARE ROW EXCLUSIVE";
    case lock_mode::exclusive:
        return "EXCLUSIVE";
    case lock_mode::access_exclusive:
        return "ACCESS EXCLUSIVE";
    }
    return "";
}

std::string describe(const statement_locks& locks) {
    if (locks.mode == lock_mode::none || locks.table.empty()) {
        return {};
    }
    return std::string(to_string(locks.mode)) + " on " + locks.table +
           (locks.rewrites ? ", rewrites it" : "");
}

std::string dotted(const json& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += '.';
        }
        out += item.contains("String") ? item["String"].value("sval", "") : "";
    }
    return out;
}

std::string type_name(const json& column_def) {
    const json& names = column_def.value("typeName", json::object()).value("names", json::array());
    return names.empty() ? std::string()
                         : names.back().value("String", json::object()).value("sval", "");
}

bool is_serial(const std::string& type) {
    return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" ||
           type == "serial8" || type == "serial2";
}

std::string relation_name(const json& rangevar) {
    std::string name = rangevar.value("relname", "");
    if (auto schema = rangevar.value("schemaname", ""); !schema.empty()) {
        return schema + "." + name;
    }
    return name;
}

bool has_volatile_call(const json& expr) {
    static constexpr std::array volatile_functions{
        "random",  "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
        "nextval", "clock_timestamp", "timeofday",        "txid_current",       "setseed",
    };
    if (expr.is_object()) {
        if (expr.contains("FuncCall")) {
            std::string name = dotted(expr["FuncCall"].value("funcname", json::array()));
            name = name.substr(name.rfind('.') + 1); // pg_catalog.random -> random
            if (std::find(volatile_functions.begin(), volatile_functions.end(), name) !=
                volatile_functions.end()) {
                return true;
            }
        }
        return std::any_of(expr.begin(), expr.end(),
                           [](const json& child) { return has_volatile_call(child); });
    }
    if (expr.is_array()) {
        return std::any_of(expr.begin(), expr.end(),
                           [](const json& child) { return has_volatile_call(child); });
    }
    return false;
}

statement_locks locks_of(const json& tree, int postgres_major) {
    if (!tree.is_object() || tree.empty()) {
        return {};
    }
    const std::string& kind = tree.begin().key();
    const json& body = tree.begin().value();
    auto first_relation = [&](const char* list) {
        const json& items = body.value(list, json::array());
        if (items.empty()) {
            return std::string();
        }
        const json& item = items.front();
        if (item.contains("RangeVar")) {
            return relation_name(item["RangeVar"]);
        }
        if (item.contains("VacuumRelation")) {
            return relation_name(item["VacuumRelation"].value("relation", json::object()));
        }
        return dotted(item.value("List", json::object()).value("items", json::array()));
    };
    auto on = [&](lock_mode mode, std::string table, bool rewrites = false) {
        return statement_locks{mode, std::move(table), rewrites};
    };
    const std::string relation = relation_name(body.value("relation", json::object()));
    if (kind == "AlterTableStmt") {
        return alter_table(body, postgres_major);
    }
    if (kind == "IndexStmt") {
        return on(body.value("concurrent", false) ? lock_mode::share_update_exclusive
                                                  : lock_mode::share,
                  relation);
    }
    if (kind == "DropStmt") {
        const std::string type = body.value("removeType", "");
        if (type == "OBJECT_TABLE" || type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" ||
            type == "OBJECT_SEQUENCE" || type == "OBJECT_FOREIGN_TABLE" || type == "OBJECT_INDEX") {
            bool concurrent = type == "OBJECT_INDEX" && body.value("concurrent", false);
            return on(concurrent ? lock_mode::share_update_exclusive : lock_mode::access_exclusive,
                      first_relation("objects"));
        }
        return {};
    }
    if (kind == "TruncateStmt") {
        return on(lock_mode::access_exclusive, first_relation("relations"));
    }
    if (kind == "RenameStmt") {
        return relation.empty() ? statement_locks{} : on(lock_mode::access_exclusive, relation);
    }
    if (kind == "ReindexStmt") {
        return on(has_option(body.value("params", json::array()), "concurrently")
                      ? lock_mode::share_update_exclusive
                      : lock_mode::share,
                  relation);
    }
    if (kind == "VacuumStmt") {
        bool full = has_option(body.value("options", json::array()), "full");
        return on(full ? lock_mode::access_exclusive : lock_mode::share_update_exclusive,
                  first_relation("rels"), full);
    }
    if (kind == "ClusterStmt") {
        return on(lock_mode::access_exclusive, relation, true);
    }
    if (kind == "LockStmt") {
        return on(lock_statement_mode(body.value("mode", 8)), first_relation("relations"));
    }
    if (kind == "RefreshMatViewStmt") {
        bool concurrent = body.value("concurrent", false);
        return on(concurrent ? lock_mode::exclusive : lock_mode::access_exclusive, relation,
                  !concurrent);
    }
    if (kind == "CreateTrigStmt") {
        return on(lock_mode::share_row_exclusive, relation);
    }
    if (kind == "CreatePolicyStmt" || kind == "AlterPolicyStmt") {
        return on(lock_mode::access_exclusive, relation_name(body.value("table", json::object())));
    }
    if (kind == "InsertStmt" || kind == "UpdateStmt" || kind == "DeleteStmt") {
        return on(lock_mode::row_exclusive, relation);
    }
    return {};
}

} // namespace pgmig::compiler
