// The operations object against a real server: what each helper does to the schema, typed
// query results, batching, and C++ revisions run by upgrade, downgrade and --sql. The SQL
// text of each helper is tested in tests/unit/operations_test.cpp; building C++ revision files
// with CMake in tests/cmake and the CLI test's mixed set.
#include "revision_compiler.hpp"
#include "support.hpp"

#include <pgmig/commands.hpp>
#include <pgmig/operations.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

/// Operations on a database outside any revision, for testing helpers one by one.
struct workbench {
    scoped_database db;
    connection conn = db.connect();
    revision rev = [] {
        revision r;
        r.id = "bench";
        return r;
    }();
    operations op{conn, rev};
};

/// "name type nullable default" of a table's columns, in order.
std::vector<std::string> columns_of(const scoped_database& db, const std::string& table) {
    connection conn = db.connect();
    result r = conn.exec("SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || "
                         "coalesce(column_default, '-') FROM information_schema.columns "
                         "WHERE table_name = $1 ORDER BY ordinal_position",
                         {table});
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.emplace_back(r.text(i, 0));
    }
    return out;
}

TEST(Operations, TableAndColumnHelpersChangeTheSchema) {
    workbench w;
    w.conn.exec("CREATE SCHEMA app");
    w.op.create_table("app.User Accounts", {column("id", "bigint").generated_identity().primary(),
                                            column("email", "text").not_null().unique_values(),
                                            column("order", "int").default_value("0")});
    EXPECT_THAT(columns_of(w.db, "User Accounts"),
                ElementsAre("id bigint NO -", "email text NO -", "order integer YES 0"));

    w.op.add_column("app.User Accounts", column("score", "int"));
    column_change change;
    change.type = "bigint";
    change.nullable = false;
    change.default_sql = "1";
    w.conn.exec(R"(UPDATE app."User Accounts" SET score = 0)");
    w.op.alter_column("app.User Accounts", "score", change);
    w.op.rename_column("app.User Accounts", "order", "rank");
    w.op.drop_column("app.User Accounts", "email");
    EXPECT_THAT(columns_of(w.db, "User Accounts"),
                ElementsAre("id bigint NO -", "rank integer YES 0", "score bigint NO 1"));

    w.op.rename_table("app.User Accounts", "accounts");
    EXPECT_EQ(w.db.scalar("SELECT to_regclass('app.accounts') IS NOT NULL"), "t");
    w.op.drop_table("app.accounts");
    EXPECT_EQ(w.db.scalar("SELECT to_regclass('app.accounts') IS NULL"), "t");
}

TEST(Operations, IndexAndConstraintHelpersChangeTheSchema) {
    workbench w;
    w.op.create_table("users", {column("id", "int").primary(), column("email", "text")});
    w.op.create_table("orders", {column("id", "int").primary(), column("user_id", "int"),
                                 column("total", "numeric")});
    index_options partial;
    partial.unique = true;
    partial.where = "email IS NOT NULL";
    w.op.create_index("users_email", "users", {"email"}, partial);
    EXPECT_THAT(w.db.scalar("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email'"),
                HasSubstr("CREATE UNIQUE INDEX users_email ON public.users USING btree (email) "
                          "WHERE (email IS NOT NULL)"));
    foreign_key_options cascade;
    cascade.on_delete = "CASCADE";
    w.op.create_foreign_key("orders_user", "orders", {"user_id"}, "users", {"id"}, cascade);
    w.op.create_check_constraint("orders_total", "orders", "total >= 0");
    w.op.create_unique_constraint("orders_once", "orders", {"user_id", "total"});
    EXPECT_EQ(
        w.db.scalar("SELECT string_agg(conname || ':' || contype::text, ',' ORDER BY conname) "
                    "FROM pg_constraint WHERE conrelid = 'orders'::regclass"),
        "orders_once:u,orders_pkey:p,orders_total:c,orders_user:f");

    w.conn.exec("INSERT INTO users VALUES (1, 'a@x')");
    w.conn.exec("INSERT INTO orders VALUES (1, 1, 5)");
    EXPECT_THROW(w.conn.exec("INSERT INTO orders VALUES (2, 1, -1)"), database_error);
    w.conn.exec("DELETE FROM users");
    EXPECT_EQ(w.db.scalar("SELECT count(*) FROM orders"), "0"); // ON DELETE CASCADE

    w.op.drop_constraint("orders", "orders_user");
    w.op.drop_constraint("orders", "orders_total");
    w.op.drop_index("users_email");
    EXPECT_EQ(w.db.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = 'orders'::regclass"),
              "2");
    EXPECT_EQ(w.db.scalar("SELECT to_regclass('users_email') IS NULL"), "t");
}

TEST(Operations, ExecuteBindsParametersAndQueryConvertsTypes) {
    workbench w;
    w.op.create_table("t", {column("id", "bigint"), column("name", "text"),
                            column("ratio", "float8"), column("ok", "bool")});
    w.op.execute("INSERT INTO t VALUES ($1, $2, $3, $4), (2, NULL, 0.25, false)",
                 {"9000000000", "'); DROP TABLE t; --", "1.5", "true"});
    query_result rows =
        w.op.query("SELECT id, name, ratio, ok FROM t WHERE id > $1 ORDER BY id", {"0"});
    ASSERT_EQ(rows.rows(), 2);
    EXPECT_EQ(rows.get<std::int64_t>(1, 0), 9000000000);
    EXPECT_EQ(rows.get<std::string>(1, "name"), "'); DROP TABLE t; --");
    EXPECT_DOUBLE_EQ(rows.get<double>(0, "ratio"), 0.25);
    EXPECT_FALSE(rows.get<bool>(0, "ok"));
    EXPECT_TRUE(rows.get<bool>(1, 3));
    EXPECT_EQ(rows.get<int>(0, 0), 2);
    EXPECT_EQ(rows.get_optional<std::string>(0, 1), std::nullopt);
    EXPECT_THROW((void)rows.get<std::string>(0, 1), error);  // NULL
    EXPECT_THROW((void)rows.get<int>(1, 0), error);          // out of int's range
    EXPECT_THROW((void)rows.get<std::int64_t>(1, 1), error); // not a number
}

TEST(Operations, BatchWalksEveryRowAndReportsProgress) {
    workbench w;
    w.conn.exec("CREATE TABLE n AS SELECT g AS id FROM generate_series(1, 2500) g");
    std::vector<std::string> notes;
    w.op.on_progress([&](std::string_view text) { notes.emplace_back(text); });
    std::int64_t sum = 0;
    std::vector<int> sizes;
    auto total = w.op.batch("SELECT id FROM n WHERE id > $1 ORDER BY id", {"0"}, 1000,
                            [&](const query_result& rows) {
                                sizes.push_back(rows.rows());
                                for (int i = 0; i < rows.rows(); ++i) {
                                    sum += rows.get<std::int64_t>(i, 0);
                                }
                            });
    EXPECT_EQ(total, 2500);
    EXPECT_EQ(sum, 2500LL * 2501 / 2);
    EXPECT_THAT(sizes, ElementsAre(1000, 1000, 500));
    EXPECT_THAT(notes, ElementsAre("batch 1: 1000 rows so far", "batch 2: 2000 rows so far",
                                   "batch 3: 2500 rows so far"));
    EXPECT_EQ(w.db.scalar("SELECT count(*) FROM pg_cursors"), "0"); // closed
}

TEST(Operations, BatchClosesItsCursorWhenTheCallbackThrows) {
    workbench w;
    w.conn.exec("CREATE TABLE n AS SELECT g AS id FROM generate_series(1, 10) g");
    EXPECT_THROW(
        w.op.batch("SELECT id FROM n", {}, 3, [](const query_result&) { throw error("stop"); }),
        error);
    EXPECT_EQ(w.conn.exec("SELECT count(*) FROM pg_cursors").text(0, 0), "0");
}

TEST(Operations, UpdateInBatchesBackfillsEveryRow) {
    workbench w;
    w.conn.exec("CREATE TABLE u AS SELECT g AS id, 'Name ' || g AS name, NULL::text AS slug "
                "FROM generate_series(1, 2345) g");
    std::vector<std::string> notes;
    w.op.on_progress([&](std::string_view text) { notes.emplace_back(text); });
    auto updated = w.op.update_in_batches("u", "slug = lower(replace(name, ' ', '-'))",
                                          "slug IS NULL", "id", 1000);
    EXPECT_EQ(updated, 2345);
    EXPECT_EQ(notes.size(), 3U);
    EXPECT_EQ(w.db.scalar("SELECT count(*) FROM u WHERE slug IS NULL"), "0");
    EXPECT_EQ(w.db.scalar("SELECT slug FROM u WHERE id = 7"), "name-7");
}

TEST(Operations, BulkInsertStoresValuesAsGivenAcrossStatements) {
    workbench w;
    w.op.create_table("tags",
                      {column("id", "int"), column("name", "text"), column("note", "text")});
    std::vector<row_values> rows;
    for (int i = 0; i < 25000; ++i) {
        rows.push_back({std::to_string(i), fmt::format("it's #{}", i), std::nullopt});
    }
    w.op.bulk_insert("tags", {"id", "name", "note"}, rows);
    EXPECT_EQ(w.db.scalar("SELECT count(*) FROM tags WHERE note IS NULL"), "25000");
    EXPECT_EQ(w.db.scalar("SELECT name FROM tags WHERE id = 24999"), "it's #24999");
}

// --- C++ revisions run by the commands -----------------------------------------------------

/// A C++ revision: metadata read by the real compiler from its file header, code from hooks.
revision cpp_revision(const std::string& file, const std::string& header,
                      const cpp_revision_hooks& hooks) {
    auto compiled = compiler::compile_revision(file, header + "PGMIG_REVISION(r)\n");
    if (!compiled.ok()) {
        throw std::runtime_error(compiled.diagnostics.front().format());
    }
    compiled.rev.cpp = &hooks;
    return std::move(compiled.rev);
}

revision sql_revision(const std::string& file, const std::string& text) {
    auto compiled = compiler::compile_revision(file, text);
    if (!compiled.ok()) {
        throw std::runtime_error(compiled.diagnostics.front().format());
    }
    return std::move(compiled.rev);
}

const cpp_revision_hooks backfill_hooks = [] {
    cpp_revision_hooks h;
    h.upgrade = [](operations& op) {
        op.add_column("users", column("slug", "text"));
        auto rows = op.query("SELECT id, name FROM users ORDER BY id");
        for (int i = 0; i < rows.rows(); ++i) {
            op.execute(
                "UPDATE users SET slug = $1 WHERE id = $2",
                {rows.get<std::string>(i, "name") + "-slug", rows.get<std::string>(i, "id")});
        }
        op.alter_column("users", "slug", [] {
            column_change c;
            c.nullable = false;
            return c;
        }());
    };
    h.downgrade = [](operations& op) {
        op.drop_column("users", "slug");
    };
    return h;
}();

const cpp_revision_hooks tags_hooks = [] {
    cpp_revision_hooks h;
    h.upgrade = [](operations& op) {
        op.create_table("tags", {column("id", "int").primary(), column("user_id", "int")});
        op.create_foreign_key("tags_user", "tags", {"user_id"}, "users", {"id"});
        op.create_index("tags_user_idx", "tags", {"user_id"});
    };
    h.auto_reversible = true;
    return h;
}();

const cpp_revision_hooks failing_hooks = [] {
    cpp_revision_hooks h;
    h.upgrade = [](operations& op) {
        op.create_table("half", {column("id", "int")});
        op.execute("INSERT INTO half VALUES ('not a number')");
    };
    h.downgrade = [](operations& op) {
        op.drop_table("half");
    };
    return h;
}();

const cpp_revision_hooks throwing_hooks = [] {
    cpp_revision_hooks h;
    h.upgrade = [](operations& op) {
        op.create_table("half", {column("id", "int")});
        throw std::runtime_error("no slug for user 3");
    };
    h.downgrade = [](operations& op) {
        op.drop_table("half");
    };
    return h;
}();

bool interrupt_batched = false; // set by a test: the upgrade stops after its batches

const cpp_revision_hooks batched_hooks = [] {
    cpp_revision_hooks h;
    h.upgrade = [](operations& op) {
        op.update_in_batches("users", "name = upper(name)", "name <> upper(name)", "id", 2);
        if (interrupt_batched) {
            throw std::runtime_error("interrupted");
        }
    };
    h.downgrade = [](operations& op) {
        op.update_in_batches("users", "name = lower(name)", "name <> lower(name)", "id", 2);
    };
    return h;
}();

revision_set mixed_set(bool with_failing = false, bool with_batched = false, bool with_tags = true,
                       const cpp_revision_hooks* failing = &failing_hooks) {
    std::vector<revision> revisions;
    revisions.push_back(sql_revision("m/0001_users.sql",
                                     "-- pgmig:revision a1\n-- pgmig:upgrade\n"
                                     "CREATE TABLE users (id int PRIMARY KEY, name text);\n"
                                     "INSERT INTO users VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');\n"
                                     "-- pgmig:downgrade\nDROP TABLE users;\n"));
    revisions.push_back(cpp_revision("m/0002_slugs.cpp",
                                     "// pgmig:revision b2\n// pgmig:revises a1\n"
                                     "// pgmig:message Backfill slugs\n",
                                     backfill_hooks));
    if (with_tags) {
        revisions.push_back(cpp_revision(
            "m/0003_tags.cpp", "// pgmig:revision c3\n// pgmig:revises b2\n", tags_hooks));
    }
    if (with_failing) {
        revisions.push_back(cpp_revision("m/0004_half.cpp",
                                         "// pgmig:revision d4\n// pgmig:revises c3\n", *failing));
    }
    if (with_batched) {
        revisions.push_back(cpp_revision("m/0004_upper.cpp",
                                         "// pgmig:revision e4\n// pgmig:revises c3\n"
                                         "// pgmig:transaction off\n",
                                         batched_hooks));
    }
    set_settings settings;
    settings.name = "mixed";
    return {settings, std::move(revisions)};
}

TEST(CppRevisions, MixedSetUpgradesAndDowngradesWithDerivedDowngrades) {
    scoped_database db;
    auto set = mixed_set();
    auto up = upgrade(set, "head", options_for(db));
    EXPECT_THAT(up.rows_after, ElementsAre("c3"));
    EXPECT_EQ(db.scalar("SELECT string_agg(slug, ',' ORDER BY id) FROM users"),
              "ann-slug,bob-slug,cy-slug");
    EXPECT_EQ(db.scalar("SELECT is_nullable FROM information_schema.columns "
                        "WHERE table_name = 'users' AND column_name = 'slug'"),
              "NO");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'tags_user'"), "1");
    EXPECT_EQ(db.scalar("SELECT kind FROM pgmig_history WHERE revision = 'b2'"), "cpp");

    downgrade(set, "a1", options_for(db)); // c3 by its derived downgrade, b2 by its own
    EXPECT_EQ(db.scalar("SELECT to_regclass('tags') IS NULL"), "t");
    EXPECT_EQ(
        db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' "
                  "AND column_name = 'slug'"),
        "0");
    upgrade(set, "head", options_for(db));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM tags"), "0");
    downgrade(set, "base", options_for(db));
    EXPECT_EQ(db.scalar("SELECT to_regclass('users') IS NULL"), "t");
}

TEST(CppRevisions, FailingCppRevisionLeavesNothingHalfApplied) {
    scoped_database db;
    auto set = mixed_set(true);
    try {
        upgrade(set, "head", options_for(db));
        FAIL() << "expected an error";
    } catch (const database_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("m/0004_half.cpp:1: error: upgrade d4 failed, the database "
                                        "stays at c3"));
        EXPECT_THAT(e.what(), HasSubstr("invalid input syntax for type integer"));
    }
    EXPECT_EQ(db.scalar("SELECT to_regclass('half') IS NULL"), "t");
    EXPECT_EQ(db.scalar("SELECT string_agg(version_num, ',') FROM pgmig_version"), "c3");
}

TEST(CppRevisions, AnExceptionFromTheRevisionsCodeFailsTheStepCleanly) {
    scoped_database db;
    auto set = mixed_set(true, false, true, &throwing_hooks);
    try {
        upgrade(set, "head", options_for(db));
        FAIL() << "expected an error";
    } catch (const database_error& e) {
        EXPECT_EQ(std::string(e.what()), "m/0004_half.cpp:1: error: upgrade d4 failed, the "
                                         "database stays at c3: no slug for user 3");
    }
    EXPECT_EQ(db.scalar("SELECT to_regclass('half') IS NULL"), "t");
    EXPECT_EQ(db.scalar("SELECT string_agg(version_num, ',') FROM pgmig_version"), "c3");
}

TEST(CppRevisions, TransactionOffRevisionCommitsBatchByBatch) {
    scoped_database db;
    auto set = mixed_set(false, true);
    std::vector<std::string> notes;
    auto options = options_for(db);
    options.progress = collect_notes(notes);
    upgrade(set, "head", options);
    EXPECT_EQ(db.scalar("SELECT string_agg(name, ',' ORDER BY id) FROM users"), "ANN,BOB,CY");
    EXPECT_THAT(notes,
                ElementsAre("batch 1: 2 rows updated so far", "batch 2: 3 rows updated so far"));
    EXPECT_EQ(db.scalar("SELECT finished_at IS NOT NULL FROM pgmig_history WHERE revision = 'e4'"),
              "t");
    downgrade(set, "c3", options_for(db));
    EXPECT_EQ(db.scalar("SELECT string_agg(name, ',' ORDER BY id) FROM users"), "ann,bob,cy");
}

TEST(CppRevisions, AnOlderBuildCannotDowngradeACppRevisionItLacks) {
    scoped_database db;
    upgrade(mixed_set(), "head", options_for(db));
    auto older = mixed_set(false, false, false); // a build from before c3
    try {
        downgrade(older, "base", options_for(db));
        FAIL() << "expected an error";
    } catch (const error& e) {
        EXPECT_THAT(e.what(), HasSubstr("only a build that contains it can downgrade it"));
    }
    EXPECT_EQ(db.scalar("SELECT string_agg(version_num, ',') FROM pgmig_version"), "c3");
    EXPECT_EQ(db.scalar("SELECT to_regclass('tags') IS NOT NULL"), "t");
}

TEST(CppRevisions, InterruptedTransactionOffRevisionRunsAgainFromItsStart) {
    scoped_database db;
    auto set = mixed_set(false, true);
    interrupt_batched = true;
    EXPECT_THROW(upgrade(set, "head", options_for(db)), database_error);
    interrupt_batched = false;
    // Its batches committed; its history row stays unfinished; the version stays at c3.
    EXPECT_EQ(db.scalar("SELECT string_agg(name, ',' ORDER BY id) FROM users"), "ANN,BOB,CY");
    EXPECT_EQ(db.scalar("SELECT finished_at IS NULL FROM pgmig_history WHERE revision = 'e4'"),
              "t");
    EXPECT_EQ(db.scalar("SELECT string_agg(version_num, ',') FROM pgmig_version"), "c3");

    std::vector<std::string> notes;
    auto options = options_for(db);
    options.progress = collect_notes(notes);
    upgrade(set, "head", options);
    EXPECT_THAT(notes,
                ElementsAre("running C++ revision e4 again from its start: it was interrupted"));
    EXPECT_EQ(db.scalar("SELECT string_agg(version_num, ',') FROM pgmig_version"), "e4");
    EXPECT_EQ(
        db.scalar(
            "SELECT count(*) FROM pgmig_history WHERE revision = 'e4' AND finished_at IS NULL"),
        "0");
}

TEST(CppRevisions, OfflineSqlPrintsHelpersAndRefusesReads) {
    auto set = mixed_set();
    auto sql = render_sql(set, direction::downgrade, "c3:b2", false);
    EXPECT_THAT(sql, HasSubstr("DROP INDEX \"tags_user_idx\";\n"
                               "ALTER TABLE \"tags\" DROP CONSTRAINT \"tags_user\";\n"
                               "DROP TABLE \"tags\";\n"));
    try {
        (void)render_sql(set, direction::upgrade, "b2", false);
        FAIL() << "expected an error";
    } catch (const error& e) {
        EXPECT_THAT(e.what(),
                    HasSubstr("C++ revision b2 reads data from the database (query()), so "
                              "its SQL cannot be printed offline"));
    }
}

} // namespace
