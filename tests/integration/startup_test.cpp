#include "support.hpp"

#include <pgmig/startup.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::HasSubstr;

namespace {

revision_set two_revisions(const std::string& second = "CREATE TABLE b (id int);") {
    return make_set(
        "app", {
                   {"1.sql", "-- pgmig:revision r1\n-- pgmig:upgrade\nCREATE TABLE a (id int);\n"
                             "-- pgmig:downgrade\nDROP TABLE a;\n"},
                   {"2.sql", "-- pgmig:revision r2\n-- pgmig:revises r1\n-- pgmig:upgrade\n" +
                                 second + "\n-- pgmig:downgrade\nDROP TABLE b;\n"},
               });
}

} // namespace

TEST(Startup, AnEmptyDatabaseIsBehind) {
    scoped_database db;
    connection conn = db.connect();
    auto report = check_database(conn, two_revisions());
    EXPECT_EQ(report.condition, database_condition::behind);
    EXPECT_FALSE(report.ok());
    EXPECT_THAT(report.message, HasSubstr("behind: 2 revisions to apply (r1, r2)"));
    EXPECT_THROW(require_up_to_date(conn, two_revisions()), state_error);
}

TEST(Startup, UpToDateAfterUpgrade) {
    scoped_database db;
    (void)upgrade(two_revisions(), "heads", options_for(db));
    connection conn = db.connect();
    auto report = check_database(conn, two_revisions());
    EXPECT_TRUE(report.ok());
    EXPECT_THAT(report.message, HasSubstr("up to date at r2"));
    EXPECT_NO_THROW(require_up_to_date(conn, two_revisions()));
}

TEST(Startup, PartlyAppliedIsBehind) {
    scoped_database db;
    (void)upgrade(two_revisions(), "r1", options_for(db));
    connection conn = db.connect();
    auto report = check_database(conn, two_revisions());
    EXPECT_EQ(report.condition, database_condition::behind);
    EXPECT_EQ(report.status.pending, std::vector<std::string>{"r2"});
}

TEST(Startup, ChangedTextIsDrift) {
    scoped_database db;
    (void)upgrade(two_revisions(), "heads", options_for(db));
    connection conn = db.connect();
    auto report = check_database(conn, two_revisions("CREATE TABLE b (id bigint);"));
    EXPECT_EQ(report.condition, database_condition::checksum_drift);
    EXPECT_THAT(report.message, HasSubstr("revision r2 changed"));
}

TEST(Startup, EnsureUpToDateUpgradesABehindDatabase) {
    scoped_database db;
    connection conn = db.connect();
    auto report = ensure_up_to_date(conn, two_revisions(), options_for(db));
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(db.scalar("SELECT version_num FROM pgmig_version"), "r2");
}

TEST(Startup, EnsureUpToDateRefusesADriftedDatabase) {
    scoped_database db;
    (void)upgrade(two_revisions(), "heads", options_for(db));
    connection conn = db.connect();
    EXPECT_THROW(
        (void)ensure_up_to_date(conn, two_revisions("CREATE TABLE b ();"), options_for(db)),
        state_error);
}

TEST(Startup, WorksOnAConnectionInsideTheAppsTransaction) {
    scoped_database db;
    (void)upgrade(two_revisions(), "heads", options_for(db));
    connection conn = db.connect();
    conn.exec("BEGIN");
    EXPECT_TRUE(check_database(conn, two_revisions()).ok());
    EXPECT_TRUE(conn.in_transaction()); // left as it was
    conn.exec("COMMIT");
}
