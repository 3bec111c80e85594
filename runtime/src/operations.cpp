#include <pgmig/detail/numbers.hpp>
#include <pgmig/operations.hpp>

#include <fmt/format.h>

#include <charconv>

namespace pgmig {
namespace {

std::string column_list(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& c : columns) {
        out += (out.empty() ? "" : ", ") + quote_identifier(c);
    }
    return out;
}

std::string column_sql(const column& c) {
    std::string out = quote_identifier(c.name) + " " + c.type;
    if (c.identity) {
        out += " GENERATED " +
               (*c.identity == "always" ? std::string("ALWAYS") : std::string("BY DEFAULT")) +
               " AS IDENTITY";
    }
    if (c.primary_key) {
        out += " PRIMARY KEY";
    } else if (!c.nullable) {
        out += " NOT NULL";
    }
    if (c.unique) {
        out += " UNIQUE";
    }
    if (c.default_sql) {
        out += " DEFAULT " + *c.default_sql;
    }
    return out;
}

/// The name of a qualified object's table part: "app.users" -> "users" (for rename targets).
std::string last_part(std::string_view dotted) {
    auto dot = dotted.rfind('.');
    return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

/// The schema prefix of a dotted name, with its dot: "app.users" -> "app.".
std::string schema_prefix(std::string_view dotted) {
    auto dot = dotted.rfind('.');
    return dot == std::string_view::npos ? std::string() : std::string(dotted.substr(0, dot + 1));
}

} // namespace

std::string quote_name(std::string_view dotted) {
    std::string out;
    std::size_t start = 0;
    for (;;) {
        auto dot = dotted.find('.', start);
        auto part = dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos
                                                                       : dot - start);
        out += (out.empty() ? "" : ".") + quote_identifier(part);
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return out;
}

template <>
std::string query_result::get<std::string>(int row, int column) const {
    if (is_null(row, column)) {
        throw error(fmt::format("row {} column {} is NULL; use get_optional", row, column));
    }
    return std::string(m_result.text(row, column));
}

template <>
std::int64_t query_result::get<std::int64_t>(int row, int column) const {
    return detail::parse_number<std::int64_t>(get<std::string>(row, column), "an integer");
}

template <>
int query_result::get<int>(int row, int column) const {
    return detail::parse_number<int>(get<std::string>(row, column), "an integer");
}

template <>
double query_result::get<double>(int row, int column) const {
    return detail::parse_number<double>(get<std::string>(row, column), "a number");
}

template <>
bool query_result::get<bool>(int row, int column) const {
    auto text = get<std::string>(row, column);
    if (text == "t" || text == "true") {
        return true;
    }
    if (text == "f" || text == "false") {
        return false;
    }
    throw error(fmt::format("value '{}' is not a boolean", text));
}

operations::operations(const revision& rev) : m_rev(&rev) {}

operations::operations(connection& conn, const revision& rev) : m_conn(&conn), m_rev(&rev) {}

operations::operations(std::string& script, const revision& rev)
    : m_mode(mode::script), m_script(&script), m_rev(&rev) {}

operations::~operations() = default;

std::unique_ptr<operations> operations::recorder(const revision& rev) {
    std::unique_ptr<operations> ops(new operations(rev));
    ops->m_mode = mode::record;
    return ops;
}

void operations::replay_inverse(operations& target) const {
    for (auto it = m_inverse.rbegin(); it != m_inverse.rend(); ++it) {
        (*it)(target);
    }
}

connection& operations::online(std::string_view what) {
    if (m_mode == mode::script) {
        throw state_error(fmt::format("C++ revision {} reads data from the database ({}), so its "
                                      "SQL cannot be printed offline; run it against a database "
                                      "instead",
                                      m_rev->id, what));
    }
    if (m_mode == mode::record) {
        throw error(fmt::format("C++ revision {} is declared auto_reversible, but its upgrade "
                                "calls {}, which cannot be reversed; write a downgrade",
                                m_rev->id, what));
    }
    return *m_conn;
}

void operations::run(const std::string& sql, const std::vector<param>& params,
                     std::string_view what) {
    switch (m_mode) {
    case mode::script:
        *m_script += sql_command{sql, params}.inlined() + ";\n";
        break;
    case mode::record:
        throw error(fmt::format("C++ revision {} is declared auto_reversible, but its upgrade "
                                "calls {}, which cannot be reversed; write a downgrade",
                                m_rev->id, what));
    case mode::execute:
        (void)m_conn->exec(sql, params);
        break;
    }
}

void operations::reversible(const std::string& sql, std::function<void(operations&)> inverse) {
    if (m_mode == mode::record) {
        m_inverse.push_back(std::move(inverse));
        return;
    }
    run(sql, {}, sql);
}

void operations::progress(std::string_view text) const {
    if (m_progress) {
        m_progress(text);
    }
}

void operations::execute(std::string_view sql, const std::vector<param>& params) {
    run(std::string(sql), params, "execute()");
}

query_result operations::query(std::string_view sql, const std::vector<param>& params) {
    return query_result(online("query()").exec(sql, params));
}

std::int64_t operations::batch(std::string_view select_sql, const std::vector<param>& params,
                               std::size_t batch_size,
                               const std::function<void(const query_result&)>& fn) {
    connection& conn = online("batch()");
    // WITH HOLD keeps the cursor usable in a revision that runs outside a transaction.
    const std::string cursor = fmt::format("pgmig_batch_{}", ++m_cursors);
    conn.exec(fmt::format("DECLARE {} NO SCROLL CURSOR WITH HOLD FOR {}", cursor, select_sql),
              params);
    std::int64_t total = 0;
    try {
        for (int n = 1;; ++n) {
            query_result rows(
                conn.exec(fmt::format("FETCH FORWARD {} FROM {}", batch_size, cursor)));
            if (rows.rows() == 0) {
                break;
            }
            fn(rows);
            total += rows.rows();
            progress(fmt::format("batch {}: {} rows so far", n, total));
        }
    } catch (...) {
        try {
            conn.exec("CLOSE " + cursor);
        } catch (const error&) {
        }
        throw;
    }
    conn.exec("CLOSE " + cursor);
    return total;
}

std::int64_t operations::update_in_batches(std::string_view table, std::string_view set_sql,
                                           std::string_view where_sql, std::string_view key_column,
                                           std::size_t batch_size) {
    connection& conn = online("update_in_batches()");
    const std::string t = quote_name(table);
    const std::string key = quote_identifier(key_column);
    // No SKIP LOCKED: a row another session holds would be skipped, the loop would see nothing
    // left to do, and stop with work undone.
    const std::string sql =
        fmt::format("UPDATE {0} SET {1} WHERE {2} IN (SELECT {2} FROM {0} WHERE {3} LIMIT {4})", t,
                    set_sql, key, where_sql, batch_size);
    std::int64_t total = 0;
    for (int n = 1;; ++n) {
        long done = conn.exec(sql).affected();
        if (done == 0) {
            break;
        }
        total += done;
        progress(fmt::format("batch {}: {} rows updated so far", n, total));
    }
    return total;
}

void operations::bulk_insert(std::string_view table, const std::vector<std::string>& columns,
                             const std::vector<row_values>& rows) {
    if (rows.empty()) {
        return;
    }
    // As many rows per statement as stay under PostgreSQL's 65535 parameters.
    const std::size_t per_statement =
        std::max<std::size_t>(1, 60000 / std::max<std::size_t>(1, columns.size()));
    for (std::size_t start = 0; start < rows.size(); start += per_statement) {
        std::string sql =
            fmt::format("INSERT INTO {} ({}) VALUES ", quote_name(table), column_list(columns));
        std::vector<param> params;
        std::size_t end = std::min(rows.size(), start + per_statement);
        for (std::size_t r = start; r < end; ++r) {
            if (rows[r].size() != columns.size()) {
                throw error(fmt::format("bulk_insert into {}: row {} has {} values for {} columns",
                                        table, r, rows[r].size(), columns.size()));
            }
            sql += r == start ? "(" : ", (";
            for (std::size_t c = 0; c < columns.size(); ++c) {
                params.push_back(rows[r][c]);
                sql += fmt::format("{}${}", c == 0 ? "" : ", ", params.size());
            }
            sql += ")";
        }
        run(sql, params, "bulk_insert()");
    }
}

void operations::create_table(std::string_view table, const std::vector<column>& columns) {
    std::string body;
    for (const auto& c : columns) {
        body += (body.empty() ? "\n    " : ",\n    ") + column_sql(c);
    }
    const std::string t(table);
    reversible(fmt::format("CREATE TABLE {} ({}\n)", quote_name(table), body),
               [t](operations& op) { op.drop_table(t); });
}

void operations::drop_table(std::string_view table) {
    run(fmt::format("DROP TABLE {}", quote_name(table)), {}, "drop_table()");
}

void operations::add_column(std::string_view table, const column& c) {
    const std::string t(table);
    const std::string name = c.name;
    reversible(fmt::format("ALTER TABLE {} ADD COLUMN {}", quote_name(table), column_sql(c)),
               [t, name](operations& op) { op.drop_column(t, name); });
}

void operations::drop_column(std::string_view table, std::string_view name) {
    run(fmt::format("ALTER TABLE {} DROP COLUMN {}", quote_name(table), quote_identifier(name)), {},
        "drop_column()");
}

void operations::alter_column(std::string_view table, std::string_view name,
                              const column_change& change) {
    std::vector<std::string> actions;
    const std::string col = quote_identifier(name);
    if (change.type) {
        actions.push_back(fmt::format("ALTER COLUMN {} TYPE {}{}", col, *change.type,
                                      change.using_sql ? " USING " + *change.using_sql : ""));
    }
    if (change.nullable) {
        actions.push_back(
            fmt::format("ALTER COLUMN {} {} NOT NULL", col, *change.nullable ? "DROP" : "SET"));
    }
    if (change.default_sql) {
        actions.push_back(
            change.default_sql->empty()
                ? fmt::format("ALTER COLUMN {} DROP DEFAULT", col)
                : fmt::format("ALTER COLUMN {} SET DEFAULT {}", col, *change.default_sql));
    }
    if (actions.empty()) {
        throw error(fmt::format("alter_column({}.{}) changes nothing", table, name));
    }
    std::string sql = fmt::format("ALTER TABLE {} ", quote_name(table));
    for (std::size_t i = 0; i < actions.size(); ++i) {
        sql += (i == 0 ? "" : ", ") + actions[i];
    }
    const bool knows_past = (!change.type || change.existing_type) &&
                            (!change.nullable || change.existing_nullable) &&
                            (!change.default_sql || change.existing_default);
    if (!knows_past) {
        run(sql, {},
            "alter_column() without the existing_* values it would need to undo the change");
        return;
    }
    column_change back;
    back.type = change.type ? change.existing_type : std::nullopt;
    back.nullable = change.nullable ? change.existing_nullable : std::nullopt;
    back.default_sql = change.default_sql ? change.existing_default : std::nullopt;
    back.existing_type = change.type;
    back.existing_nullable = change.nullable;
    back.existing_default = change.default_sql;
    const std::string t(table);
    const std::string n(name);
    reversible(sql, [t, n, back](operations& op) { op.alter_column(t, n, back); });
}

void operations::rename_table(std::string_view from, std::string_view to) {
    // The new name stays in the old one's schema; the inverse names the table by it.
    const std::string renamed = schema_prefix(from) + last_part(to);
    const std::string old_name = last_part(from);
    reversible(fmt::format("ALTER TABLE {} RENAME TO {}", quote_name(from),
                           quote_identifier(last_part(to))),
               [renamed, old_name](operations& op) { op.rename_table(renamed, old_name); });
}

void operations::rename_column(std::string_view table, std::string_view from, std::string_view to) {
    const std::string t(table);
    const std::string f(from);
    const std::string n(to);
    reversible(fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", quote_name(table),
                           quote_identifier(from), quote_identifier(to)),
               [t, f, n](operations& op) { op.rename_column(t, n, f); });
}

void operations::create_index(std::string_view name, std::string_view table,
                              const std::vector<std::string>& columns,
                              const index_options& options) {
    std::string sql = fmt::format(
        "CREATE {}INDEX {}{}{} ON {}{} ({})", options.unique ? "UNIQUE " : "",
        options.concurrently ? "CONCURRENTLY " : "", options.if_not_exists ? "IF NOT EXISTS " : "",
        quote_identifier(name), quote_name(table),
        options.method.empty() ? "" : " USING " + options.method, column_list(columns));
    if (!options.where.empty()) {
        sql += " WHERE " + options.where;
    }
    // An index lives in its table's schema.
    const std::string qualified = schema_prefix(table) + std::string(name);
    const bool concurrently = options.concurrently;
    reversible(
        sql, [qualified, concurrently](operations& op) { op.drop_index(qualified, concurrently); });
}

void operations::drop_index(std::string_view name, bool concurrently) {
    run(fmt::format("DROP INDEX {}{}", concurrently ? "CONCURRENTLY " : "", quote_name(name)), {},
        "drop_index()");
}

void operations::create_foreign_key(std::string_view name, std::string_view table,
                                    const std::vector<std::string>& columns,
                                    std::string_view referenced_table,
                                    const std::vector<std::string>& referenced_columns,
                                    const foreign_key_options& options) {
    std::string sql =
        fmt::format("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
                    quote_name(table), quote_identifier(name), column_list(columns),
                    quote_name(referenced_table), column_list(referenced_columns));
    if (!options.on_delete.empty()) {
        sql += " ON DELETE " + options.on_delete;
    }
    if (!options.on_update.empty()) {
        sql += " ON UPDATE " + options.on_update;
    }
    if (options.not_valid) {
        sql += " NOT VALID";
    }
    const std::string t(table);
    const std::string n(name);
    reversible(sql, [t, n](operations& op) { op.drop_constraint(t, n); });
}

void operations::create_unique_constraint(std::string_view name, std::string_view table,
                                          const std::vector<std::string>& columns) {
    const std::string t(table);
    const std::string n(name);
    reversible(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({})", quote_name(table),
                           quote_identifier(name), column_list(columns)),
               [t, n](operations& op) { op.drop_constraint(t, n); });
}

void operations::create_check_constraint(std::string_view name, std::string_view table,
                                         std::string_view condition_sql) {
    const std::string t(table);
    const std::string n(name);
    reversible(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({})", quote_name(table),
                           quote_identifier(name), condition_sql),
               [t, n](operations& op) { op.drop_constraint(t, n); });
}

void operations::drop_constraint(std::string_view table, std::string_view name) {
    run(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", quote_name(table), quote_identifier(name)),
        {}, "drop_constraint()");
}

void run_cpp_revision(const revision& rev, direction dir, operations& ops) {
    if (rev.cpp == nullptr) {
        throw error(fmt::format("revision {} has no C++ code", rev.id));
    }
    if (dir == direction::upgrade) {
        rev.cpp->upgrade(ops);
        return;
    }
    if (rev.cpp->downgrade != nullptr) {
        rev.cpp->downgrade(ops);
        return;
    }
    if (!rev.cpp->auto_reversible) {
        throw error(fmt::format("C++ revision {} has no downgrade", rev.id));
    }
    // Derived downgrade: record what the upgrade would do, then undo it, last step first.
    auto recording = operations::recorder(rev);
    rev.cpp->upgrade(*recording);
    recording->replay_inverse(ops);
}

} // namespace pgmig
