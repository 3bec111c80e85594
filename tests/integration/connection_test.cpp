#include "support.hpp"

#include <pgmig/connection.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <libpq-fe.h>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Connection, BindsParametersAsValuesNotSql) {
    scoped_database db;
    connection conn = db.connect();
    result r =
        conn.exec("SELECT $1::text, $2::text IS NULL", {"'); DROP TABLE x; --", std::nullopt});
    EXPECT_EQ(r.text(0, 0), "'); DROP TABLE x; --");
    EXPECT_EQ(r.text(0, 1), "t");
}

TEST(Connection, ServerErrorsCarrySqlstateDetailAndHint) {
    scoped_database db;
    connection conn = db.connect();
    conn.exec("CREATE TABLE t (id int PRIMARY KEY)");
    conn.exec("INSERT INTO t VALUES (1)");
    try {
        conn.exec("INSERT INTO t VALUES (1)");
        FAIL();
    } catch (const database_error& e) {
        EXPECT_EQ(e.sqlstate(), "23505");
        EXPECT_THAT(e.what(),
                    HasSubstr("duplicate key value violates unique constraint \"t_pkey\""));
        EXPECT_THAT(e.what(), HasSubstr("DETAIL: Key (id)=(1) already exists."));
        EXPECT_EQ(e.info().statement, "INSERT INTO t VALUES (1)");
    }
}

TEST(Connection, PreparedStatementsArePlannedAgainAfterForgetPrepared) {
    scoped_database db;
    connection conn = db.connect();
    auto count = [&] {
        return std::string(conn.exec("SELECT count(*) FROM pg_prepared_statements").text(0, 0));
    };
    EXPECT_EQ(conn.exec_prepared("twice", "SELECT $1::int * 2", {"21"}).text(0, 0), "42");
    EXPECT_EQ(conn.exec_prepared("twice", "SELECT $1::int * 2", {"4"}).text(0, 0), "8");
    EXPECT_EQ(count(), "1");
    conn.forget_prepared();
    EXPECT_EQ(count(), "0");
    EXPECT_EQ(conn.exec_prepared("twice", "SELECT $1::int * 2", {"5"}).text(0, 0), "10");
    EXPECT_EQ(count(), "1");
}

TEST(Connection, ExecAllReturnsEveryResult) {
    scoped_database db;
    connection conn = db.connect();
    auto results = conn.exec_all("SELECT 1; SELECT 2, 3; SELECT 'x' WHERE false");
    ASSERT_EQ(results.size(), 3U);
    EXPECT_EQ(results[1].text(0, 1), "3");
    EXPECT_EQ(results[2].rows(), 0);
}

TEST(Connection, PipelineReportsTheFailedCommand) {
    scoped_database db;
    connection conn = db.connect();
    auto failure = conn.pipeline({{"BEGIN", {}},
                                  {"CREATE TABLE p (id int)", {}},
                                  {"INSERT INTO p VALUES ($1::int)", {"nope"}},
                                  {"INSERT INTO p VALUES (2)", {}},
                                  {"COMMIT", {}}});
    ASSERT_TRUE(failure.has_value());
    EXPECT_EQ(failure->index, 2U);
    EXPECT_EQ(failure->error.sqlstate(), "22P02");
    conn.exec("ROLLBACK");
    EXPECT_EQ(db.scalar("SELECT to_regclass('p') IS NULL"), "t");
    EXPECT_FALSE(conn.pipeline({{"SELECT 1", {}}}).has_value()); // usable afterwards
}

TEST(Connection, UnreachableServerIsAConnectionError) {
    try {
        (void)connection::open(
            "host=/nonexistent/socket/dir port=1 dbname=x user=u password=hunter2");
        FAIL();
    } catch (const connection_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("cannot connect to"));
        EXPECT_THAT(e.what(), Not(HasSubstr("hunter2")));
        EXPECT_THAT(e.what(), HasSubstr("password=****"));
    }
}

TEST(Connection, WrongPasswordIsAConnectionErrorWithoutThePassword) {
    scoped_database db;
    connection admin = db.connect();
    admin.exec("DROP ROLE IF EXISTS pgmig_pw_user");
    admin.exec("CREATE ROLE pgmig_pw_user LOGIN PASSWORD 'right-one'");
    const std::string& tcp = test_server::get().tcp_url;
    ASSERT_FALSE(tcp.empty()) << "the test server must listen on TCP";
    try {
        (void)connection::open(tcp + " user=pgmig_pw_user password=s3cr3t-wrong");
        FAIL();
    } catch (const connection_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("password authentication failed"));
        EXPECT_THAT(e.what(), Not(HasSubstr("s3cr3t-wrong")));
    }
    connection ok =
        connection::open(tcp + " user=pgmig_pw_user password=right-one dbname=" + db.name());
    EXPECT_EQ(ok.user(), "pgmig_pw_user");
    ok = connection::open(db.url()); // release before the role is dropped
    admin.exec("DROP ROLE pgmig_pw_user");
}

TEST(Connection, MalformedConnectionStringsAreRejected) {
    EXPECT_THROW((void)connection::open("postgresql://[bad"), connection_error);
    EXPECT_THROW((void)connection::open("nokeyword"), connection_error);
}

TEST(Connection, MaskPasswordHidesPasswordsInUrisAndKeywordStrings) {
    EXPECT_THAT(mask_password("postgresql://app:hunter2@db.example:5433/prod?sslmode=require"),
                Not(HasSubstr("hunter2")));
    EXPECT_THAT(mask_password("postgresql://app:hunter2@db.example:5433/prod"),
                HasSubstr("host=db.example"));
    EXPECT_THAT(mask_password("host=x password='a b' user=u"), Not(HasSubstr("a b")));
    EXPECT_EQ(mask_password("host=x user=u"), "user=u host=x");
    EXPECT_EQ(mask_password("postgresql://[bad"), "(invalid connection string)");
}

TEST(Connection, QuotesIdentifiers) {
    scoped_database db;
    connection conn = db.connect();
    EXPECT_EQ(conn.quote_identifier("Mixed \"Case\""), "\"Mixed \"\"Case\"\"\"");
    EXPECT_EQ(quote_identifier("Mixed \"Case\""), "\"Mixed \"\"Case\"\"\"");
    EXPECT_EQ(quote_literal("it's"), "'it''s'");
}

TEST(Connection, BorrowedConnectionIsNotClosed) {
    scoped_database db;
    PGconn* raw = PQconnectdb(db.url().c_str());
    ASSERT_EQ(PQstatus(raw), CONNECTION_OK);
    {
        connection borrowed = connection::borrow(raw);
        EXPECT_EQ(borrowed.exec("SELECT 41 + 1").text(0, 0), "42");
    }
    EXPECT_EQ(PQstatus(raw), CONNECTION_OK);
    PQfinish(raw);
}

TEST(Connection, OpenAnotherReachesTheSameDatabase) {
    scoped_database db;
    connection conn = db.connect();
    connection other = conn.open_another();
    EXPECT_EQ(other.database(), db.name());
    EXPECT_NE(other.backend_pid(), conn.backend_pid());
}

TEST(SqlCommand, InlinedQuotesEveryParameter) {
    sql_command c{"SELECT $1, $2::int, $10, $1",
                  {"it's", "2", std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                   std::nullopt, std::nullopt, std::nullopt, "x"}};
    EXPECT_EQ(c.inlined(), "SELECT 'it''s', '2'::int, 'x', 'it''s'");
}
