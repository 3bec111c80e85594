#include "revision_compiler.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::compiler;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

std::vector<std::string> formatted(const compiled_revision& c) {
    std::vector<std::string> out;
    for (const auto& d : c.diagnostics) {
        out.push_back(d.format());
    }
    return out;
}

} // namespace

TEST(RevisionCompiler, CompilesStatementsWithFileLines) {
    auto c = compile_revision("m/a.sql", "-- pgmig:revision a\n-- pgmig:upgrade\n"
                                         "CREATE TABLE t (id int);\nCREATE TABLE u (id int);\n"
                                         "-- pgmig:downgrade\nDROP TABLE u;\nDROP TABLE t;\n");
    ASSERT_TRUE(c.ok()) << formatted(c).front();
    ASSERT_EQ(c.rev.upgrade.size(), 2U);
    EXPECT_EQ(c.rev.upgrade[1].line, 4);
    EXPECT_EQ(c.rev.downgrade[0].sql, "DROP TABLE u");
    EXPECT_EQ(c.rev.downgrade[0].line, 6);
    EXPECT_EQ(c.rev.checksum.substr(0, 7), "sha256:");
}

TEST(RevisionCompiler, EmptyDowngradeIsAnErrorAtItsDirective) {
    auto c = compile_revision("m/a.sql", "-- pgmig:revision a\n-- pgmig:upgrade\n"
                                         "CREATE TABLE t (id int);\n-- pgmig:downgrade\n"
                                         "-- nothing to see\n\n");
    EXPECT_FALSE(c.ok());
    ASSERT_EQ(c.diagnostics.size(), 1U);
    EXPECT_THAT(c.diagnostics[0].format(), HasSubstr("m/a.sql:4: error: empty downgrade"));
}

TEST(RevisionCompiler, ARevisionThatChangesNothingNeedsNoDowngrade) {
    auto c = compile_revision("m/merge.sql", "-- pgmig:revision m\n-- pgmig:revises a b\n"
                                             "-- pgmig:upgrade\n-- pgmig:downgrade\n");
    EXPECT_TRUE(c.ok());
}

TEST(RevisionCompiler, SyntaxErrorInTheDowngradeIsReportedAtItsLine) {
    auto c = compile_revision("m/a.sql", "-- pgmig:revision a\n-- pgmig:upgrade\nSELECT 1;\n"
                                         "-- pgmig:downgrade\nSELECT 1;\nDROP TABEL t;\n");
    EXPECT_THAT(formatted(c), ElementsAre("m/a.sql:6:6: error: syntax error at or near \"TABEL\" "
                                          "[syntax]"));
}

TEST(RevisionCompiler, IrreversibleDowngradeMustBeEmpty) {
    auto c = compile_revision("m/a.sql", "-- pgmig:revision a\n-- pgmig:upgrade\nSELECT 1;\n"
                                         "-- pgmig:downgrade irreversible because\nSELECT 2;\n");
    EXPECT_THAT(formatted(c), ElementsAre(HasSubstr("irreversible downgrade must not contain")));
}

TEST(RevisionCompiler, LintFindingsAreLeftForTheSetToJudge) {
    std::string text = "-- pgmig:revision a\n-- pgmig:upgrade\nDROP TABLE old;\n"
                       "-- pgmig:downgrade\nCREATE TABLE old ();\n";
    auto c = compile_revision("a.sql", text,
                              {.warnings_as_errors = true, .syntax = {}, .set_lock_timeout = ""});
    EXPECT_TRUE(c.ok());
    EXPECT_THAT(c.diagnostics, IsEmpty());
    ASSERT_EQ(c.lint.findings.size(), 1U);
    EXPECT_EQ(c.lint.findings[0].rule, "drop-table");
    EXPECT_EQ(c.lint.findings[0].where.line, 3);
}

TEST(RevisionCompiler, OtherWarningsBecomeErrorsWhenAsked) {
    std::string text = "-- pgmig:revision a\n-- pgmig:upgrade\n-- pgmig:downgrade\n";
    EXPECT_TRUE(compile_revision("a.sql", text).ok());
    auto strict = compile_revision(
        "a.sql", text, {.warnings_as_errors = true, .syntax = {}, .set_lock_timeout = ""});
    EXPECT_FALSE(strict.ok());
    EXPECT_THAT(formatted(strict), ElementsAre(HasSubstr("error: empty upgrade")));
}

TEST(RevisionCompiler, SafetyAssuredSettlesARuleAndKeepsItsReason) {
    auto c = compile_revision(
        "a.sql", "-- pgmig:revision a\n"
                 "-- pgmig:safety-assured rename   the old name has no readers since 2.1\n"
                 "-- pgmig:upgrade\n"
                 "ALTER TABLE t RENAME TO u;\n"
                 "-- pgmig:safety-assured drop-table nothing reads it\n"
                 "DROP TABLE old;\n"
                 "DROP TABLE older;\n"
                 "-- pgmig:downgrade\nCREATE TABLE older ();\nCREATE TABLE old ();\n"
                 "ALTER TABLE u RENAME TO t;\n");
    EXPECT_THAT(formatted(c), IsEmpty());
    ASSERT_EQ(c.lint.findings.size(), 1U);
    EXPECT_EQ(c.lint.findings[0].where.line, 7); // the statement below the assured one
    EXPECT_EQ(c.lint.settled.at("rename"), 1);
    EXPECT_EQ(c.lint.settled.at("drop-table"), 1);
    EXPECT_THAT(c.rev.safety_assured, ElementsAre("rename: the old name has no readers since 2.1",
                                                  "drop-table: nothing reads it"));
    // The directive stays in the section as a comment: statements keep their lines.
    EXPECT_EQ(c.rev.upgrade[1].line, 6);
}

TEST(RevisionCompiler, SafetyAssuredNeedsAKnownRuleAndAReason) {
    auto c = compile_revision("a.sql", "-- pgmig:revision a\n-- pgmig:safety-assured rename\n"
                                       "-- pgmig:safety-assured drop-tabel it is fine\n"
                                       "-- pgmig:upgrade\nSELECT 1;\n-- pgmig:downgrade\n"
                                       "SELECT 1;\n");
    EXPECT_THAT(formatted(c),
                ElementsAre("a.sql:2: error: 'pgmig:safety-assured' takes a lint rule and the "
                            "reason it is safe here: '-- pgmig:safety-assured <rule> <reason>' "
                            "[malformed-directive]",
                            "a.sql:3: warning: safety-assured names unknown rule 'drop-tabel' "
                            "[unknown-lint-rule]"));
}

TEST(RevisionCompiler, NewerSyntaxStaysAWarningAndIsEmbeddedAsWritten) {
    std::string text = "-- pgmig:revision a\n-- pgmig:upgrade\nCREATE TABLE t (c int);\n"
                       "CREATE VIEW v AS SELECT c FROM (SELECT c FROM t);\n"
                       "-- pgmig:downgrade\nDROP VIEW v;\nDROP TABLE t;\n";
    auto c = compile_revision(
        "a.sql", text,
        {.warnings_as_errors = true, .syntax = {.postgres_major = 16}, .set_lock_timeout = ""});
    EXPECT_TRUE(c.ok());
    EXPECT_THAT(formatted(c), ElementsAre(::testing::StartsWith(
                                  "a.sql:4:32: warning: subquery in FROM must have an alias")));
    ASSERT_EQ(c.rev.upgrade.size(), 2U);
    EXPECT_EQ(c.rev.upgrade[1].sql, "CREATE VIEW v AS SELECT c FROM (SELECT c FROM t)");
    EXPECT_EQ(c.rev.downgrade.size(), 2U);

    EXPECT_FALSE(compile_revision("a.sql", text).ok());
}

TEST(RevisionCompiler, LintIgnoreSilencesARule) {
    auto c = compile_revision("a.sql", "-- pgmig:revision a\n-- pgmig:lint-ignore drop-table\n"
                                       "-- pgmig:upgrade\nDROP TABLE old;\n-- pgmig:downgrade\n"
                                       "CREATE TABLE old ();\n");
    EXPECT_TRUE(c.diagnostics.empty());
    EXPECT_TRUE(c.lint.findings.empty());
    EXPECT_EQ(c.lint.settled.at("drop-table"), 1);
}

TEST(RevisionCompiler, AnEmptyUpgradeIsAWarningUnlessTheRevisionIsAMerge) {
    auto empty = compile_revision("m/a.sql", "-- pgmig:revision a\n-- pgmig:upgrade\n-- TODO\n"
                                             "-- pgmig:downgrade\n");
    EXPECT_TRUE(empty.ok());
    EXPECT_THAT(formatted(empty),
                ElementsAre("m/a.sql:2: warning: empty upgrade: revision a changes nothing; write "
                            "its statements, or delete the file [empty-upgrade]"));
    auto merge = compile_revision("m/m.sql", "-- pgmig:revision m\n-- pgmig:revises a b\n"
                                             "-- pgmig:upgrade\n-- pgmig:downgrade\n");
    EXPECT_TRUE(merge.ok());
    EXPECT_TRUE(merge.diagnostics.empty());
}
