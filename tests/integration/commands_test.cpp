#include "support.hpp"

#include <pgmig/commands.hpp>
#include <pgmig/startup.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

std::string rev(const std::string& id, const std::string& revises, const std::string& up,
                const std::string& down, const std::string& extra = "") {
    return fmt::format("-- pgmig:revision {}\n{}{}-- pgmig:message {} message\n\n"
                       "-- pgmig:upgrade\n{}\n\n-- pgmig:downgrade\n{}\n",
                       id, revises.empty() ? "" : "-- pgmig:revises " + revises + "\n", extra, id,
                       up, down);
}

/// Three revisions: a table, a column with an index, a backfill.
std::vector<std::pair<std::string, std::string>> linear_files() {
    return {
        {"m/0001_a.sql",
         rev("a1", "", "CREATE TABLE items (id int PRIMARY KEY, name text);", "DROP TABLE items;")},
        {"m/0002_b.sql", rev("b2", "a1",
                             "ALTER TABLE items ADD COLUMN price numeric;\n"
                             "CREATE INDEX items_price_idx ON items (price);",
                             "DROP INDEX items_price_idx;\nALTER TABLE items DROP COLUMN price;")},
        {"m/0003_c.sql",
         rev("c3", "b2", "INSERT INTO items VALUES (1, 'one', 1.5), (2, 'two', 2.5);",
             "DELETE FROM items WHERE id IN (1, 2);")},
    };
}

std::vector<std::string> version_rows(const scoped_database& db) {
    connection conn = db.connect();
    result r = conn.exec("SELECT version_num FROM pgmig_version ORDER BY 1");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.emplace_back(r.text(i, 0));
    }
    return out;
}

bool table_exists(const scoped_database& db, const std::string& name) {
    return db.scalar(fmt::format("SELECT to_regclass('{}') IS NOT NULL", name)) == "t";
}

template <typename E, typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return "no exception";
}

} // namespace

TEST(Commands, UpgradesFromEmptyAndRecordsEveryStep) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    migrate_result r = upgrade(set, "heads", options_for(db));
    EXPECT_EQ(r.executed.steps.size(), 3U);
    EXPECT_THAT(version_rows(db), ElementsAre("c3"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM items"), "2");
    EXPECT_EQ(db.scalar("SELECT string_agg(revision || ':' || direction, ',' ORDER BY id) "
                        "FROM pgmig_history"),
              "a1:upgrade,b2:upgrade,c3:upgrade");
    EXPECT_EQ(db.scalar("SELECT checksum FROM pgmig_history WHERE revision = 'b2'"),
              set.graph().find("b2")->checksum);
    EXPECT_EQ(db.scalar("SELECT db_user FROM pgmig_history LIMIT 1"), "postgres");
    EXPECT_EQ(db.scalar("SELECT tool_version FROM pgmig_history LIMIT 1"), tool_version());
    EXPECT_EQ(db.scalar("SELECT array_to_string(downgrade_sql, ' | ') FROM pgmig_history "
                        "WHERE revision = 'b2'"),
              "DROP INDEX items_price_idx | ALTER TABLE items DROP COLUMN price");
    EXPECT_EQ(db.scalar("SELECT bool_and(finished_at >= started_at AND duration_ms >= 0) "
                        "FROM pgmig_history"),
              "t");
}

TEST(Commands, NoOpUpgradeWritesNothing) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    migrate_result r = upgrade(set, "base", options_for(db));
    EXPECT_TRUE(r.executed.empty());
    EXPECT_FALSE(table_exists(db, "pgmig_version")); // nothing to do: not even the tables
    (void)upgrade(set, "heads", options_for(db));
    EXPECT_TRUE(upgrade(set, "heads", options_for(db)).executed.empty());
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pgmig_history"), "3");
}

TEST(Commands, DowngradeToBaseLeavesOnlyTheBookkeeping) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "heads", options_for(db));
    migrate_result r = downgrade(set, "base", options_for(db));
    EXPECT_EQ(r.executed.steps.size(), 3U);
    EXPECT_THAT(version_rows(db), IsEmpty());
    EXPECT_FALSE(table_exists(db, "items"));
    EXPECT_EQ(db.scalar("SELECT string_agg(revision, ',' ORDER BY id) FROM pgmig_history "
                        "WHERE direction = 'downgrade'"),
              "c3,b2,a1");
}

TEST(Commands, RelativeAndPrefixTargets) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "+1", options_for(db));
    EXPECT_THAT(version_rows(db), ElementsAre("a1"));
    (void)upgrade(set, "c", options_for(db));
    EXPECT_THAT(version_rows(db), ElementsAre("c3"));
    (void)downgrade(set, "-2", options_for(db));
    EXPECT_THAT(version_rows(db), ElementsAre("a1"));
}

TEST(Commands, AFailureInsideALongStatementNamesTheLineTheServerPointsAt) {
    scoped_database db;
    auto files = linear_files();
    // The statement starts on line 6; the unknown type is on line 9 (after a "é", which the
    // server counts as one character).
    files[1].second = rev("b2", "a1",
                          "CREATE TABLE audit (\n    id int,\n    note text DEFAULT 'é',\n    "
                          "at nosuchtype\n);",
                          "DROP TABLE audit;");
    auto set = make_set("items", files);
    try {
        (void)upgrade(set, "heads", options_for(db));
        FAIL() << "the upgrade should fail";
    } catch (const database_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("m/0002_b.sql:9: error: upgrade b2 (b2 message) failed"));
        EXPECT_THAT(e.what(), HasSubstr("type \"nosuchtype\" does not exist"));
    }
    // Without a position from the server, the statement's first line.
    files[1].second =
        rev("b2", "a1", "CREATE TABLE audit (\n    id int\n);\nSELECT 1 / 0;", "DROP TABLE audit;");
    try {
        (void)upgrade(make_set("items", files), "heads", options_for(db));
        FAIL() << "the upgrade should fail";
    } catch (const database_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("m/0002_b.sql:9: error: upgrade b2"));
        EXPECT_EQ(e.info().position, 0);
    }
}

TEST(Commands, FailingRevisionLeavesTheDatabaseAtTheLastCompletedOne) {
    scoped_database db;
    auto files = linear_files();
    files[1].second =
        rev("b2", "a1", "CREATE TABLE audit (id int);\n\nSELECT 1 / 0;", "DROP TABLE audit;");
    auto set = make_set("items", files);
    try {
        (void)upgrade(set, "heads", options_for(db));
        FAIL() << "the upgrade should fail";
    } catch (const database_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("m/0002_b.sql:8: error: upgrade b2 (b2 message) failed, "
                                        "the database stays at a1: division by zero"));
        EXPECT_EQ(e.sqlstate(), "22012");
        EXPECT_EQ(e.info().revision, "b2");
        EXPECT_EQ(e.info().where.line, 8);
        EXPECT_EQ(e.info().statement, "SELECT 1 / 0");
        EXPECT_THAT(e.completed(), ElementsAre("upgrade a1"));
    }
    EXPECT_THAT(version_rows(db), ElementsAre("a1"));
    EXPECT_TRUE(table_exists(db, "items"));
    EXPECT_FALSE(table_exists(db, "audit")); // the failed revision's first statement rolled back
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pgmig_history"), "1");
}

TEST(Commands, SingleTransactionIsAllOrNothing) {
    scoped_database db;
    auto files = linear_files();
    files[2].second =
        rev("c3", "b2", "INSERT INTO items VALUES (1, 'x', 'not a number');", "DELETE FROM items;");
    auto set = make_set("items", files);
    command_options o = options_for(db);
    o.single_transaction = true;
    try {
        (void)upgrade(set, "heads", o);
        FAIL() << "the upgrade should fail";
    } catch (const database_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("the database stays at base"));
        EXPECT_THAT(e.completed(), IsEmpty());
    }
    EXPECT_FALSE(table_exists(db, "items"));
    EXPECT_THAT(version_rows(db), IsEmpty());
    // And when it succeeds, every revision is recorded.
    auto good = make_set("items", linear_files());
    EXPECT_EQ(upgrade(good, "heads", o).executed.steps.size(), 3U);
    EXPECT_THAT(version_rows(db), ElementsAre("c3"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pgmig_history"), "3");
}

TEST(Commands, TransactionOffRevisionResumesAtTheFailedStatement) {
    scoped_database db;
    auto base = rev("a1", "", "CREATE TABLE items (id int, name text, price numeric);",
                    "DROP TABLE items;");
    auto concurrent = [](const std::string& second) {
        return rev("b2", "a1",
                   "CREATE INDEX CONCURRENTLY items_name_idx ON items (name);\n" + second +
                       "\nCREATE INDEX CONCURRENTLY items_price_idx ON items (price);",
                   "DROP INDEX CONCURRENTLY IF EXISTS items_price_idx;\n"
                   "DROP INDEX CONCURRENTLY IF EXISTS items_both_idx;\n"
                   "DROP INDEX CONCURRENTLY IF EXISTS items_name_idx;",
                   "-- pgmig:transaction off\n");
    };
    auto broken = make_set("items", {{"m/1.sql", base},
                                     {"m/2.sql", concurrent("CREATE INDEX CONCURRENTLY "
                                                            "items_both_idx ON items (nope);")}});
    auto fixed =
        make_set("items", {{"m/1.sql", base},
                           {"m/2.sql", concurrent("CREATE INDEX CONCURRENTLY "
                                                  "items_both_idx ON items (name, price);")}});
    auto message =
        error_of<database_error>([&] { (void)upgrade(broken, "heads", options_for(db)); });
    EXPECT_THAT(message, HasSubstr("m/2.sql:8: error: upgrade b2"));
    EXPECT_THAT(message, HasSubstr("statement 2 of 3"));
    EXPECT_THAT(version_rows(db), ElementsAre("a1"));
    EXPECT_TRUE(table_exists(db, "items_name_idx")); // the first statement stays done

    auto status = [&] {
        connection conn = db.connect();
        return check_database(conn, fixed);
    }();
    EXPECT_EQ(status.condition, database_condition::interrupted);
    EXPECT_THAT(status.message, HasSubstr("stopped after 1 statement"));

    // Running the broken text again resumes at statement 2 (statement 1 has no IF NOT EXISTS
    // and would fail if it ran twice) and fails there again.
    EXPECT_THAT(error_of<database_error>([&] { (void)upgrade(broken, "heads", options_for(db)); }),
                HasSubstr("column \"nope\" does not exist"));
    // Nothing else may run while the revision is half done.
    EXPECT_THAT(error_of<state_error>([&] { (void)downgrade(fixed, "base", options_for(db)); }),
                HasSubstr("b2 (m/2.sql) was interrupted during its upgrade, after 1 statement"));

    std::vector<std::string> notes;
    command_options o = options_for(db);
    o.progress = collect_notes(notes);
    migrate_result r = upgrade(fixed, "heads", o);
    EXPECT_EQ(r.executed.steps.size(), 1U);
    EXPECT_THAT(notes, ElementsAre("resuming upgrade b2 at statement 2 of 3"));
    EXPECT_THAT(version_rows(db), ElementsAre("b2"));
    EXPECT_TRUE(table_exists(db, "items_both_idx"));
    EXPECT_TRUE(table_exists(db, "items_price_idx"));
    EXPECT_EQ(db.scalar("SELECT statements_done || '/' || statements_total || ' ' || "
                        "(finished_at IS NOT NULL) || ' ' || checksum FROM pgmig_history "
                        "WHERE revision = 'b2'"),
              "3/3 true " + fixed.graph().find("b2")->checksum);
    // A transaction-off downgrade runs statement by statement too.
    EXPECT_EQ(downgrade(fixed, "base", options_for(db)).executed.steps.size(), 2U);
    EXPECT_FALSE(table_exists(db, "items"));
}

TEST(Commands, SqlScriptOfEveryKindOfStepRunsInPsqlAndRecordsWhatARunRecords) {
    // --sql is the runner with a script sink: transactional and transaction-off steps print
    // the same bookkeeping a run writes, and psql applies it.
    scoped_database online;
    scoped_database offline;
    auto set = make_set(
        "items",
        {{"m/1.sql", rev("a1", "", "CREATE TABLE items (id int, name text);", "DROP TABLE items;")},
         {"m/2.sql", rev("b2", "a1",
                         "CREATE INDEX CONCURRENTLY items_name_idx ON items (name);\n"
                         "CREATE INDEX CONCURRENTLY items_id_idx ON items (id); -- by id",
                         "DROP INDEX CONCURRENTLY items_id_idx;\n"
                         "DROP INDEX CONCURRENTLY items_name_idx;",
                         "-- pgmig:transaction off\n-- pgmig:lock-timeout 3s\n")}});
    (void)upgrade(set, "heads", options_for(online));
    std::string script = render_sql(set, direction::upgrade, "heads", false);
    EXPECT_THAT(script, HasSubstr("SELECT set_config('pgmig.history_id', id::text, false)"));
    auto path = std::filesystem::temp_directory_path() / (offline.name() + ".sql");
    std::ofstream(path) << script;
    auto psql = run({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", offline.url(), "-f", path});
    std::filesystem::remove(path);
    ASSERT_EQ(psql.status, 0) << psql.err << script;
    const std::string history =
        "SELECT string_agg(concat_ws(' ', revision, direction, statements_done, "
        "statements_total, finished_at IS NOT NULL, checksum, cardinality(completed_sql)), "
        "'; ' ORDER BY id) FROM pgmig_history";
    EXPECT_EQ(offline.scalar(history), online.scalar(history));
    EXPECT_THAT(script, HasSubstr("RESET lock_timeout;")); // the session's timeout ends with it
    connection conn = offline.connect();
    EXPECT_EQ(check_database(conn, set).condition, database_condition::up_to_date);
    EXPECT_TRUE(table_exists(offline, "items_id_idx"));
}

TEST(Commands, AnAnnotatedScriptSaysWhatEachStatementLocksAndStillRuns) {
    scoped_database db;
    auto set = make_set(
        "items",
        {{"m/1.sql", rev("a1", "", "CREATE TABLE items (id int, name text);", "DROP TABLE items;")},
         {"m/2.sql", rev("b2", "a1",
                         "ALTER TABLE items ALTER COLUMN name TYPE varchar(10);\n"
                         "CREATE INDEX items_name ON items (name);",
                         "DROP INDEX items_name;\nALTER TABLE items ALTER COLUMN name TYPE text;")},
         {"m/3.sql", rev("c3", "b2", "CREATE INDEX CONCURRENTLY items_id ON items (id);",
                         "DROP INDEX CONCURRENTLY items_id;", "-- pgmig:transaction off\n")}});
    std::string script = render_sql(set, direction::upgrade, "heads", false, true);
    for (const char* expected :
         {"-- pgmig: locks no existing table; can run in a transaction\nCREATE TABLE items",
          "-- pgmig: locks ACCESS EXCLUSIVE on items, rewrites it; can run in a transaction\n"
          "ALTER TABLE items ALTER COLUMN name TYPE varchar(10);",
          "-- pgmig: locks SHARE on items; can run in a transaction\nCREATE INDEX items_name",
          "-- pgmig: locks SHARE UPDATE EXCLUSIVE on items; cannot run in a transaction\n"
          "CREATE INDEX CONCURRENTLY items_id"}) {
        EXPECT_THAT(script, HasSubstr(expected));
    }
    EXPECT_THAT(render_sql(set, direction::downgrade, "c3:a1", false, true),
                HasSubstr("-- pgmig: locks ACCESS EXCLUSIVE on items_name; can run in a "
                          "transaction\nDROP INDEX items_name;"));
    auto path = std::filesystem::temp_directory_path() / (db.name() + ".sql");
    std::ofstream(path) << script;
    auto psql = run({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url(), "-f", path});
    std::filesystem::remove(path);
    ASSERT_EQ(psql.status, 0) << psql.err << script;
    connection conn = db.connect();
    EXPECT_EQ(check_database(conn, set).condition, database_condition::up_to_date);
}

TEST(Commands, AStatementOfATransactionOffRevisionCommitsWithItsRecord) {
    // The migrator dies right after a statement, while recording it (a trigger ends its session
    // there). The statement must not have happened: the next run applies it once.
    scoped_database db;
    auto set = make_set(
        "items", {{"1.sql", rev("a1", "", "CREATE TABLE items (id int);", "DROP TABLE items;")},
                  {"2.sql", rev("b2", "a1",
                                "INSERT INTO items VALUES (1);\n"
                                "CREATE INDEX CONCURRENTLY items_id_idx ON items (id);",
                                "DROP INDEX CONCURRENTLY items_id_idx;\nDELETE FROM items;",
                                "-- pgmig:transaction off\n")}});
    (void)upgrade(set, "a1", options_for(db));
    connection admin = db.connect();
    admin.exec("CREATE TABLE killed (once boolean);\n"
               "CREATE FUNCTION die() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n"
               "  IF NOT EXISTS (SELECT FROM killed) THEN\n"
               "    INSERT INTO killed VALUES (true);\n"
               "    PERFORM pg_terminate_backend(pg_backend_pid());\n"
               "  END IF;\n"
               "  RETURN NEW;\n"
               "END $$;\n"
               "CREATE TRIGGER die BEFORE UPDATE OF statements_done ON pgmig_history\n"
               "  FOR EACH ROW EXECUTE FUNCTION die();");
    EXPECT_THROW((void)upgrade(set, "heads", options_for(db)), error);
    admin.exec("DROP TRIGGER die ON pgmig_history");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM items"), "0");  // rolled back with its record
    EXPECT_EQ(db.scalar("SELECT count(*) FROM killed"), "0"); // so was the trigger's insert
    admin.exec("INSERT INTO killed VALUES (true)");
    (void)upgrade(set, "heads", options_for(db));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM items"), "1");
    EXPECT_THAT(version_rows(db), ElementsAre("b2"));
}

TEST(Commands, AStepStoppedBeforeItsFirstStatementCompletedRanNothing) {
    // A transaction-off downgrade fails (or its migrator is killed) in its first statement,
    // which commits with its record: nothing of it happened. The step is abandoned, not
    // interrupted: the database is still at b2 and every command may run.
    scoped_database db;
    auto set = make_set(
        "items",
        {{"1.sql", rev("a1", "", "CREATE TABLE items (id int);\nCREATE TABLE gate (open int);",
                       "DROP TABLE gate;\nDROP TABLE items;")},
         {"2.sql", rev("b2", "a1",
                       "INSERT INTO items VALUES (1);\n"
                       "CREATE INDEX CONCURRENTLY items_id_idx ON items (id);",
                       "DELETE FROM items WHERE id = (SELECT 1 / count(*) FROM gate);\n"
                       "DROP INDEX CONCURRENTLY items_id_idx;",
                       "-- pgmig:transaction off\n")}});
    (void)upgrade(set, "heads", options_for(db));
    EXPECT_THAT(error_of<database_error>([&] { (void)downgrade(set, "a1", options_for(db)); }),
                HasSubstr("division by zero"));
    EXPECT_THAT(version_rows(db), ElementsAre("b2"));
    {
        connection conn = db.connect();
        auto report = check_database(conn, set);
        EXPECT_EQ(report.condition, database_condition::up_to_date) << report.message;
        EXPECT_THAT(report.status.interrupted, IsEmpty());
    }
    EXPECT_TRUE(upgrade(set, "heads", options_for(db)).executed.steps.empty());
    (void)db.scalar("INSERT INTO gate VALUES (1) RETURNING open");
    EXPECT_EQ(downgrade(set, "a1", options_for(db)).executed.steps.size(), 1U);
    // The next migrator to hold the lock closed the abandoned step's row.
    EXPECT_EQ(db.scalar("SELECT string_agg(statements_done || ' ' || coalesce(note, '-'), ', ' "
                        "ORDER BY id) FROM pgmig_history WHERE direction = 'downgrade'"),
              "0 abandoned: stopped before its first statement completed, so nothing of it "
              "ran, 2 -");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM items"), "0");
    EXPECT_FALSE(table_exists(db, "items_id_idx"));
}

TEST(Commands, AnInterruptedIndexBuildIsRebuiltNotReportedApplied) {
    // A unique index built concurrently over duplicates fails half-way and leaves an invalid
    // index behind, as a killed build does. IF NOT EXISTS would then skip it.
    scoped_database db;
    auto set = make_set(
        "items",
        {{"1.sql", rev("a1", "", "CREATE TABLE items (id int);\nINSERT INTO items VALUES (1), (1);",
                       "DROP TABLE items;")},
         {"2.sql",
          rev("b2", "a1",
              "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_id_key ON items (id);",
              "DROP INDEX CONCURRENTLY IF EXISTS items_id_key;", "-- pgmig:transaction off\n")}});
    EXPECT_THROW((void)upgrade(set, "heads", options_for(db)), database_error);
    EXPECT_EQ(
        db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_id_key'::regclass"),
        "f");
    {
        connection conn = db.connect();
        auto report = check_database(conn, set);
        EXPECT_EQ(report.condition, database_condition::interrupted) << report.message;
        EXPECT_THAT(report.status.invalid_indexes, ElementsAre("items_id_key"));
    }
    (void)db.scalar("DELETE FROM items WHERE ctid = (SELECT max(ctid) FROM items)");
    std::vector<std::string> notes;
    command_options o = options_for(db);
    o.progress = collect_notes(notes);
    (void)upgrade(set, "heads", o);
    EXPECT_THAT(notes,
                ::testing::Contains(HasSubstr("left invalid; dropping it to build it again")));
    EXPECT_EQ(
        db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_id_key'::regclass"),
        "t");
    connection conn = db.connect();
    EXPECT_EQ(check_database(conn, set).condition, database_condition::up_to_date);
    // An invalid index from anywhere is reported by check.
    (void)db.scalar(
        "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'items_id_key'::regclass");
    auto report = check_database(conn, set);
    EXPECT_EQ(report.condition, database_condition::invalid_index);
    EXPECT_THAT(report.message, HasSubstr("items_id_key is not valid"));
}

TEST(Commands, ResumeIsRefusedWhenACompletedStatementChanged) {
    scoped_database db;
    auto base = rev("a1", "", "CREATE TABLE items (id int, name text);", "DROP TABLE items;");
    auto second = [](const std::string& first) {
        return rev("b2", "a1", first + "\nSELECT 1 / 0;", "SELECT 1;",
                   "-- pgmig:transaction off\n");
    };
    auto v1 =
        make_set("items", {{"1.sql", base}, {"2.sql", second("CREATE INDEX i1 ON items (id);")}});
    auto v2 =
        make_set("items", {{"1.sql", base}, {"2.sql", second("CREATE INDEX i2 ON items (id);")}});
    (void)error_of<database_error>([&] { (void)upgrade(v1, "heads", options_for(db)); });
    EXPECT_THAT(error_of<state_error>([&] { (void)upgrade(v2, "heads", options_for(db)); }),
                HasSubstr("statement 1 has changed since it ran"));
}

TEST(Commands, ChecksumDriftIsRefusedUntilAccepted) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "b2", options_for(db));
    auto edited_files = linear_files();
    edited_files[0].second += "-- a comment added after the fact\n";
    auto edited = make_set("items", edited_files);
    auto message = error_of<state_error>([&] { (void)upgrade(edited, "heads", options_for(db)); });
    EXPECT_THAT(message, HasSubstr("revision a1 (m/0001_a.sql) changed after it was applied"));
    EXPECT_THAT(message, HasSubstr("accept-checksum a1"));
    EXPECT_THAT(version_rows(db), ElementsAre("b2"));

    EXPECT_THAT(accept_checksums(edited, {"a1"}, options_for(db)), ElementsAre("a1"));
    EXPECT_THAT(db.scalar("SELECT note FROM pgmig_history WHERE direction = 'accept'"),
                HasSubstr(set.graph().find("a1")->checksum));
    EXPECT_EQ(upgrade(edited, "heads", options_for(db)).executed.steps.size(), 1U);
    // Accepting a revision that did not change is an error, not a silent no-op.
    EXPECT_THAT(
        error_of<state_error>([&] { (void)accept_checksums(edited, {"b2"}, options_for(db)); }),
        HasSubstr("no changed checksum to accept"));
}

TEST(Commands, LineEndingChangesAreNotDrift) {
    scoped_database db;
    (void)upgrade(make_set("items", linear_files()), "heads", options_for(db));
    auto crlf = linear_files();
    for (auto& [name, text] : crlf) {
        std::string converted;
        for (char c : text) {
            converted += c == '\n' ? std::string("\r\n") : std::string(1, c);
        }
        text = "\xEF\xBB\xBF" + converted;
    }
    EXPECT_TRUE(upgrade(make_set("items", crlf), "heads", options_for(db)).executed.empty());
}

TEST(Commands, RevisionsOfANewerBuildAreReportedAndDowngradedFromStoredSql) {
    scoped_database db;
    auto newer_files = linear_files();
    newer_files.emplace_back("m/0004_d.sql",
                             rev("d4", "c3", "CREATE TABLE tags (id int);", "DROP TABLE tags;"));
    (void)upgrade(make_set("items", newer_files), "heads", options_for(db));
    auto older = make_set("items", linear_files());

    connection conn = db.connect();
    startup_report report = check_database(conn, older);
    EXPECT_EQ(report.condition, database_condition::ahead);
    EXPECT_THAT(report.status.unknown, ElementsAre("d4"));
    EXPECT_THAT(error_of<state_error>([&] { (void)upgrade(older, "heads", options_for(db)); }),
                HasSubstr("revision d4 applied, which this build does not know"));

    // Running SQL that is not in the build is the user's explicit choice, made with the SQL
    // in view.
    EXPECT_THAT(error_of<state_error>([&] { (void)downgrade(older, "c3", options_for(db)); }),
                HasSubstr("stored for it:\n  DROP TABLE tags;\nreview it, then downgrade with "
                          "--run-stored-sql"));
    EXPECT_TRUE(table_exists(db, "tags"));
    std::vector<std::string> notes;
    command_options o = options_for(db);
    o.progress = collect_notes(notes);
    o.run_stored_sql = true;
    migrate_result r = downgrade(older, "c3", o);
    ASSERT_EQ(r.executed.steps.size(), 1U);
    EXPECT_EQ(r.executed.steps[0].rev->id, "d4");
    EXPECT_THAT(notes, ElementsAre(HasSubstr("downgrading it with the SQL stored in the history "
                                             "table:\n  DROP TABLE tags;")));
    EXPECT_FALSE(table_exists(db, "tags"));
    EXPECT_THAT(version_rows(db), ElementsAre("c3"));
    EXPECT_THAT(
        db.scalar(
            "SELECT note FROM pgmig_history WHERE revision = 'd4' AND direction = 'downgrade'"),
        HasSubstr("stored in this history table"));
    EXPECT_EQ(check_database(conn, older).condition, database_condition::up_to_date);
}

TEST(Commands, ForgedOrEditedStoredSqlIsNeverRunWithoutBeingAskedAndChecked) {
    // Whoever can write the history table can put SQL there; the migrator must not run it
    // unasked, nor run stored SQL that was edited after it was stored.
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "heads", options_for(db));
    (void)db.scalar(
        "INSERT INTO pgmig_history (set_name, revision, direction, revises, downgrade_sql, "
        "tool_version, finished_at) VALUES ('items', 'evil', 'upgrade', '{c3}', "
        "'{\"CREATE TABLE pwned (id int)\"}', 'x', now()); "
        "UPDATE pgmig_version SET version_num = 'evil' WHERE set_name = 'items'; SELECT 1");
    auto refused = error_of<state_error>([&] { (void)downgrade(set, "-1", options_for(db)); });
    EXPECT_THAT(refused, HasSubstr("CREATE TABLE pwned (id int);"));
    EXPECT_THAT(refused, HasSubstr("stored without a checksum"));
    EXPECT_FALSE(table_exists(db, "pwned"));

    // A stored text edited after it was stored does not match its checksum: refused, flag or not.
    (void)db.scalar("UPDATE pgmig_version SET version_num = 'c3' WHERE set_name = 'items'; "
                    "DELETE FROM pgmig_history WHERE revision = 'evil'; SELECT 1");
    auto newer_files = linear_files();
    newer_files.emplace_back("m/0004_d.sql",
                             rev("d4", "c3", "CREATE TABLE tags (id int);", "DROP TABLE tags;"));
    (void)upgrade(make_set("items", newer_files), "heads", options_for(db));
    (void)db.scalar("UPDATE pgmig_history SET downgrade_sql = '{\"CREATE TABLE pwned (id int)\"}' "
                    "WHERE revision = 'd4'; SELECT 1");
    command_options o = options_for(db);
    o.run_stored_sql = true;
    EXPECT_THAT(error_of<graph_error>([&] { (void)downgrade(set, "-1", o); }),
                HasSubstr("does not match the checksum recorded with it"));
    EXPECT_FALSE(table_exists(db, "pwned"));
}

TEST(Commands, StampingTheRevisionTheDatabaseIsAtChangesNothing) {
    // The rows a stamp keeps are neither deleted nor inserted: one statement doing both could
    // meet its own row still there (found by bench/chaos.sh).
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "heads", options_for(db));
    for (int i = 0; i < 20; ++i) {
        migrate_result r = stamp(set, "heads", options_for(db));
        ASSERT_THAT(r.rows_after, ElementsAre("c3"));
    }
    EXPECT_THAT(version_rows(db), ElementsAre("c3"));
    connection conn = db.connect();
    EXPECT_EQ(check_database(conn, set).condition, database_condition::up_to_date);
}

TEST(Commands, AStampHoldsTheStepGuardLikeARevision) {
    // A killed migrator's lock goes with its session, but its last statement may still run on
    // the server; the next migrator waits for it through the step guard, which a stamp must
    // hold too (bench/chaos.sh found two stamps writing the same row).
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "heads", options_for(db));
    (void)db.scalar(
        "CREATE TABLE guard_seen (held boolean);\n"
        "CREATE FUNCTION note_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n"
        "  INSERT INTO guard_seen SELECT count(*) > 0 FROM pg_locks\n"
        "    WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted\n"
        "      AND objid::bigint = (hashtext('\"public\".\"pgmig_version\":step')::bigint\n"
        "                           & 4294967295);\n"
        "  RETURN NULL;\n"
        "END $$;\n"
        "CREATE TRIGGER note_guard AFTER INSERT ON pgmig_history\n"
        "  FOR EACH STATEMENT EXECUTE FUNCTION note_guard(); SELECT 1");
    (void)stamp(set, "b2", options_for(db));
    EXPECT_EQ(db.scalar("SELECT bool_and(held) FROM guard_seen"), "t");
}

TEST(Commands, AnUnrecordedRevisionNeedsAStampWithPurge) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "heads", options_for(db));
    db.connect().exec("UPDATE pgmig_version SET version_num = 'ffff0000'");
    connection conn = db.connect();
    EXPECT_EQ(check_database(conn, set).condition, database_condition::unknown_revision);
    EXPECT_THAT(error_of<state_error>([&] { (void)upgrade(set, "heads", options_for(db)); }),
                HasSubstr("stamp --purge"));
    (void)stamp(set, "c3", options_for(db), true);
    EXPECT_THAT(version_rows(db), ElementsAre("c3"));
    EXPECT_EQ(check_database(conn, set).condition, database_condition::up_to_date);
}

TEST(Commands, StampRecordsWithoutRunning) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    migrate_result r = stamp(set, "heads", options_for(db));
    EXPECT_THAT(r.rows_after, ElementsAre("c3"));
    EXPECT_FALSE(table_exists(db, "items"));
    EXPECT_EQ(
        db.scalar(
            "SELECT string_agg(revision || ':' || direction, ',' ORDER BY id) FROM pgmig_history"),
        "a1:stamp,b2:stamp,c3:stamp");
    (void)stamp(set, "a1", options_for(db));
    EXPECT_THAT(version_rows(db), ElementsAre("a1"));
    EXPECT_EQ(db.scalar("SELECT string_agg(revision, ',' ORDER BY revision) FROM pgmig_history "
                        "WHERE direction = 'unstamp'"),
              "b2,c3");
}

TEST(Commands, AnotherMigratorsLockTimesOutNamingItsPid) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    connection holder = db.connect();
    holder.exec("SELECT pg_advisory_lock(1885826407, hashtext($1))",
                {"\"public\".\"pgmig_version\""});
    command_options o = options_for(db);
    o.lock_timeout = std::chrono::milliseconds(200);
    auto message = error_of<lock_error>([&] { (void)upgrade(set, "heads", o); });
    EXPECT_THAT(message, HasSubstr(fmt::format("pid {}", holder.backend_pid())));
    EXPECT_THAT(message, HasSubstr("gave up after waiting 200 ms"));
    EXPECT_FALSE(table_exists(db, "items"));
}

TEST(Commands, ConcurrentMigratorsApplyEachRevisionOnce) {
    scoped_database db;
    auto files = linear_files();
    files[1].second =
        rev("b2", "a1", "ALTER TABLE items ADD COLUMN price numeric;\nSELECT pg_sleep(0.3);",
            "ALTER TABLE items DROP COLUMN price;");
    auto set = make_set("items", files);
    std::vector<std::string> failures;
    std::mutex m;
    auto migrate = [&] {
        try {
            (void)upgrade(set, "heads", options_for(db));
        } catch (const std::exception& e) {
            std::lock_guard lock(m);
            failures.emplace_back(e.what());
        }
    };
    std::thread first(migrate);
    std::thread second(migrate);
    first.join();
    second.join();
    EXPECT_THAT(failures, IsEmpty());
    EXPECT_THAT(version_rows(db), ElementsAre("c3"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pgmig_history"), "3");
}

namespace {

/// A set whose second revision, run outside a transaction, sleeps and then builds an index
/// concurrently: the shape that made a waiting migrator stall the holder.
revision_set slow_index_set() {
    return make_set(
        "items",
        {
            {"1.sql", rev("a1", "",
                          "CREATE TABLE items (id int);\n"
                          "INSERT INTO items SELECT generate_series(1, 1000);",
                          "DROP TABLE items;")},
            {"2.sql", rev("b2", "a1",
                          "SELECT pg_sleep(1.5);\n"
                          "CREATE INDEX CONCURRENTLY items_id_idx ON items (id);",
                          "DROP INDEX CONCURRENTLY items_id_idx;", "-- pgmig:transaction off\n")},
        });
}

/// Runs `fn` on a thread of its own; the error text it threw, or "".
std::thread in_background(std::function<void()> fn, std::string& failure) {
    return std::thread([fn = std::move(fn), &failure] {
        try {
            fn();
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
}

} // namespace

TEST(Commands, AMigratorWaitingForTheLockDoesNotStallTheHoldersIndexBuild) {
    // A waiter that held a snapshot while it waited would make CREATE INDEX CONCURRENTLY wait
    // for it, and it for the lock: both stuck until the waiter gave up.
    scoped_database db;
    auto set = slow_index_set();
    command_options o = options_for(db);
    o.lock_timeout = std::chrono::milliseconds(20000);
    std::string first_failure;
    std::string second_failure;
    std::thread first = in_background([&] { (void)upgrade(set, "heads", o); }, first_failure);
    ASSERT_TRUE(wait_until(db, "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' "
                               "AND database = (SELECT oid FROM pg_database "
                               "WHERE datname = current_database())"));
    migrate_result second;
    std::thread waiter = in_background([&] { second = upgrade(set, "heads", o); }, second_failure);
    first.join();
    waiter.join();
    EXPECT_EQ(first_failure, "");
    EXPECT_EQ(second_failure, "");
    EXPECT_TRUE(second.executed.empty()); // the first did everything
    EXPECT_EQ(
        db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_id_idx'::regclass"),
        "t");
}

TEST(Commands, ALiveRunIsWaitedForNotCalledInterrupted) {
    scoped_database db;
    auto set = slow_index_set();
    (void)upgrade(set, "a1", options_for(db));
    std::string failure;
    std::thread first =
        in_background([&] { (void)upgrade(set, "heads", options_for(db)); }, failure);
    ASSERT_TRUE(wait_until(db, "SELECT count(*) = 1 FROM pgmig_history WHERE finished_at IS NULL"));
    {
        connection conn = db.connect();
        auto report = check_database(conn, set);
        EXPECT_EQ(report.condition, database_condition::in_progress) << report.message;
        EXPECT_THAT(report.message, HasSubstr("being applied"));
        EXPECT_THAT(report.message, Not(HasSubstr("interrupted")));
    }
    command_options o = options_for(db);
    o.lock_timeout = std::chrono::milliseconds(20000);
    EXPECT_TRUE(upgrade(set, "heads", o).executed.empty()); // waited, then nothing left to do
    first.join();
    EXPECT_EQ(failure, "");
    EXPECT_THAT(version_rows(db), ElementsAre("b2"));
}

TEST(Commands, ConcurrentIndexBuildsDoNotWaitForTheLock) {
    scoped_database db;
    auto set = make_set(
        "items",
        {
            {"1.sql", rev("a1", "", "CREATE TABLE items (id int);", "DROP TABLE items;")},
            {"2.sql", rev("b2", "a1", "CREATE INDEX CONCURRENTLY items_id_idx ON items (id);",
                          "DROP INDEX CONCURRENTLY items_id_idx;", "-- pgmig:transaction off\n")},
        });
    command_options o = options_for(db);
    o.lock_timeout = std::chrono::milliseconds(2000);
    auto start = std::chrono::steady_clock::now();
    (void)upgrade(set, "heads", o);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    EXPECT_TRUE(table_exists(db, "items_id_idx"));
}

TEST(Commands, RevisionLockTimeoutStopsAMigrationQueuedBehindALockAfterItsRetries) {
    scoped_database db;
    set_settings settings;
    settings.lock_retries = 1;
    auto set = make_set(
        "items",
        {
            {"1.sql", rev("a1", "", "CREATE TABLE items (id int);", "DROP TABLE items;")},
            {"2.sql", rev("b2", "a1", "ALTER TABLE items ADD COLUMN name text;",
                          "ALTER TABLE items DROP COLUMN name;", "-- pgmig:lock-timeout 100ms\n")},
        },
        settings);
    (void)upgrade(set, "a1", options_for(db));
    connection reader = db.connect();
    reader.exec("BEGIN; SELECT * FROM items;"); // holds ACCESS SHARE until the end
    std::vector<std::string> notes;
    command_options o = options_for(db);
    o.progress = collect_notes(notes);
    auto message = error_of<database_error>([&] { (void)upgrade(set, "heads", o); });
    EXPECT_THAT(message, HasSubstr("2.sql:7: error: upgrade b2"));
    EXPECT_THAT(message, HasSubstr("55P03"));
    EXPECT_THAT(message, HasSubstr("tried 2 times"));
    EXPECT_THAT(notes, ElementsAre(::testing::MatchesRegex(
                           "upgrade b2 waited longer than its lock timeout .*; retry 1 of 1 in "
                           "[0-9.]+ s")));
    reader.exec("ROLLBACK");
    EXPECT_THAT(version_rows(db), ElementsAre("a1"));
    EXPECT_FALSE(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                           "'items' AND column_name = 'name'") == "1");
}

TEST(Commands, ATransactionalRevisionRetriesUntilTheLockIsFree) {
    scoped_database db;
    // No lock timeout of its own nor of the set: transactional revisions get a short one.
    auto set = make_set(
        "items", {
                     {"1.sql", rev("a1", "", "CREATE TABLE items (id int);", "DROP TABLE items;")},
                     {"2.sql", rev("b2", "a1", "ALTER TABLE items ADD COLUMN name text;",
                                   "ALTER TABLE items DROP COLUMN name;")},
                 });
    (void)upgrade(set, "a1", options_for(db));
    connection reader = db.connect();
    reader.exec("BEGIN; SELECT * FROM items;");
    // Traffic that arrives while the migration waits is not queued for longer than the
    // timeout: a second reader gets through while the first still holds its lock.
    std::string late_reader = "not run";
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));
        try {
            connection late = db.connect();
            late.exec("SET lock_timeout = '1s'");
            late.exec("SELECT count(*) FROM items"); // fails queued behind a waiting ALTER
            late_reader = "read";
        } catch (const error& e) {
            late_reader = e.what();
        }
        reader.exec("ROLLBACK");
    });
    std::vector<std::string> notes;
    command_options o = options_for(db);
    o.progress = collect_notes(notes);
    auto start = std::chrono::steady_clock::now();
    (void)upgrade(set, "heads", o);
    release.join();
    EXPECT_EQ(late_reader, "read");
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
    ASSERT_FALSE(notes.empty());
    EXPECT_THAT(notes.front(), HasSubstr("upgrade b2 waited longer than its lock timeout"));
    EXPECT_THAT(notes.front(), HasSubstr("retry 1 of 3"));
    EXPECT_THAT(version_rows(db), ElementsAre("b2"));
}

TEST(Commands, SetWideStatementTimeoutApplies) {
    scoped_database db;
    set_settings settings;
    settings.statement_timeout = "100ms";
    auto set =
        make_set("slow", {{"1.sql", rev("a1", "", "SELECT pg_sleep(2);", "SELECT 1;")}}, settings);
    auto message = error_of<database_error>([&] { (void)upgrade(set, "heads", options_for(db)); });
    EXPECT_THAT(message, HasSubstr("statement timeout"));
}

TEST(Commands, ProductionGuardRefusesWritesOnly) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    command_options guarded = options_for(db);
    guarded.guard = {.production = true, .confirmed = false, .name = "ENVIRONMENT=production"};
    EXPECT_THAT(error_of<guard_error>([&] { (void)upgrade(set, "heads", guarded); }),
                HasSubstr("ENVIRONMENT=production: refusing to upgrade without "
                          "CONFIRM_PRODUCTION_MIGRATION=true"));
    EXPECT_THAT(error_of<guard_error>([&] { (void)stamp(set, "heads", guarded); }),
                HasSubstr("refusing to stamp"));
    EXPECT_FALSE(table_exists(db, "pgmig_version"));
    EXPECT_TRUE(upgrade(set, "base", guarded).executed.empty()); // nothing to write
    guarded.guard.confirmed = true;
    EXPECT_EQ(upgrade(set, "heads", guarded).executed.steps.size(), 3U);
}

TEST(Commands, ProductionGuardComesFromTheEnvironmentOnlyWhenAsked) {
    setenv("ENVIRONMENT", "Prod", 1);
    unsetenv("CONFIRM_PRODUCTION_MIGRATION");
    production_guard guard = production_guard::from_environment();
    EXPECT_TRUE(guard.production);
    EXPECT_FALSE(guard.confirmed);
    EXPECT_THROW(guard.check("upgrade"), guard_error);
    setenv("CONFIRM_PRODUCTION_MIGRATION", "true", 1);
    EXPECT_NO_THROW(production_guard::from_environment().check("upgrade"));
    // The runtime itself never reads the environment: an application decides.
    scoped_database db;
    unsetenv("CONFIRM_PRODUCTION_MIGRATION");
    EXPECT_EQ(
        upgrade(make_set("items", linear_files()), "heads", options_for(db)).executed.steps.size(),
        3U);
    unsetenv("ENVIRONMENT");
}

TEST(Commands, SetsSharingTheStateTablesNeverTouchEachOthersRevisions) {
    scoped_database db;
    auto a = make_set("set_a", linear_files());
    auto b = make_set(
        "set_b", {{"b/1.sql", rev("f1", "", "CREATE TABLE other (id int);", "DROP TABLE other;")}});
    (void)upgrade(a, "heads", options_for(db));
    // B sees only its own rows: nothing of A's is "applied by a newer build".
    {
        connection conn = db.connect();
        auto report = check_database(conn, b);
        EXPECT_EQ(report.condition, database_condition::behind) << report.message;
        EXPECT_THAT(report.status.rows, IsEmpty());
    }
    EXPECT_EQ(upgrade(b, "heads", options_for(db)).executed.steps.size(), 1U);
    // B's downgrade reverts B's revision, never A's.
    EXPECT_EQ(downgrade(b, "-1", options_for(db)).executed.steps.size(), 1U);
    EXPECT_THROW((void)downgrade(b, "-1", options_for(db)), graph_error); // nothing left of B
    EXPECT_TRUE(table_exists(db, "items"));
    EXPECT_FALSE(table_exists(db, "other"));
    EXPECT_EQ(
        db.scalar("SELECT string_agg(set_name || ':' || version_num, ',') FROM pgmig_version"),
        "set_a:c3");
    connection conn = db.connect();
    EXPECT_EQ(check_database(conn, a).condition, database_condition::up_to_date);
    EXPECT_THAT(read_log(b, 10, options_for(db)).front().revision, "f1");
    EXPECT_EQ(read_log(a, 10, options_for(db)).size(), 3U);
}

TEST(Commands, TablesOfAnOlderPgmigAreUpgradedAndTheSetClaimsItsRows) {
    // State tables as pgmig 0.1.0 wrote them: no set_name. Reading works as before; the first
    // write records the set's name on the rows of revisions it knows.
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "b2", options_for(db));
    (void)db.scalar("ALTER TABLE pgmig_version DROP CONSTRAINT pgmig_version_pkey; "
                    "ALTER TABLE pgmig_version DROP COLUMN set_name; "
                    "ALTER TABLE pgmig_version ADD PRIMARY KEY (version_num); "
                    "ALTER TABLE pgmig_history DROP COLUMN set_name; "
                    "INSERT INTO pgmig_version VALUES ('zz'); SELECT 1");
    {
        connection conn = db.connect();
        auto report = check_database(conn, set);
        EXPECT_THAT(report.status.rows, ElementsAre("b2", "zz")); // every row, as 0.1.0 read them
    }
    (void)db.scalar("DELETE FROM pgmig_version WHERE version_num = 'zz'");
    EXPECT_EQ(upgrade(set, "heads", options_for(db)).executed.steps.size(), 1U);
    EXPECT_EQ(
        db.scalar("SELECT string_agg(set_name || ':' || version_num, ',') FROM pgmig_version"),
        "items:c3");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pgmig_history WHERE set_name = 'items'"), "3");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM information_schema.role_table_grants "
                        "WHERE grantee = 'PUBLIC' AND table_name LIKE 'pgmig_%'"),
              "0");
}

TEST(Commands, SafetyAssuredReasonsAreKeptInTheHistoryAddedToAnOlderTable) {
    scoped_database db;
    auto files = linear_files();
    files[2].second = rev("c3", "b2", "TRUNCATE items;\nINSERT INTO items VALUES (1, 'one', 1.5);",
                          "DELETE FROM items WHERE id = 1;",
                          "-- pgmig:safety-assured truncate items holds test rows only\n");
    auto set = make_set("items", files);
    (void)upgrade(set, "b2", options_for(db));
    // A history table as an older pgmig made it: reads work without the column, and the next
    // write adds it before recording the revision's reasons.
    (void)db.scalar("ALTER TABLE pgmig_history DROP COLUMN safety_assured; SELECT 1");
    {
        connection conn = db.connect();
        EXPECT_EQ(check_database(conn, set).condition, database_condition::behind);
    }
    EXPECT_EQ(upgrade(set, "heads", options_for(db)).executed.steps.size(), 1U);
    EXPECT_EQ(db.scalar("SELECT string_agg(revision || '=' || safety_assured::text, ' ' "
                        "ORDER BY id) FROM pgmig_history WHERE direction = 'upgrade'"),
              "a1={} b2={} c3={\"truncate: items holds test rows only\"}");
    // Stamping records them too.
    (void)downgrade(set, "b2", options_for(db));
    (void)stamp(set, "c3", options_for(db));
    EXPECT_EQ(db.scalar("SELECT safety_assured::text FROM pgmig_history WHERE direction = 'stamp' "
                        "AND revision = 'c3'"),
              "{\"truncate: items holds test rows only\"}");
}

TEST(Commands, TablesLiveInTheConfiguredSchemaWithQuotedNames) {
    scoped_database db;
    set_settings settings;
    settings.schema = "Migration State";
    settings.version_table = "version \"table\"";
    settings.history_table = "history";
    auto set = make_set("items", linear_files(), settings);
    (void)upgrade(set, "heads", options_for(db));
    EXPECT_EQ(db.scalar("SELECT version_num FROM \"Migration State\".\"version \"\"table\"\"\""),
              "c3");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM \"Migration State\".history"), "3");
    EXPECT_FALSE(table_exists(db, "public.pgmig_version"));
}

TEST(Commands, ARoleThatOwnsItsSchemaButCannotCreateSchemasMigrates) {
    // The schema exists and belongs to the migrating role, which has no CREATE on the
    // database: pgmig must not ask for a privilege it does not need.
    scoped_database db;
    const std::string role = "owner_" + db.name().substr(db.name().size() - 8);
    connection admin = db.connect();
    admin.exec(fmt::format("CREATE ROLE {} LOGIN", role));
    admin.exec(fmt::format("CREATE SCHEMA app AUTHORIZATION {}", role));
    admin.exec(fmt::format("REVOKE CREATE ON DATABASE {} FROM PUBLIC", db.name()));
    admin.exec(fmt::format("REVOKE ALL ON SCHEMA public FROM PUBLIC"));
    set_settings settings;
    settings.schema = "app";
    auto set = make_set(
        "items",
        {{"1.sql", rev("a1", "", "CREATE TABLE app.items (id int);", "DROP TABLE app.items;")}},
        settings);
    command_options o = options_for(db);
    o.url = db.url() + " user=" + role;
    EXPECT_EQ(upgrade(set, "heads", o).executed.steps.size(), 1U);
    EXPECT_EQ(db.scalar("SELECT version_num FROM app.pgmig_version"), "a1");
    // The offline script takes the same care.
    EXPECT_THAT(render_sql(set, direction::upgrade, "heads", false),
                HasSubstr("IF to_regnamespace('\"app\"') IS NULL"));
    admin.exec(fmt::format("DROP SCHEMA app CASCADE; DROP OWNED BY {}; DROP ROLE {}", role, role));
}

TEST(Commands, ManyStatementsInOneRevisionPipelineInChunks) {
    scoped_database db;
    std::string up = "CREATE TABLE numbers (n int);\n";
    for (int i = 0; i < 300; ++i) {
        up += fmt::format("INSERT INTO numbers VALUES ({});\n", i);
    }
    auto good = make_set("n", {{"1.sql", rev("a1", "", up, "DROP TABLE numbers;")}});
    (void)upgrade(good, "heads", options_for(db));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM numbers"), "300");
    (void)downgrade(good, "base", options_for(db));

    std::string bad = up + "INSERT INTO numbers VALUES ('x');\n" + up;
    auto broken = make_set("n", {{"1.sql", rev("a1", "", bad, "DROP TABLE numbers;")}});
    auto message =
        error_of<database_error>([&] { (void)upgrade(broken, "heads", options_for(db)); });
    EXPECT_THAT(message, HasSubstr("1.sql:306: error: upgrade a1"));
    EXPECT_FALSE(table_exists(db, "numbers"));
}

TEST(Commands, RenderedSqlAppliedWithPsqlMatchesAnOnlineUpgrade) {
    scoped_database online;
    scoped_database offline;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "heads", options_for(online));
    auto path = std::filesystem::temp_directory_path() / (offline.name() + ".sql");
    std::ofstream(path) << render_sql(set, direction::upgrade, "heads", false);
    auto psql = run(
        {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", offline.url(), "-f", path.string()});
    ASSERT_EQ(psql.status, 0) << psql.err;
    auto schema = [](const scoped_database& db) {
        return db.scalar(
                   "SELECT string_agg(table_name || '.' || column_name || ':' || data_type || "
                   "':' || is_nullable, ',' ORDER BY table_name, column_name) "
                   "FROM information_schema.columns WHERE table_schema = 'public'") +
               db.scalar("SELECT string_agg(indexdef, ',' ORDER BY indexdef) FROM pg_indexes "
                         "WHERE schemaname = 'public'");
    };
    EXPECT_EQ(schema(offline), schema(online));
    EXPECT_THAT(version_rows(offline), ElementsAre("c3"));
    EXPECT_EQ(
        offline.scalar(
            "SELECT string_agg(revision || ':' || checksum, ',' ORDER BY id) FROM pgmig_history"),
        online.scalar(
            "SELECT string_agg(revision || ':' || checksum, ',' ORDER BY id) FROM pgmig_history"));
    // The database the script built is one pgmig accepts as up to date.
    connection conn = offline.connect();
    EXPECT_EQ(check_database(conn, set).condition, database_condition::up_to_date);

    // A downgrade range, too.
    std::ofstream(path) << render_sql(set, direction::downgrade, "c3:a1", false);
    psql = run(
        {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", offline.url(), "-f", path.string()});
    ASSERT_EQ(psql.status, 0) << psql.err;
    EXPECT_THAT(version_rows(offline), ElementsAre("a1"));
    std::filesystem::remove(path);
}

namespace {

std::string expected_digest(const revision_set& set, const std::vector<std::string>& rows) {
    std::vector<const revision*> applied;
    for (const auto& id : set.graph().applied(rows)) {
        applied.push_back(set.graph().find(id));
    }
    return fmt::format("{:016x}", applied_digest(applied));
}

} // namespace

TEST(Commands, EveryWriteKeepsTheAppliedDigestOnTheVersionRows) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    auto digest = [&] {
        return db.scalar(
            "SELECT applied_digest FROM pgmig_history WHERE applied_digest IS NOT NULL "
            "ORDER BY id DESC LIMIT 1");
    };
    (void)upgrade(set, "heads", options_for(db));
    EXPECT_EQ(digest(), expected_digest(set, {"c3"}));
    (void)downgrade(set, "a1", options_for(db));
    EXPECT_EQ(digest(), expected_digest(set, {"a1"}));
    (void)stamp(set, "b2", options_for(db));
    EXPECT_EQ(digest(), expected_digest(set, {"b2"}));
    (void)stamp(set, "a1", options_for(db)); // b2 never ran: put the record right again
    EXPECT_EQ(digest(), expected_digest(set, {"a1"}));
    command_options single = options_for(db);
    single.single_transaction = true;
    (void)upgrade(set, "heads", single);
    EXPECT_EQ(digest(), expected_digest(set, {"c3"}));
}

TEST(Commands, UpToDateCheckNeedsNoHistoryWhenTheDigestMatches) {
    scoped_database db;
    auto set = make_set("items", linear_files());
    (void)upgrade(set, "heads", options_for(db));
    // Only the newest row is needed: the checksums recorded by the others are not read.
    db.connect().exec("UPDATE pgmig_history SET checksum = 'sha256:tampered' "
                      "WHERE id < (SELECT max(id) FROM pgmig_history)");
    connection conn = db.connect();
    EXPECT_TRUE(check_database(conn, set).ok());
    // Without a digest, the check falls back to the recorded checksums, and believes them.
    db.connect().exec("UPDATE pgmig_history SET applied_digest = NULL");
    EXPECT_EQ(check_database(conn, set).condition, database_condition::checksum_drift);
}

TEST(Commands, AcceptingOneOfTwoChangesLeavesTheOtherAsDrift) {
    scoped_database db;
    (void)upgrade(make_set("items", linear_files()), "heads", options_for(db));
    auto edited_files = linear_files();
    edited_files[0].second += "-- one\n";
    edited_files[2].second += "-- three\n";
    auto edited = make_set("items", edited_files);
    EXPECT_THAT(accept_checksums(edited, {"c3"}, options_for(db)), ElementsAre("c3"));
    connection conn = db.connect();
    auto report = check_database(conn, edited);
    ASSERT_EQ(report.condition, database_condition::checksum_drift);
    ASSERT_EQ(report.status.drifted.size(), 1U);
    EXPECT_EQ(report.status.drifted[0].id, "a1");
    EXPECT_THAT(accept_checksums(edited, {"all"}, options_for(db)), ElementsAre("a1"));
    EXPECT_TRUE(check_database(conn, edited).ok());
    EXPECT_EQ(db.scalar("SELECT applied_digest FROM pgmig_history WHERE applied_digest IS NOT NULL "
                        "ORDER BY id DESC LIMIT 1"),
              expected_digest(edited, {"c3"}));
}
