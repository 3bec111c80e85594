#include "revision_compiler.hpp"
#include "set_lint.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::compiler;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

struct revision_text {
    std::string id;
    std::string revises; ///< space-separated parents
    std::string upgrade;
};

/// A set of revisions written from their upgrades. Every upgrade starts on line 5.
class test_set {
public:
    explicit test_set(const std::vector<revision_text>& texts) {
        for (const auto& t : texts) {
            std::string text = fmt::format(
                "-- pgmig:revision {}\n-- pgmig:message m\n{}\n-- pgmig:upgrade\n{}\n"
                "-- pgmig:downgrade\nSELECT 1;\n",
                t.id,
                t.revises.empty() ? "-- pgmig:transaction on" : "-- pgmig:revises " + t.revises,
                t.upgrade);
            auto compiled = compile_revision(t.id + ".sql", text);
            EXPECT_TRUE(compiled.ok()) << text;
            m_revisions.push_back(compiled.rev);
            m_reports.push_back(compiled.lint);
        }
    }

    /// r1, r2, ... each revising the one before.
    static test_set linear(const std::vector<std::string>& upgrades) {
        std::vector<revision_text> texts;
        for (std::size_t i = 0; i < upgrades.size(); ++i) {
            texts.push_back(
                {fmt::format("r{}", i + 1), i == 0 ? "" : fmt::format("r{}", i), upgrades[i]});
        }
        return test_set(texts);
    }

    [[nodiscard]] set_lint_result lint(set_lint_options options = {}) const {
        options.set_name = "app";
        return lint_set(m_revisions, m_reports, options);
    }

    /// `file:line: rule` of each finding that stands.
    [[nodiscard]] std::vector<std::string> findings(set_lint_options options = {}) const {
        std::vector<std::string> out;
        for (const auto& d : lint(std::move(options)).diagnostics) {
            out.push_back(fmt::format("{}:{} {}", d.where.file, d.where.line, d.code));
        }
        return out;
    }

private:
    std::vector<revision> m_revisions;
    std::vector<lint_report> m_reports;
};

/// Options with one change: `with([](set_lint_options& o) { o.released = "r1"; })`.
set_lint_options with(auto change) {
    set_lint_options options;
    change(options);
    return options;
}

} // namespace

TEST(SetLint, FindingsStandWithASummaryByRule) {
    auto set = test_set::linear({"DROP TABLE a;\nDROP TABLE b;", "ALTER TABLE c RENAME TO d;"});
    auto result = set.lint();
    EXPECT_THAT(set.findings(), ElementsAre("r1.sql:5 lint/drop-table", "r1.sql:6 lint/drop-table",
                                            "r2.sql:5 lint/rename"));
    EXPECT_EQ(result.diagnostics[0].format(),
              "r1.sql:5:1: warning: DROP TABLE a loses its data, and code still reading it fails "
              "[lint/drop-table]");
    EXPECT_EQ(result.summary, "pgmig: lint of app: 3 findings (drop-table 2, rename 1)");
}

TEST(SetLint, NothingFoundPrintsNothing) {
    auto set = test_set::linear({"CREATE TABLE a (id bigint);"});
    auto result = set.lint();
    EXPECT_THAT(result.diagnostics, IsEmpty());
    EXPECT_EQ(result.summary, "");
}

TEST(SetLint, LintFromLeavesTheHistoryBelowItAlone) {
    auto set = test_set::linear({"DROP TABLE a;", "DROP TABLE b;", "DROP TABLE c;"});
    EXPECT_THAT(set.findings(with([](set_lint_options& o) { o.lint_from = "r2"; })),
                ElementsAre("r2.sql:5 lint/drop-table", "r3.sql:5 lint/drop-table"));
    EXPECT_THAT(set.lint(with([](set_lint_options& o) { o.lint_from = "r2"; })).summary,
                HasSubstr("; 1 revision below LINT_FROM r2 not linted"));
    auto unknown = set.lint(with([](set_lint_options& o) { o.lint_from = "r9"; }));
    ASSERT_EQ(unknown.diagnostics.size(), 1U);
    EXPECT_EQ(unknown.diagnostics[0].level, severity::error);
    EXPECT_THAT(unknown.diagnostics[0].message, HasSubstr("LINT_FROM 'r9' is not a revision"));
}

TEST(SetLint, ATableCreatedInARevisionNotYetReleasedIsNew) {
    auto set = test_set::linear({"CREATE TABLE old (c int);", "CREATE TABLE t (c int);",
                                 "CREATE INDEX ti ON t (c);\nCREATE INDEX oi ON old (c);"});
    // Without RELEASED every earlier revision may have shipped: its tables may hold data.
    EXPECT_THAT(set.findings(),
                ElementsAre("r3.sql:5 lint/blocking-index", "r3.sql:6 lint/blocking-index"));
    // r1 shipped; r2 did not, so its table is new wherever r3 runs.
    EXPECT_THAT(set.findings(with([](set_lint_options& o) { o.released = "r1"; })),
                ElementsAre("r3.sql:6 lint/blocking-index"));
    EXPECT_THAT(set.findings(with([](set_lint_options& o) { o.released = "r2"; })),
                ElementsAre("r3.sql:5 lint/blocking-index", "r3.sql:6 lint/blocking-index"));
}

TEST(SetLint, ANotNullCheckValidatedInEarlierRevisionsMakesSetNotNullSafe) {
    auto set = test_set::linear(
        {"ALTER TABLE users ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;",
         "ALTER TABLE users VALIDATE CONSTRAINT nn;",
         "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
         "ALTER TABLE users ALTER COLUMN name SET NOT NULL;"});
    EXPECT_THAT(set.findings(with([](set_lint_options& o) { o.released = "r3"; })),
                ElementsAre("r3.sql:6 lint/set-not-null"));
}

TEST(SetLint, RulesCanBeTurnedOnAndOffForTheSet) {
    auto set = test_set::linear({"CREATE TABLE t (id int);\nDROP TABLE old;"});
    EXPECT_THAT(set.findings(), ElementsAre("r1.sql:6 lint/drop-table"));
    EXPECT_THAT(set.findings(with([](set_lint_options& o) {
        o.enable = {"prefer-bigint"};
        o.disable = {"drop-table"};
    })),
                ElementsAre("r1.sql:5 lint/prefer-bigint"));
    auto unknown = set.lint(with([](set_lint_options& o) { o.enable = {"prefer-bignum"}; }));
    ASSERT_EQ(unknown.diagnostics.size(), 1U);
    EXPECT_THAT(unknown.diagnostics[0].message,
                HasSubstr("LINT_ENABLE names unknown lint rule 'prefer-bignum'"));
}

TEST(SetLint, WarningsAsErrorsFailsOnAFindingThatStands) {
    auto set = test_set::linear({"DROP TABLE old;"});
    auto result = set.lint(with([](set_lint_options& o) { o.warnings_as_errors = true; }));
    ASSERT_EQ(result.diagnostics.size(), 1U);
    EXPECT_EQ(result.diagnostics[0].level, severity::error);
    EXPECT_THAT(result.diagnostics[0].message, HasSubstr("WARNINGS_AS_ERRORS"));
}

TEST(SetLint, AssurancesAreCountedInTheSummary) {
    auto set =
        test_set::linear({"-- pgmig:safety-assured drop-table the flag table is empty everywhere\n"
                          "DROP TABLE flags;\nDROP TABLE users;"});
    auto result = set.lint();
    EXPECT_THAT(set.findings(), ElementsAre("r1.sql:7 lint/drop-table"));
    EXPECT_EQ(result.summary,
              "pgmig: lint of app: 1 finding (drop-table 1); 1 settled by safety-assured or "
              "lint-ignore");
}

TEST(SetLint, OnlyATableCreatedBelowTheRevisionIsNew) {
    // r2 creates t; r3 is on another branch from r1, so t may not exist where r3 runs alone;
    // the merge r4 comes after r2.
    test_set set({{"r1", "", "CREATE TABLE old (c int);"},
                  {"r2", "r1", "CREATE TABLE t (c int);"},
                  {"r3", "r1", "CREATE INDEX ti ON t (c);"},
                  {"r4", "r2 r3", "CREATE INDEX tj ON public.t (c);"}});
    EXPECT_THAT(set.findings(with([](set_lint_options& o) { o.released = "r1"; })),
                ElementsAre("r3.sql:5 lint/blocking-index"));
}
