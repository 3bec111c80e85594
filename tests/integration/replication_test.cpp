// pgmig with replication, on servers the tests start: a streaming standby replays the
// revisions and the version table, refuses to be migrated, and holds back the replay of a
// revision's lock while one of its readers holds the table; logical replication needs the
// subscriber migrated before the publisher for an added column, and after it for a removed one
// (docs/operations.md, "Replicas and distributed PostgreSQL"); and upgrade --wait-for-replicas.
#include "support.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::HasSubstr;

namespace {

process_output migrate(const std::string& url, std::vector<std::string> args) {
    args.insert(args.begin(), LINEAR_CLI);
    return run(args,
               {{"DATABASE_URL", url}, {"ENVIRONMENT", ""}, {"CONFIRM_PRODUCTION_MIGRATION", ""}});
}

/// Waits until a query on the database returns "t" (up to 30 s).
bool eventually(const std::string& url, const std::string& sql) {
    for (int i = 0; i < 3000; ++i) {
        if (scalar(url, sql) == "t") {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

/// True when the standby has replayed everything the primary has written so far.
std::string caught_up(const std::string& primary) {
    return fmt::format("SELECT pg_last_wal_replay_lsn() >= '{}'::pg_lsn",
                       scalar(primary, "SELECT pg_current_wal_insert_lsn()"));
}

/// A primary with a database `app`, and a streaming standby of it.
struct primary_and_standby {
    explicit primary_and_standby(const std::string& standby_settings = {})
        : primary("primary"), app(primary.database("app")), standby("standby", [&] {
              server::cluster_options o;
              o.replica_of = primary.url();
              o.settings = standby_settings;
              return o;
          }()) {}
    extra_server primary;
    std::string app;
    extra_server standby;
    [[nodiscard]] std::string standby_app() const { return with_database(standby.url(), "app"); }
};

TEST(Replication, AStandbyReplaysTheRevisionsAndRefusesToBeMigrated) {
    primary_and_standby servers;
    // --wait-for-replicas returns once the standby has replayed the run.
    auto up = migrate(servers.app, {"upgrade", "--wait-for-replicas", "30"});
    ASSERT_EQ(up.status, 0) << up.err;
    EXPECT_THAT(up.err, HasSubstr("replicas: 1 standby replayed the run ("));
    EXPECT_EQ(scalar(servers.standby_app(), caught_up(servers.app)), "t");

    // The schema, the seed rows and the version table all replay: readers of the standby can
    // ask it which revision it serves.
    EXPECT_EQ(scalar(servers.standby_app(), "SELECT count(*) FROM items WHERE price > 0"), "2");
    auto current = migrate(servers.standby_app(), {"current"});
    EXPECT_EQ(current.out, "c3c3c3c3c3c3 (head)\n") << current.err;
    EXPECT_EQ(migrate(servers.standby_app(), {"check"}).status, 0);

    // A standby cannot be written: one clear message pointing at the primary, before any step.
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"downgrade", "base"}, {"stamp", "a1a1"}}) {
        auto refused = migrate(servers.standby_app(), args);
        EXPECT_EQ(refused.status, 4) << refused.err;
        EXPECT_THAT(refused.err, HasSubstr("is a standby (read-only, in recovery)"));
        EXPECT_THAT(refused.err, HasSubstr("run pgmig against the primary"));
    }
    EXPECT_EQ(scalar(servers.app, "SELECT version_num FROM pgmig_version"), "c3c3c3c3c3c3");
    // With nothing to do there is nothing to refuse (a deploy that also upgrades the replica
    // it reads from, say): the standby is already where its primary is.
    auto nothing = migrate(servers.standby_app(), {"upgrade"});
    EXPECT_EQ(nothing.status, 0) << nothing.err;

    // Waiting needs to see the standbys' positions, which pg_stat_replication shows to
    // pg_monitor (and superusers) only.
    (void)scalar(servers.app, "CREATE ROLE app LOGIN; GRANT SELECT ON pgmig_version, "
                              "pgmig_history TO app; SELECT 1");
    const std::string as_app = servers.app + " user=app";
    auto unseen = migrate(as_app, {"upgrade", "--wait-for-replicas", "5"});
    EXPECT_EQ(unseen.status, 1) << unseen.err;
    EXPECT_THAT(unseen.err, HasSubstr("the role app cannot see how far standby "));
    EXPECT_THAT(unseen.err, HasSubstr("grant it pg_monitor"));
    (void)scalar(servers.app, "GRANT pg_monitor TO app; SELECT 1");
    auto seen = migrate(as_app, {"upgrade", "--wait-for-replicas", "5"});
    EXPECT_EQ(seen.status, 0) << seen.err;
    EXPECT_THAT(seen.err, HasSubstr("replicas: 1 standby replayed the run"));
}

TEST(Replication, AReaderOnTheStandbyHoldsBackTheReplayOfARevisionsLock) {
    // Replay waits for standby queries for as long as they run (the default cancels them after
    // 30 s), so the wait shows without racing a timer.
    primary_and_standby servers("max_standby_streaming_delay = -1");
    ASSERT_EQ(migrate(servers.app, {"upgrade", "a1a1"}).status, 0);
    ASSERT_TRUE(eventually(servers.standby_app(), caught_up(servers.app)));

    connection reader = connection::open(servers.standby_app(), "standby-reader");
    (void)reader.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    (void)reader.exec("SELECT count(*) FROM items"); // ACCESS SHARE on items until COMMIT

    // The primary does not wait for the standby: ADD COLUMN takes its ACCESS EXCLUSIVE lock
    // there and commits. Asked to wait for the standby, the run says it is committed but not
    // replayed, and fails.
    auto add = migrate(servers.app, {"upgrade", "b2b2", "--wait-for-replicas", "0.5"});
    EXPECT_EQ(add.status, 1) << add.err;
    EXPECT_THAT(add.err, HasSubstr("the run is committed, but after 0.5 s 1 of 1 standby had "
                                   "not replayed it: "));
    EXPECT_EQ(scalar(servers.app, "SELECT version_num FROM pgmig_version"), "b2b2b2b2b2b2");
    const std::string after_add = caught_up(servers.app);
    // The standby replays up to the lock and stops there while the reader holds the table.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(scalar(servers.standby_app(), after_add), "f");
    EXPECT_EQ(scalar(servers.standby_app(),
                     "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND "
                     "relation = 'items'::regclass AND mode = 'AccessExclusiveLock' AND NOT "
                     "granted"),
              "1");
    // Services reading the standby can tell: it still serves the older revision.
    EXPECT_EQ(migrate(servers.standby_app(), {"current"}).out, "a1a1a1a1a1a1\n");
    // Once the reader ends, replay goes on and the column shows; waiting again succeeds.
    (void)reader.exec("COMMIT");
    auto again = migrate(servers.app, {"upgrade", "b2b2", "--wait-for-replicas", "30"});
    EXPECT_EQ(again.status, 0) << again.err;
    EXPECT_THAT(again.err, HasSubstr("replicas: 1 standby replayed the run"));
    EXPECT_EQ(scalar(servers.standby_app(), after_add), "t");
    EXPECT_EQ(migrate(servers.standby_app(), {"current"}).out, "b2b2b2b2b2b2\n");
    EXPECT_EQ(scalar(servers.standby_app(), "SELECT count(*) FROM information_schema.columns "
                                            "WHERE table_name = 'items' AND column_name = 'price'"),
              "1");
}

TEST(Replication, LogicalReplicationWantsTheSubscriberMigratedFirstToAddAndLastToRemove) {
    extra_server publisher_server("publisher", [] {
        server::cluster_options o;
        o.settings = "wal_level = logical";
        return o;
    }());
    extra_server subscriber_server("subscriber", [] {
        server::cluster_options o;
        o.settings = "wal_retrieve_retry_interval = 200ms"; // restart a failed apply soon
        return o;
    }());
    const std::string publisher = publisher_server.database("app");
    const std::string subscriber = subscriber_server.database("app");
    // Each side is a pgmig database of its own; only the application's table is published.
    for (const auto& side : {publisher, subscriber}) {
        ASSERT_EQ(migrate(side, {"upgrade", "a1a1"}).status, 0);
    }

    (void)scalar(publisher, "CREATE PUBLICATION app FOR TABLE items");
    (void)scalar(subscriber, fmt::format("CREATE SUBSCRIPTION app CONNECTION {} PUBLICATION app",
                                         quote_literal(publisher)));
    (void)scalar(publisher, "INSERT INTO items VALUES (1, 'one')");
    ASSERT_TRUE(eventually(subscriber, "SELECT count(*) = 1 FROM items"));
    // A subscriber is not a standby: nothing to wait for.
    auto alone = migrate(publisher, {"upgrade", "a1a1", "--wait-for-replicas", "5"});
    EXPECT_THAT(alone.err, HasSubstr("replicas: no standby streams from this server"));

    // Adding a column publisher first: rows that carry it stop at the subscriber, whose apply
    // worker fails on every try, until the subscriber has the column too.
    ASSERT_EQ(migrate(publisher, {"upgrade", "b2b2"}).status, 0);
    (void)scalar(publisher, "INSERT INTO items VALUES (2, 'two', 2.5)");
    ASSERT_TRUE(eventually(subscriber, "SELECT apply_error_count > 0 FROM "
                                       "pg_stat_subscription_stats WHERE subname = 'app'"));
    EXPECT_EQ(scalar(subscriber, "SELECT count(*) FROM items"), "1");
    ASSERT_EQ(migrate(subscriber, {"upgrade", "b2b2"}).status, 0);
    EXPECT_TRUE(
        eventually(subscriber, "SELECT count(*) = 2 FROM items WHERE id < 2 OR price = 2.5"));

    // Removing it publisher first: the subscriber still has the column and fills it with NULL.
    const std::string errors_before =
        scalar(subscriber, "SELECT apply_error_count FROM pg_stat_subscription_stats");
    ASSERT_EQ(migrate(publisher, {"downgrade", "a1a1"}).status, 0);
    (void)scalar(publisher, "INSERT INTO items VALUES (3, 'three')");
    EXPECT_TRUE(
        eventually(subscriber, "SELECT count(*) = 1 FROM items WHERE id = 3 AND price IS NULL"));
    ASSERT_EQ(migrate(subscriber, {"downgrade", "a1a1"}).status, 0);
    (void)scalar(publisher, "INSERT INTO items VALUES (4, 'four')");
    EXPECT_TRUE(eventually(subscriber, "SELECT count(*) = 4 FROM items"));
    EXPECT_EQ(scalar(subscriber, "SELECT apply_error_count FROM pg_stat_subscription_stats"),
              errors_before);
    (void)scalar(subscriber, "DROP SUBSCRIPTION app");
}

} // namespace
