// The stairway's incremental snapshots: after any run of DDL, the tracker's picture of the
// schema must be exactly what a full snapshot reads, and a checkpoint must show what changed.

#include "snapshot_tracker.hpp"
#include "support.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::test;
using pgmig::testing::snapshot_tracker;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

// A full read, less the tracker's own log.
std::vector<std::string> full_read(connection& conn) {
    return take_snapshot(conn, {.exclude_schemas = {snapshot_tracker::log_schema}}).lines;
}

// A schema touched in every way the tracker maps to units: tables with their parts,
// other tables' foreign keys, views on them, functions, types, comments, privileges.
std::vector<std::string> ddl_steps(int tables) {
    std::vector<std::string> steps = {
        "CREATE TYPE mood AS ENUM ('ok', 'meh')",
        "CREATE FUNCTION twice(i int) RETURNS int LANGUAGE sql IMMUTABLE RETURN i * 2",
    };
    for (int i = 0; i < tables; ++i) {
        steps.push_back(fmt::format(
            "CREATE TABLE t{0} (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'x', m mood)",
            i));
        steps.push_back(fmt::format("CREATE INDEX t{0}_name_idx ON t{0} (name)", i));
        if (i > 0) {
            steps.push_back(fmt::format(
                "ALTER TABLE t{0} ADD COLUMN parent bigint REFERENCES t{1} (id) ON DELETE CASCADE",
                i, i - 1));
        }
    }
    steps.insert(steps.end(), {
                                  "CREATE VIEW v0 AS SELECT id, twice(id::int) AS d FROM t0",
                                  "COMMENT ON TABLE t1 IS 'second'",
                                  "COMMENT ON INDEX t2_name_idx IS 'by name'",
                                  "GRANT SELECT ON t3 TO PUBLIC",
                                  "ALTER TYPE mood ADD VALUE 'great'",
                                  "ALTER TABLE t4 ALTER COLUMN name DROP DEFAULT",
                                  "ALTER TABLE t5 RENAME TO t5_renamed",
                                  "DROP INDEX t6_name_idx",
                                  "DROP TABLE t0 CASCADE", // takes v0 and t1's foreign key with it
                                  "ALTER TABLE t7 ADD CONSTRAINT t7_name_check CHECK (name <> '')",
                                  "CREATE OR REPLACE FUNCTION twice(i int) RETURNS int LANGUAGE "
                                  "sql IMMUTABLE RETURN i + i",
                              });
    return steps;
}

TEST(SnapshotTracker, IncrementalSnapshotsMatchAFullReadAfterEveryStep) {
    scoped_database db;
    connection ddl = db.connect();
    connection own = db.connect();
    snapshot_tracker tracker(own, {});
    ASSERT_TRUE(tracker.install_triggers()) << "the test server's user is a superuser";
    tracker.load();
    int step = 0;
    // 40 tables: far past the sizes at which the tracker plans its statements again.
    for (const auto& sql : ddl_steps(40)) {
        ddl.exec(sql);
        tracker.refresh();
        ASSERT_EQ(tracker.snapshot().lines, full_read(ddl)) << "after step " << step << ": " << sql;
        ++step;
    }
    EXPECT_TRUE(tracker.incremental());
}

TEST(SnapshotTracker, ChangesSinceACheckpointAreWhatAnUndoLeftBehind) {
    scoped_database db;
    connection ddl = db.connect();
    connection own = db.connect();
    ddl.exec("CREATE TABLE users (id bigint PRIMARY KEY, email text)");
    snapshot_tracker tracker(own, {});
    ASSERT_TRUE(tracker.install_triggers());
    tracker.load();

    int before = tracker.checkpoint();
    ddl.exec("CREATE UNIQUE INDEX users_email_idx ON users (email); ALTER TABLE users ADD COLUMN "
             "name text");
    tracker.refresh();
    ddl.exec("ALTER TABLE users DROP COLUMN name"); // an "undo" that forgets the index
    tracker.refresh();
    snapshot_diff left = tracker.changes_since(before);
    EXPECT_THAT(left.removed, IsEmpty());
    ASSERT_EQ(left.added.size(), 1U) << left.text();
    EXPECT_THAT(left.added[0], HasSubstr("index public.users_email_idx: CREATE UNIQUE INDEX"));

    ddl.exec("DROP INDEX users_email_idx");
    tracker.refresh();
    EXPECT_TRUE(tracker.changes_since(before).empty()) << tracker.changes_since(before).text();
    tracker.release(before);
}

TEST(SnapshotTracker, DroppedAndRecreatedObjectsCompareByWhatTheyAre) {
    scoped_database db;
    connection ddl = db.connect();
    connection own = db.connect();
    ddl.exec("CREATE TABLE items (id int PRIMARY KEY, price numeric(10,2) NOT NULL)");
    snapshot_tracker tracker(own, {});
    ASSERT_TRUE(tracker.install_triggers());
    tracker.load();
    int before = tracker.checkpoint();
    // A new OID, the same table: no difference. The same table with a changed type: one.
    ddl.exec(
        "DROP TABLE items; CREATE TABLE items (id int PRIMARY KEY, price numeric(10,2) NOT NULL)");
    tracker.refresh();
    EXPECT_TRUE(tracker.changes_since(before).empty()) << tracker.changes_since(before).text();
    ddl.exec("ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2)");
    tracker.refresh();
    snapshot_diff d = tracker.changes_since(before);
    EXPECT_THAT(d.removed,
                Contains(HasSubstr("column public.items.price: numeric(10,2) not null")));
    EXPECT_THAT(d.added, Contains(HasSubstr("column public.items.price: numeric(12,2) not null")));
}

TEST(SnapshotTracker, WithoutEventTriggersEveryRefreshReadsEverything) {
    scoped_database db;
    const std::string role = db.name() + "_plain";
    connection admin = db.connect();
    admin.exec(
        fmt::format("CREATE ROLE {0} LOGIN NOSUPERUSER; GRANT CREATE ON SCHEMA public TO {0}",
                    admin.quote_identifier(role)));
    {
        connection ddl = connection::open(db.url() + " user=" + role);
        connection own = connection::open(db.url() + " user=" + role);
        snapshot_tracker tracker(own, {});
        EXPECT_FALSE(tracker.install_triggers());
        tracker.load();
        int before = tracker.checkpoint();
        ddl.exec("CREATE TABLE notes (id int PRIMARY KEY, body text)");
        tracker.refresh();
        EXPECT_EQ(tracker.snapshot().lines, full_read(ddl));
        EXPECT_THAT(tracker.changes_since(before).added,
                    Contains(HasSubstr("column public.notes.body: text")));
        EXPECT_FALSE(tracker.incremental());
    }
    admin.exec(fmt::format("DROP OWNED BY {0}; DROP ROLE {0}", admin.quote_identifier(role)));
}

} // namespace
