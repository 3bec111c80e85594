#include "sql_lint.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::compiler;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

std::vector<std::string> codes(std::string_view sql, lint_scope scope = {"f.sql", true, true, {}}) {
    auto split = split_statements(sql, {"f.sql", 1});
    EXPECT_TRUE(split.diagnostics.empty());
    std::vector<std::string> out;
    for (const auto& d : lint_statements(split.statements, scope)) {
        out.push_back(d.code);
    }
    return out;
}

} // namespace

TEST(SqlLint, DataLossInAnUpgradeIsAWarning) {
    EXPECT_THAT(codes("DROP TABLE users;"), ElementsAre("lint/drop-table"));
    EXPECT_THAT(codes("ALTER TABLE users DROP COLUMN email;"), ElementsAre("lint/drop-column"));
    EXPECT_THAT(codes("TRUNCATE users;"), ElementsAre("lint/truncate"));
}

TEST(SqlLint, DowngradesMayDropWhatTheUpgradeCreated) {
    EXPECT_THAT(codes("DROP TABLE users;", {"f.sql", false, true, {}}), IsEmpty());
}

TEST(SqlLint, LockingOperationsOnExistingTablesWarn) {
    EXPECT_THAT(codes("CREATE INDEX i ON users (email);"), ElementsAre("lint/blocking-index"));
    EXPECT_THAT(codes("ALTER TABLE users ALTER COLUMN id TYPE bigint;"),
                ElementsAre("lint/alter-column-type"));
    EXPECT_THAT(codes("ALTER TABLE users ALTER COLUMN email SET NOT NULL;"),
                ElementsAre("lint/set-not-null"));
    EXPECT_THAT(codes("ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES b;"),
                ElementsAre("lint/validated-constraint"));
    EXPECT_THAT(codes("ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES b NOT VALID;"),
                IsEmpty());
}

TEST(SqlLint, TablesCreatedInTheSameRevisionAreExempt) {
    EXPECT_THAT(codes("CREATE TABLE users (id int, email text);\n"
                      "CREATE INDEX i ON users (email);\n"
                      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
                      "ALTER TABLE public.users ADD CHECK (id > 0);"),
                IsEmpty());
}

TEST(SqlLint, ConcurrentIndexNeedsTransactionOff) {
    auto split = split_statements("\n\nCREATE INDEX CONCURRENTLY i ON t (c);", {"m.sql", 5});
    auto ds = lint_statements(split.statements, {"m.sql", true, true, {}});
    ASSERT_EQ(ds.size(), 1U);
    EXPECT_EQ(ds[0].level, severity::error);
    EXPECT_EQ(ds[0].where.line, 7);
    EXPECT_THAT(ds[0].message, HasSubstr("-- pgmig:transaction off"));
    EXPECT_THAT(codes("CREATE INDEX CONCURRENTLY i ON t (c);", {"f.sql", true, false, {}}),
                IsEmpty());
}

TEST(SqlLint, TransactionControlIsAnError) {
    EXPECT_THAT(codes("BEGIN; SELECT 1; COMMIT;"),
                ElementsAre("transaction-control", "transaction-control"));
}

TEST(SqlLint, OtherStatementsThatCannotRunInATransaction) {
    EXPECT_THAT(codes("VACUUM t;"), ElementsAre("needs-transaction-off"));
    EXPECT_THAT(codes("DROP INDEX CONCURRENTLY i;"), ElementsAre("needs-transaction-off"));
    EXPECT_THAT(codes("REINDEX (CONCURRENTLY) INDEX i;"), ElementsAre("needs-transaction-off"));
    EXPECT_THAT(codes("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;"),
                ElementsAre("needs-transaction-off"));
    EXPECT_THAT(codes("VACUUM (ANALYZE) t;"), ElementsAre("needs-transaction-off"));
}

TEST(SqlLint, AnalyzeAloneRunsInATransaction) {
    EXPECT_THAT(codes("ANALYZE t;"), IsEmpty());
    EXPECT_THAT(codes("ALTER TABLE p DETACH PARTITION p1;"), IsEmpty());
}

TEST(SqlLint, IgnoredRulesAreSilenced) {
    EXPECT_THAT(codes("DROP TABLE users;", {"f.sql", true, true, {"drop-table"}}), IsEmpty());
    // Errors cannot be silenced: they would fail at run time anyway.
    EXPECT_THAT(codes("BEGIN;", {"f.sql", true, true, {"transaction-control"}}),
                ElementsAre("transaction-control"));
}
