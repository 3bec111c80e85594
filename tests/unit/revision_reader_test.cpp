#include "revision_reader.hpp"

#include <pgmig/detail/checksum.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::compiler;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

revision_source read(std::string_view text, source_kind kind = source_kind::sql) {
    return read_revision("m/0001.sql", text, kind);
}

/// The only diagnostic, formatted; fails the test when there is not exactly one.
std::string only_error(const revision_source& s) {
    EXPECT_EQ(s.diagnostics.size(), 1U);
    return s.diagnostics.empty() ? "" : s.diagnostics.front().format();
}

constexpr std::string_view good = R"(-- A comment before the directives is fine.
-- pgmig:revision  4f1c2a9b7e10
-- pgmig:revises   9b0d3c1a2f44, 1a2b3c4d5e6f
-- pgmig:message   Add users table
-- pgmig:branch-labels auth
-- pgmig:depends-on  77aa
-- pgmig:transaction off
-- pgmig:lock-timeout 5s
-- pgmig:statement-timeout 1.5min

-- pgmig:upgrade
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);

-- pgmig:downgrade
DROP TABLE users;
)";

} // namespace

TEST(RevisionReader, ReadsEveryDirective) {
    auto s = read(good);
    ASSERT_TRUE(s.diagnostics.empty()) << s.diagnostics.front().format();
    EXPECT_EQ(s.meta.id, "4f1c2a9b7e10");
    EXPECT_EQ(s.meta.where.line, 2);
    EXPECT_THAT(s.meta.revises, ElementsAre("9b0d3c1a2f44", "1a2b3c4d5e6f"));
    EXPECT_EQ(s.meta.revises_line, 3);
    EXPECT_EQ(s.meta.message, "Add users table");
    EXPECT_THAT(s.meta.branch_labels, ElementsAre("auth"));
    EXPECT_THAT(s.meta.depends_on, ElementsAre("77aa"));
    EXPECT_FALSE(s.meta.transactional);
    EXPECT_EQ(s.meta.lock_timeout, "5s");
    EXPECT_EQ(s.meta.statement_timeout, "1.5min");
}

TEST(RevisionReader, SectionsKeepTheirFirstLine) {
    auto s = read(good);
    EXPECT_TRUE(s.upgrade.present);
    EXPECT_EQ(s.upgrade.directive_line, 11);
    EXPECT_EQ(s.upgrade.first_line, 12);
    EXPECT_EQ(s.upgrade.text,
              "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n\n");
    EXPECT_EQ(s.downgrade.first_line, 15);
    EXPECT_EQ(s.downgrade.text, "DROP TABLE users;\n");
}

TEST(RevisionReader, LineNumbersSurviveCrLfAndABom) {
    auto s = read("\xEF\xBB\xBF-- pgmig:revision a\r\n\r\n-- pgmig:upgrade\r\nSELECT 1;\r\n"
                  "-- pgmig:downgrade\rSELECT 2;\r");
    ASSERT_TRUE(s.diagnostics.empty());
    EXPECT_EQ(s.meta.where.line, 1);
    EXPECT_EQ(s.upgrade.first_line, 4);
    EXPECT_EQ(s.upgrade.text, "SELECT 1;\n");
    EXPECT_EQ(s.downgrade.first_line, 6);
}

TEST(RevisionReader, RootRevisionMayOmitRevises) {
    auto s = read("-- pgmig:revision root1\n-- pgmig:upgrade\n-- pgmig:downgrade\n");
    EXPECT_TRUE(s.diagnostics.empty());
    EXPECT_TRUE(s.meta.revises.empty());
}

TEST(RevisionReader, TestedFromHereMarksAFloorOfProof) {
    EXPECT_FALSE(read(good).meta.tested_from_here);
    auto s = read("-- pgmig:revision a\n-- pgmig:tested-from-here\n-- pgmig:upgrade\n"
                  "-- pgmig:downgrade\n");
    ASSERT_TRUE(s.diagnostics.empty()) << s.diagnostics.front().format();
    EXPECT_TRUE(s.meta.tested_from_here);
}

TEST(RevisionReader, UnknownDirectiveSuggestsTheClosestOne) {
    auto s =
        read("-- pgmig:revision a\n-- pgmig:revices b\n-- pgmig:upgrade\n-- pgmig:downgrade\n");
    EXPECT_EQ(only_error(s), "m/0001.sql:2: error: unknown directive 'pgmig:revices'; did you "
                             "mean 'pgmig:revises'? [unknown-directive]");
}

TEST(RevisionReader, MalformedDirectivesNameTheirLine) {
    struct bad_case {
        const char* line;
        const char* message;
    };
    for (auto [line, message] : std::initializer_list<bad_case>{
             {"-- pgmig:revises b-2", "'b-2' in directive 'revises' is not a valid id"},
             {"-- pgmig:transaction maybe", "takes 'on' or 'off', not 'maybe'"},
             {"-- pgmig:lock-timeout soon", "takes a duration such as 5s"},
             {"-- pgmig:tested-from-here yes", "'tested-from-here' takes no value, not 'yes'"},
             {"-- pgmig:depends-on", "needs at least one revision id"},
             {"-- pgmig:", "directive name missing"},
             {"-- pgmig:revision a", "directive 'revision' given twice (first on line 1)"},
         }) {
        std::string text = std::string("-- pgmig:revision a\n") + line +
                           "\n-- pgmig:upgrade\n-- pgmig:downgrade\n";
        auto s = read(text);
        auto formatted = only_error(s);
        EXPECT_THAT(formatted, HasSubstr("m/0001.sql:2: error:")) << line;
        EXPECT_THAT(formatted, HasSubstr(message)) << line;
    }
}

TEST(RevisionReader, RevisionIdsAreCheckedForForm) {
    EXPECT_THAT(
        only_error(read("-- pgmig:revision not-valid!\n-- pgmig:upgrade\n-- pgmig:downgrade\n")),
        HasSubstr("'not-valid!' is not a valid revision id"));
    EXPECT_THAT(only_error(read("-- pgmig:revision a b\n-- pgmig:upgrade\n-- pgmig:downgrade\n")),
                HasSubstr("takes exactly one id"));
    EXPECT_THAT(only_error(read("-- pgmig:revision " + std::string(65, 'a') +
                                "\n-- pgmig:upgrade\n-- pgmig:downgrade\n")),
                HasSubstr("not a valid revision id"));
}

TEST(RevisionReader, MissingRevisionDirective) {
    EXPECT_EQ(only_error(read("-- pgmig:upgrade\n-- pgmig:downgrade\n")),
              "m/0001.sql:1: error: no revision id: add '-- pgmig:revision <id>' to the header "
              "[missing-revision]");
}

TEST(RevisionReader, MissingDowngradeSection) {
    auto s = read("-- pgmig:revision a\n-- pgmig:upgrade\nCREATE TABLE t ();\n");
    auto e = only_error(s);
    EXPECT_THAT(e, HasSubstr("m/0001.sql:3: error: no downgrade section"));
    EXPECT_THAT(e, HasSubstr("[missing-downgrade]"));
}

TEST(RevisionReader, DuplicateSectionIsAnErrorAtTheSecondOne) {
    auto s = read("-- pgmig:revision a\n-- pgmig:upgrade\nSELECT 1;\n-- pgmig:downgrade\n"
                  "SELECT 2;\n-- pgmig:upgrade\nSELECT 3;\n");
    EXPECT_EQ(only_error(s), "m/0001.sql:6: error: second 'upgrade' section (the first starts on "
                             "line 2) [duplicate-section]");
    EXPECT_EQ(s.upgrade.text, "SELECT 1;\n");
    EXPECT_EQ(s.downgrade.text, "SELECT 2;\n");
}

TEST(RevisionReader, HeaderDirectiveInsideASectionIsAnError) {
    auto s =
        read("-- pgmig:revision a\n-- pgmig:upgrade\n-- pgmig:message late\n-- pgmig:downgrade\n");
    EXPECT_THAT(only_error(s),
                HasSubstr("m/0001.sql:3: error: directive 'message' belongs in the header"));
}

TEST(RevisionReader, SqlBeforeTheUpgradeSectionIsAnError) {
    auto s =
        read("-- pgmig:revision a\nCREATE TABLE t ();\n/* a block\ncomment */\n-- pgmig:upgrade\n"
             "-- pgmig:downgrade\n");
    EXPECT_THAT(only_error(s), HasSubstr("m/0001.sql:2: error: SQL before the upgrade section"));
}

TEST(RevisionReader, IrreversibleDowngradeNeedsAReason) {
    auto ok = read("-- pgmig:revision a\n-- pgmig:upgrade\nSELECT 1;\n"
                   "-- pgmig:downgrade irreversible  drops user data\n");
    EXPECT_TRUE(ok.diagnostics.empty());
    EXPECT_EQ(ok.meta.irreversible, "drops user data");
    EXPECT_THAT(only_error(read(
                    "-- pgmig:revision a\n-- pgmig:upgrade\n-- pgmig:downgrade irreversible\n")),
                HasSubstr("needs a reason"));
    EXPECT_THAT(
        only_error(read("-- pgmig:revision a\n-- pgmig:upgrade\n-- pgmig:downgrade later\n")),
        HasSubstr("unexpected text after 'pgmig:downgrade'"));
}

TEST(RevisionReader, CppRevisionsTakeDirectivesFromLineComments) {
    auto s = read_revision("m/0002_backfill.cpp",
                           "// pgmig:revision 5e6f\n// pgmig:revises 4f1c\n#include <x>\n"
                           "// pgmig:message Backfill slugs\nstruct r {};\nPGMIG_REVISION(r);\n",
                           source_kind::cpp);
    ASSERT_TRUE(s.diagnostics.empty());
    EXPECT_EQ(s.meta.id, "5e6f");
    EXPECT_THAT(s.meta.revises, ElementsAre("4f1c"));
    EXPECT_EQ(s.meta.message, "Backfill slugs");
}

TEST(RevisionReader, CppRevisionsHaveNoSections) {
    auto s = read_revision("x.cpp", "// pgmig:revision a\n// pgmig:downgrade\nPGMIG_REVISION(r);\n",
                           source_kind::cpp);
    EXPECT_THAT(only_error(s), HasSubstr("C++ revisions have no 'downgrade' section"));
}

TEST(RevisionReader, CppRevisionsMustRegisterTheirType) {
    auto s = read_revision("x.cpp", "// pgmig:revision a\nstruct r {};\n// PGMIG_REVISION(r)\n",
                           source_kind::cpp);
    ASSERT_EQ(s.diagnostics.size(), 1U);
    EXPECT_EQ(s.diagnostics[0].where.line, 3);
    EXPECT_EQ(s.diagnostics[0].code, "missing-registration");
    EXPECT_THAT(s.diagnostics[0].message, HasSubstr("no PGMIG_REVISION(<type>)"));
}

TEST(RevisionReader, KindFollowsTheExtension) {
    EXPECT_EQ(kind_of("a/b.cpp"), source_kind::cpp);
    EXPECT_EQ(kind_of("a/b.cc"), source_kind::cpp);
    EXPECT_EQ(kind_of("a/b.sql"), source_kind::sql);
}

TEST(RevisionReader, NormalizeTextRemovesBomAndCarriageReturns) {
    EXPECT_EQ(detail::normalize_text("\xEF\xBB\xBF"
                                     "a\r\nb\rc\n"),
              "a\nb\nc\n");
    EXPECT_EQ(detail::normalize_text("plain"), "plain");
}

TEST(RevisionReader, InvalidUtf8IsReportedAtItsLine) {
    auto s = read("-- pgmig:revision a\n-- pgmig:upgrade\nSELECT 'caf\xE9';\n-- pgmig:downgrade\n");
    EXPECT_EQ(only_error(s), "m/0001.sql:3: error: the file is not valid UTF-8 here; save it as "
                             "UTF-8 [encoding]");
}

TEST(RevisionReader, NulByteIsReportedAtItsLine) {
    static constexpr char text[] = "-- pgmig:revision a\n\n-- pgmig:upgrade\0x\n";
    auto s = read(std::string_view(text, sizeof text - 1));
    EXPECT_THAT(only_error(s), HasSubstr("m/0001.sql:3: error: the file contains a NUL byte"));
}

TEST(RevisionReader, FindTextProblemAcceptsMultiByteCharacters) {
    EXPECT_FALSE(find_text_problem("é € 𝄞 plain").has_value());
    EXPECT_TRUE(find_text_problem("\xC0\x80").has_value()); // overlong encoding
    EXPECT_TRUE(find_text_problem("\xE2\x82").has_value()); // truncated
}
