#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pgmig::compiler {

/// PostgreSQL's table lock modes, weakest first (the "Explicit Locking" chapter).
enum class lock_mode {
    none,
    access_share,
    row_share,
    row_exclusive,
    share_update_exclusive,
    share,
    share_row_exclusive,
    exclusive,
    access_exclusive,
};

/// "ACCESS EXCLUSIVE", as pg_locks and the documentation spell it ("" for none).
[[nodiscard]] const char* to_string(lock_mode mode);

/// What a statement does to the table it names, as the server will execute it.
struct statement_locks {
    lock_mode mode = lock_mode::none; ///< the strongest lock it takes on `table`
    std::string table;                ///< as written (schema-qualified when written so)
    bool rewrites = false;            ///< writes a new copy of the table (and its indexes)
};

/// The lock and rewrite of one statement (a libpg_query tree, `{"AlterTableStmt": ...}`),
/// for the server major version the SQL targets: before 11 any column default rewrites.
/// One table per statement: the one it alters; statements that create objects lock nothing
/// that exists (a foreign key's referenced table aside, which stays readable).
[[nodiscard]] statement_locks locks_of(const nlohmann::json& tree, int postgres_major);

/// "ACCESS EXCLUSIVE on users, rewrites it", or empty when the statement locks no table.
[[nodiscard]] std::string describe(const statement_locks& locks);

/// True when a column default calls a function known to be volatile (random(), nextval(),
/// clock_timestamp(), gen_random_uuid(), ...): adding such a column fills every row.
[[nodiscard]] bool has_volatile_call(const nlohmann::json& expr);

// Readers of libpg_query trees, shared with the lint.

/// `a.b` from a list of String nodes (`DROP TABLE a.b`'s name, a function's name).
[[nodiscard]] std::string dotted(const nlohmann::json& items);
/// The last name of a ColumnDef's type: `int4` for `pg_catalog.int4`, `serial` for serial.
[[nodiscard]] std::string type_name(const nlohmann::json& column_def);
/// serial, bigserial, smallserial and their aliases.
[[nodiscard]] bool is_serial(const std::string& type);

/// `schema.name` of a RangeVar node, or `name` when written unqualified.
[[nodiscard]] std::string relation_name(const nlohmann::json& rangevar);

} // namespace pgmig::compiler
