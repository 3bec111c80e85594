#include "sql_splitter.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::compiler;
using ::testing::ElementsAre;

namespace {

std::vector<std::string> sqls(const split_result& r) {
    std::vector<std::string> out;
    for (const auto& s : r.statements) {
        out.push_back(s.stmt.sql);
    }
    return out;
}

std::vector<int> lines(const split_result& r) {
    std::vector<int> out;
    for (const auto& s : r.statements) {
        out.push_back(s.stmt.line);
    }
    return out;
}

} // namespace

TEST(SqlSplitter, SplitsOnSemicolonsWithLineNumbers) {
    auto r =
        split_statements("CREATE TABLE a (id int);\n\nCREATE TABLE b (id int);\n", {"f.sql", 10});
    ASSERT_TRUE(r.diagnostics.empty());
    EXPECT_THAT(sqls(r), ElementsAre("CREATE TABLE a (id int)", "CREATE TABLE b (id int)"));
    EXPECT_THAT(lines(r), ElementsAre(10, 12));
}

TEST(SqlSplitter, DollarQuotedBodiesStayWhole) {
    auto r = split_statements("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\n"
                              "BEGIN\n  PERFORM 1; RETURN 2;\nEND $body$;\nSELECT f();\n",
                              {"f.sql", 1});
    ASSERT_TRUE(r.diagnostics.empty());
    ASSERT_EQ(r.statements.size(), 2U);
    EXPECT_THAT(r.statements[0].stmt.sql, ::testing::HasSubstr("PERFORM 1; RETURN 2;"));
    EXPECT_THAT(lines(r), ElementsAre(1, 5));
}

TEST(SqlSplitter, SemicolonsInStringsAndEscapeStringsAreNotSeparators) {
    auto r = split_statements("SELECT 'a;b';\nSELECT E'c\\';d';\nSELECT \"we;ird\" FROM t;\n",
                              {"f.sql", 1});
    ASSERT_TRUE(r.diagnostics.empty());
    EXPECT_THAT(sqls(r),
                ElementsAre("SELECT 'a;b'", "SELECT E'c\\';d'", "SELECT \"we;ird\" FROM t"));
}

TEST(SqlSplitter, CommentsBeforeAStatementDoNotMoveItsLine) {
    auto r = split_statements("-- first; not a statement\n/* block; /* nested; */ still */\n"
                              "SELECT 1; -- trailing;\n\n-- only a comment\n",
                              {"f.sql", 3});
    ASSERT_TRUE(r.diagnostics.empty());
    EXPECT_THAT(sqls(r), ElementsAre("SELECT 1"));
    EXPECT_THAT(lines(r), ElementsAre(5));
}

TEST(SqlSplitter, EmptyAndCommentOnlyTextHasNoStatements) {
    EXPECT_TRUE(split_statements("", {"f.sql", 1}).statements.empty());
    EXPECT_TRUE(split_statements("  \n-- nothing\n/* here */\n", {"f.sql", 1}).statements.empty());
    auto r = split_statements(";;\n;", {"f.sql", 1});
    EXPECT_TRUE(r.diagnostics.empty());
    EXPECT_TRUE(r.statements.empty());
}

TEST(SqlSplitter, SyntaxErrorIsReportedAtItsLineAndColumn) {
    auto r =
        split_statements("CREATE TABLE a (id int);\n\nCREATE TABL b (id int);\n", {"m/x.sql", 20});
    ASSERT_EQ(r.diagnostics.size(), 1U);
    EXPECT_EQ(r.diagnostics[0].format(),
              "m/x.sql:22:8: error: syntax error at or near \"TABL\" [syntax]");
    EXPECT_TRUE(r.statements.empty());
}

TEST(SqlSplitter, SyntaxErrorColumnCountsCharactersNotBytes) {
    auto r = split_statements("-- données\nSELECT 'é', * FORM t;\n", {"f.sql", 1});
    ASSERT_EQ(r.diagnostics.size(), 1U);
    EXPECT_EQ(r.diagnostics[0].where.line, 2);
    EXPECT_EQ(r.diagnostics[0].where.column, 15); // "FORM" is the 15th character; bytes say 16
}

TEST(SqlSplitter, UnterminatedStringIsAnErrorNotACrash) {
    auto r = split_statements("SELECT 'abc;\n", {"f.sql", 1});
    ASSERT_EQ(r.diagnostics.size(), 1U);
    EXPECT_EQ(r.diagnostics[0].code, "syntax");
}

TEST(SqlSplitter, ParseTreeComesWithEachStatement) {
    auto r = split_statements("CREATE INDEX CONCURRENTLY i ON t (c);", {"f.sql", 1});
    ASSERT_EQ(r.statements.size(), 1U);
    ASSERT_TRUE(r.statements[0].tree.contains("IndexStmt"));
    EXPECT_TRUE(r.statements[0].tree["IndexStmt"].value("concurrent", false));
}

TEST(SqlSplitter, SkipBlankAndCommentsHandlesNesting) {
    EXPECT_EQ(skip_blank_and_comments("  /* a /* b */ c */ x"), 20U);
    EXPECT_EQ(skip_blank_and_comments("-- x\n-- y"), 9U);
    EXPECT_EQ(skip_blank_and_comments("/* open"), 7U);
}

TEST(SqlSplitter, LinesAndColumnsStayRightAcrossThousandsOfStatements) {
    // Positions are found in one pass over the text (not one per statement), so a 10 MB data
    // load checks in about a second; bench/build-bench.sh measures it.
    std::string sql;
    std::vector<int> expected_lines;
    std::vector<int> expected_columns;
    int line = 5;
    for (int i = 0; i < 3000; ++i) {
        const int column = i % 3 == 0 ? 1 : 3;
        sql += i % 3 == 0 ? "" : "  ";
        expected_lines.push_back(line);
        expected_columns.push_back(column);
        sql += fmt::format("INSERT INTO t VALUES ({}, 'é\nü');", i); // a break inside the value
        line += 1;
        if (i % 5 == 0) {
            sql += "\n-- a comment\n";
            line += 2;
        } else {
            sql += "\n";
            line += 1;
        }
    }
    auto r = split_statements(sql, {"m/big.sql", 5});
    ASSERT_TRUE(r.diagnostics.empty());
    ASSERT_EQ(r.statements.size(), 3000U);
    EXPECT_EQ(lines(r), expected_lines);
    for (std::size_t i = 0; i < r.statements.size(); ++i) {
        ASSERT_EQ(r.statements[i].column, expected_columns[i]) << i;
    }
}

TEST(SqlSplitter, MarksStatementsThatCannotRunInATransactionAndTheIndexesTheyBuild) {
    auto r = split_statements("CREATE INDEX CONCURRENTLY i ON app.t (c);\n"
                              "CREATE INDEX CONCURRENTLY \"Odd\" ON t (c);\n"
                              "CREATE INDEX CONCURRENTLY ON t (c);\n"
                              "CREATE INDEX j ON t (c);\n"
                              "VACUUM t;\n"
                              "ANALYZE t;\n",
                              {"f.sql", 1});
    ASSERT_EQ(r.statements.size(), 6U);
    std::vector<bool> autocommit;
    std::vector<std::string> built;
    for (const auto& s : r.statements) {
        autocommit.push_back(s.stmt.autocommit);
        built.push_back(s.stmt.builds_index);
    }
    EXPECT_THAT(autocommit, ElementsAre(true, true, true, false, true, false));
    EXPECT_THAT(built, ElementsAre("\"app\".\"i\"", "\"Odd\"", "", "", "", ""));
}

TEST(SqlSplitter, SyntaxNewerThanTheParserIsAWarningWhenTheTargetIsNewer) {
    const std::string sql = "CREATE TABLE a (id int);\n"
                            "SELECT * FROM (SELECT 1);\n"
                            "ALTER TABLE a ADD CONSTRAINT a_id NOT NULL id;\n"
                            "CREATE TABLE b (id int);\n";
    auto r = split_statements(sql, {"f.sql", 10}, {.postgres_major = 18});
    EXPECT_THAT(sqls(r), ElementsAre("CREATE TABLE a (id int)", "SELECT * FROM (SELECT 1)",
                                     "ALTER TABLE a ADD CONSTRAINT a_id NOT NULL id",
                                     "CREATE TABLE b (id int)"));
    EXPECT_THAT(lines(r), ElementsAre(10, 11, 12, 13));
    ASSERT_EQ(r.diagnostics.size(), 2U);
    for (const auto& d : r.diagnostics) {
        EXPECT_EQ(d.level, severity::warning);
        EXPECT_EQ(d.code, "newer-syntax");
        EXPECT_THAT(d.message, ::testing::HasSubstr("targets PostgreSQL 18 (POSTGRES_VERSION)"));
    }
    EXPECT_EQ(r.diagnostics[0].where.line, 11);
    EXPECT_EQ(r.diagnostics[1].where.line, 12);
    // What the parser read keeps its tree; what it could not read has none.
    EXPECT_TRUE(r.statements[0].tree.contains("CreateStmt"));
    EXPECT_TRUE(r.statements[1].tree.empty());
    EXPECT_TRUE(r.statements[3].tree.contains("CreateStmt"));

    // The parser's own version, or an older target: the same text is an error.
    for (int major : {0, 14, parser_major_version()}) {
        auto strict = split_statements(sql, {"f.sql", 10}, {.postgres_major = major});
        ASSERT_EQ(strict.diagnostics.size(), 1U) << major;
        EXPECT_EQ(strict.diagnostics[0].level, severity::error);
        EXPECT_EQ(strict.diagnostics[0].where.line, 11);
        EXPECT_TRUE(strict.statements.empty());
    }
}

TEST(SqlSplitter, NewerSyntaxDoesNotCutABeginAtomicBodyApart) {
    auto r = split_statements("SELECT * FROM (SELECT 1);\n"
                              "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
                              "BEGIN ATOMIC SELECT 1; SELECT 2; END;\n",
                              {"f.sql", 1}, {.postgres_major = 16});
    ASSERT_EQ(r.statements.size(), 2U);
    EXPECT_THAT(r.statements[1].stmt.sql, ::testing::EndsWith("SELECT 2; END"));
    EXPECT_TRUE(r.statements[1].tree.contains("CreateFunctionStmt"));

    // Newer syntax inside such a body leaves no statement boundary to trust: an error.
    auto inside = split_statements("CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
                                   "BEGIN ATOMIC SELECT * FROM (SELECT 1); SELECT 2; END;\n",
                                   {"f.sql", 1}, {.postgres_major = 16});
    ASSERT_EQ(inside.diagnostics.size(), 1U);
    EXPECT_EQ(inside.diagnostics[0].level, severity::error);
    EXPECT_TRUE(inside.statements.empty());
}
