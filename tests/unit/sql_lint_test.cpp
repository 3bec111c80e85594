#include "sql_lint.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::compiler;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

/// A transactional upgrade for PostgreSQL 15 with pgmig's default lock timeout in force.
lint_scope upgrade() {
    return {.file = "f.sql",
            .upgrade = true,
            .transactional = true,
            .postgres_major = 15,
            .lock_timeout = true,
            .settled = {},
            .assured = {}};
}

lint_scope with(lint_scope scope, auto change) {
    change(scope);
    return scope;
}

lint_report lint(std::string_view sql, const lint_scope& scope = upgrade()) {
    auto split = split_statements(sql, {"f.sql", 1});
    EXPECT_THAT(split.diagnostics, IsEmpty());
    return lint_statements(split.statements, scope);
}

bool on_by_default(const std::string& rule) {
    for (const auto& r : lint_rules()) {
        if (r.name == rule) {
            return r.on_by_default;
        }
    }
    ADD_FAILURE() << "unknown rule " << rule;
    return false;
}

/// Error codes, then `lint/<rule>` for each finding of a rule that is on by default (or of
/// every rule).
std::vector<std::string> codes(std::string_view sql, const lint_scope& scope = upgrade(),
                               bool all_rules = false) {
    auto report = lint(sql, scope);
    std::vector<std::string> out;
    for (const auto& d : report.errors) {
        out.push_back(d.code);
    }
    for (const auto& f : report.findings) {
        if (all_rules || on_by_default(f.rule)) {
            out.push_back("lint/" + f.rule);
        }
    }
    return out;
}

/// Each rule: a statement that triggers it on an existing table, and its safe rewrite.
struct rule_case {
    std::string rule;
    std::string triggers;
    std::string safe;
};

const rule_case rule_cases[] = {
    {"drop-table", "DROP TABLE users;", "CREATE TABLE t (); DROP TABLE t;"},
    {"drop-column", "ALTER TABLE users DROP COLUMN email;", "ALTER TABLE users ADD COLUMN e text;"},
    {"drop-not-null", "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
     "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';"},
    {"truncate", "TRUNCATE users;", "DELETE FROM users WHERE false;"},
    {"truncate-cascade", "CREATE TABLE t (); TRUNCATE t CASCADE;",
     "CREATE TABLE t (); TRUNCATE t;"},
    {"rename", "ALTER TABLE users RENAME COLUMN email TO mail;",
     "ALTER TABLE users ADD COLUMN mail text;"},
    {"alter-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint;",
     "ALTER TABLE users ADD COLUMN id_new bigint;"},
    {"set-not-null", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
     "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
     "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n"
     "ALTER TABLE users ALTER COLUMN email SET NOT NULL;"},
    {"validated-constraint", "ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES b;",
     "ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES b NOT VALID;"},
    {"unique-without-index", "ALTER TABLE users ADD CONSTRAINT u UNIQUE (email);",
     "ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email;"},
    {"blocking-index", "CREATE INDEX i ON users (email);",
     "CREATE TABLE t (c int); CREATE INDEX i ON t (c);"},
    {"blocking-drop-index", "DROP INDEX users_email;",
     "CREATE TABLE t (c int); CREATE INDEX i ON public.t (c); DROP INDEX public.i;"},
    {"blocking-reindex", "REINDEX INDEX users_email;", "ANALYZE users;"},
    {"blocking-detach", "ALTER TABLE events DETACH PARTITION events_2020;",
     "ALTER TABLE events ATTACH PARTITION events_2030 FOR VALUES IN (2030);"},
    {"volatile-default", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
     "ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT now();"},
    {"not-null-without-default", "ALTER TABLE users ADD COLUMN age int NOT NULL;",
     "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0;"},
    {"add-serial-column", "ALTER TABLE users ADD COLUMN n bigserial;",
     "ALTER TABLE users ADD COLUMN n bigint;"},
};

} // namespace

TEST(SqlLint, EveryRuleWarnsAboutItsOperationAndNotAboutTheSafeRewrite) {
    for (const auto& c : rule_cases) {
        SCOPED_TRACE(c.rule);
        EXPECT_THAT(codes(c.triggers), ElementsAre("lint/" + c.rule));
        EXPECT_THAT(codes(c.safe), IsEmpty());
        auto report = lint(c.triggers);
        ASSERT_FALSE(report.findings.empty());
        EXPECT_EQ(report.findings.back().where.column,
                  c.triggers.starts_with("CREATE TABLE t ()") ? 20 : 1);
    }
}

TEST(SqlLint, DowngradesMayUndoWhatTheUpgradeDid) {
    auto downgrade = with(upgrade(), [](lint_scope& s) { s.upgrade = false; });
    EXPECT_THAT(codes("DROP TABLE users;", downgrade), IsEmpty());
    EXPECT_THAT(codes("DROP INDEX users_email;", downgrade), IsEmpty());
}

TEST(SqlLint, TablesCreatedInTheSameRevisionAreNew) {
    EXPECT_THAT(codes("CREATE TABLE users (id int, email text);\n"
                      "CREATE INDEX i ON users (email);\n"
                      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
                      "ALTER TABLE users ADD COLUMN n bigserial;\n"
                      "ALTER TABLE public.users ADD CHECK (id > 0);"),
                IsEmpty());
    // A finding about a table the revision did not create says what would make it moot.
    auto report = lint("CREATE INDEX i ON users (email);");
    ASSERT_EQ(report.findings.size(), 1U);
    EXPECT_EQ(report.findings[0].moot_if, "created users");
    EXPECT_THAT(report.facts, ElementsAre("created i"));
    EXPECT_THAT(lint("CREATE TABLE t (); CREATE INDEX i ON t ((1));").facts,
                ElementsAre("created t", "created i"));
}

TEST(SqlLint, ATransactionOffRevisionTakingAccessExclusiveNeedsALockTimeout) {
    auto off = with(upgrade(), [](lint_scope& s) {
        s.transactional = false;
        s.lock_timeout = false;
    });
    EXPECT_THAT(codes("ALTER TABLE users ADD COLUMN n int;", off),
                ElementsAre("lint/no-lock-timeout"));
    // Not for a lock that lets reads through, a new table, or once a timeout is set.
    EXPECT_THAT(codes("CREATE INDEX CONCURRENTLY i ON users (email);", off), IsEmpty());
    EXPECT_THAT(codes("CREATE TABLE t (); ALTER TABLE t ADD COLUMN n int;", off), IsEmpty());
    EXPECT_THAT(codes("SET lock_timeout = '1s'; ALTER TABLE users ADD COLUMN n int;", off),
                IsEmpty());
    // A transactional revision runs under pgmig's default lock timeout.
    EXPECT_THAT(codes("ALTER TABLE users ADD COLUMN n int;"), IsEmpty());
}

TEST(SqlLint, RulesKnowTheTargetedPostgresVersion) {
    auto pg10 = with(upgrade(), [](lint_scope& s) { s.postgres_major = 10; });
    auto pg11 = with(upgrade(), [](lint_scope& s) { s.postgres_major = 11; });
    // Before 11 any default rewrites the table; since, only a volatile one.
    EXPECT_THAT(codes("ALTER TABLE users ADD COLUMN n int DEFAULT 0;", pg10),
                ElementsAre("lint/volatile-default"));
    EXPECT_THAT(codes("ALTER TABLE users ADD COLUMN n int DEFAULT 0;", pg11), IsEmpty());
    EXPECT_THAT(codes("ALTER TABLE users ADD COLUMN n int DEFAULT NULL;", pg10), IsEmpty());
    // ADD VALUE cannot run in a transaction before 12: an error there, nothing since.
    EXPECT_THAT(codes("ALTER TYPE mood ADD VALUE 'meh';", pg11),
                ElementsAre("lint/enum-value-in-transaction"));
    EXPECT_THAT(codes("ALTER TYPE mood ADD VALUE 'meh';"), IsEmpty());
    auto pg11_off = with(pg11, [](lint_scope& s) { s.transactional = false; });
    EXPECT_THAT(codes("ALTER TYPE mood ADD VALUE 'meh';", pg11_off), IsEmpty());
    // The advice follows the version: no REINDEX CONCURRENTLY before 12, no DETACH
    // CONCURRENTLY before 14, no scan-free SET NOT NULL before 12.
    EXPECT_THAT(lint("REINDEX TABLE users;", pg11).findings[0].message,
                HasSubstr("has no REINDEX CONCURRENTLY"));
    EXPECT_THAT(lint("REINDEX TABLE users;").findings[0].message,
                HasSubstr("use REINDEX (CONCURRENTLY)"));
    EXPECT_THAT(lint("ALTER TABLE e DETACH PARTITION p;", pg11).findings[0].message,
                HasSubstr("needs PostgreSQL 14"));
    EXPECT_THAT(lint("ALTER TABLE users ALTER COLUMN e SET NOT NULL;", pg11).findings[0].message,
                HasSubstr("cannot skip the scan"));
}

TEST(SqlLint, PreferenceRulesFindColumnTypes) {
    EXPECT_THAT(
        codes("CREATE TABLE t (id serial, n int, s varchar(20), at timestamp);", upgrade(), true),
        ElementsAre("lint/prefer-identity", "lint/prefer-bigint", "lint/prefer-bigint",
                    "lint/prefer-text", "lint/prefer-timestamptz"));
    EXPECT_THAT(codes("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, s text, "
                      "at timestamptz, v varchar);",
                      upgrade(), true),
                IsEmpty());
    for (const char* rule :
         {"prefer-bigint", "prefer-identity", "prefer-text", "prefer-timestamptz"}) {
        EXPECT_FALSE(on_by_default(rule)) << rule;
    }
}

TEST(SqlLint, ConcurrentIndexNeedsTransactionOff) {
    auto split = split_statements("\n\nCREATE INDEX CONCURRENTLY i ON t (c);", {"m.sql", 5});
    auto report = lint_statements(split.statements, upgrade());
    ASSERT_EQ(report.errors.size(), 1U);
    EXPECT_EQ(report.errors[0].level, severity::error);
    EXPECT_EQ(report.errors[0].where.line, 7);
    EXPECT_THAT(report.errors[0].message, HasSubstr("-- pgmig:transaction off"));
    auto off = with(upgrade(), [](lint_scope& s) { s.transactional = false; });
    EXPECT_THAT(codes("CREATE INDEX CONCURRENTLY i ON t (c);", off), IsEmpty());
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
}

TEST(SqlLint, SettledRulesAreCountedNotReported) {
    auto settled = with(upgrade(), [](lint_scope& s) { s.settled = {"drop-table"}; });
    auto report = lint("DROP TABLE users; DROP TABLE orders;", settled);
    EXPECT_THAT(report.findings, IsEmpty());
    EXPECT_EQ(report.settled.at("drop-table"), 2);
    // Errors cannot be settled: they would fail at run time anyway.
    auto wrong = with(upgrade(), [](lint_scope& s) { s.settled = {"transaction-control"}; });
    EXPECT_THAT(codes("BEGIN;", wrong), ElementsAre("transaction-control"));
}

TEST(SqlLint, AnAssuranceAboveAStatementSettlesThatStatementOnly) {
    auto assured = with(upgrade(), [](lint_scope& s) { s.assured = {{2, "drop-table"}}; });
    auto report = lint("DROP TABLE a;\n"
                       "-- pgmig:safety-assured drop-table nothing reads it since 2.3\n"
                       "DROP TABLE b;\n"
                       "DROP TABLE c;\n",
                       assured);
    ASSERT_EQ(report.findings.size(), 2U);
    EXPECT_EQ(report.findings[0].where.line, 1);
    EXPECT_EQ(report.findings[1].where.line, 4);
    EXPECT_EQ(report.settled.at("drop-table"), 1);
}

TEST(SqlLint, AValidatedNotNullCheckIsAFactLaterRevisionsUse) {
    auto report = lint("ALTER TABLE users ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;");
    EXPECT_THAT(report.facts, ElementsAre("not-null-check users.nn email"));
    lint_facts facts;
    for (const auto& f : report.facts) {
        facts.add(f);
    }
    EXPECT_FALSE(facts.holds("not-null-checked users.email"));
    facts.add("validated users.nn");
    EXPECT_TRUE(facts.holds("not-null-checked public.users.email"));
    EXPECT_FALSE(facts.holds("not-null-checked users.name"));
    auto set_not_null = lint("ALTER TABLE users ALTER COLUMN email SET NOT NULL;");
    ASSERT_EQ(set_not_null.findings.size(), 1U);
    EXPECT_TRUE(facts.holds(set_not_null.findings[0].moot_if));
}

TEST(SqlLint, RelationsMatchQualifiedOrNot) {
    EXPECT_TRUE(same_relation("users", "public.users"));
    EXPECT_TRUE(same_relation("app.users", "users"));
    EXPECT_FALSE(same_relation("app.users", "audit.users"));
    EXPECT_FALSE(same_relation("users", "user"));
}

TEST(SqlLint, ReportsRoundTripThroughTheirJson) {
    auto report = lint("CREATE TABLE t (); DROP TABLE users;");
    report.settled["rename"] = 2;
    auto back = lint_report_from_json(lint_report_to_json(report));
    ASSERT_EQ(back.findings.size(), 1U);
    EXPECT_EQ(back.findings[0].rule, "drop-table");
    EXPECT_EQ(back.findings[0].where.column, 20);
    EXPECT_EQ(back.findings[0].moot_if, report.findings[0].moot_if);
    EXPECT_EQ(back.facts, report.facts);
    EXPECT_EQ(back.settled, report.settled);
}
