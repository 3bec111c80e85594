#include "lock_levels.hpp"
#include "sql_splitter.hpp"

#include <gtest/gtest.h>

using namespace pgmig::compiler;

namespace {

statement_locks locks(std::string_view sql, int postgres_major = 15) {
    auto split = split_statements(sql, {"f.sql", 1});
    EXPECT_EQ(split.statements.size(), 1U);
    return locks_of(split.statements.at(0).tree, postgres_major);
}

std::string mode(std::string_view sql) {
    return to_string(locks(sql).mode);
}

} // namespace

TEST(LockLevels, EachStatementTakesTheModeTheDocumentationGives) {
    EXPECT_EQ(mode("ALTER TABLE t ADD COLUMN c int"), "ACCESS EXCLUSIVE");
    EXPECT_EQ(mode("ALTER TABLE t VALIDATE CONSTRAINT k"), "SHARE UPDATE EXCLUSIVE");
    EXPECT_EQ(mode("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u NOT VALID"),
              "SHARE ROW EXCLUSIVE");
    EXPECT_EQ(mode("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u, ADD COLUMN c int"),
              "ACCESS EXCLUSIVE"); // the strongest of its commands
    EXPECT_EQ(mode("CREATE INDEX i ON t (c)"), "SHARE");
    EXPECT_EQ(mode("CREATE INDEX CONCURRENTLY i ON t (c)"), "SHARE UPDATE EXCLUSIVE");
    EXPECT_EQ(mode("DROP INDEX i"), "ACCESS EXCLUSIVE");
    EXPECT_EQ(mode("DROP INDEX CONCURRENTLY i"), "SHARE UPDATE EXCLUSIVE");
    EXPECT_EQ(mode("REINDEX TABLE t"), "SHARE");
    EXPECT_EQ(mode("REINDEX (CONCURRENTLY) TABLE t"), "SHARE UPDATE EXCLUSIVE");
    EXPECT_EQ(mode("VACUUM (FULL) t"), "ACCESS EXCLUSIVE");
    EXPECT_EQ(mode("VACUUM t"), "SHARE UPDATE EXCLUSIVE");
    EXPECT_EQ(mode("LOCK TABLE t IN SHARE MODE"), "SHARE");
    EXPECT_EQ(mode("LOCK TABLE t"), "ACCESS EXCLUSIVE");
    EXPECT_EQ(mode("CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()"),
              "SHARE ROW EXCLUSIVE");
    EXPECT_EQ(mode("UPDATE t SET c = 1"), "ROW EXCLUSIVE");
    EXPECT_EQ(mode("ALTER TABLE t DETACH PARTITION p CONCURRENTLY"), "SHARE UPDATE EXCLUSIVE");
    EXPECT_EQ(mode("CREATE TABLE n (c int)"), "");
    EXPECT_EQ(locks("ALTER TABLE app.t ADD COLUMN c int").table, "app.t");
    EXPECT_EQ(locks("DROP TABLE app.t").table, "app.t");
}

TEST(LockLevels, RewritesAreTheOperationsThatCopyTheTable) {
    EXPECT_TRUE(locks("ALTER TABLE t ALTER COLUMN c TYPE bigint").rewrites);
    EXPECT_TRUE(locks("ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()").rewrites);
    EXPECT_TRUE(locks("ALTER TABLE t ADD COLUMN c bigint GENERATED ALWAYS AS IDENTITY").rewrites);
    EXPECT_TRUE(locks("ALTER TABLE t ADD COLUMN c serial").rewrites);
    EXPECT_TRUE(locks("VACUUM (FULL) t").rewrites);
    EXPECT_FALSE(locks("ALTER TABLE t ADD COLUMN c int DEFAULT 0").rewrites);
    EXPECT_TRUE(locks("ALTER TABLE t ADD COLUMN c int DEFAULT 0", 10).rewrites);
    EXPECT_FALSE(locks("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()").rewrites);
    EXPECT_FALSE(locks("CREATE INDEX i ON t (c)").rewrites);
}
