// The generated tests must catch every downgrade that does not restore the schema, name the
// revision and show the difference. Each broken set here fails in one known way.

#include "support.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace pgmig::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

struct broken_case {
    const char* name;
    std::vector<std::string> expected;
    const char* test = "stairway";
    const char* data_dir = nullptr;
};

std::string state() {
    const char* path = std::getenv("PGMIG_TEST_SERVER_STATE");
    return path != nullptr ? path : "";
}

class BrokenSet : public ::testing::TestWithParam<broken_case> {};

void PrintTo(const broken_case& c, std::ostream* os) {
    *os << c.name << " (" << c.test << ")";
}

} // namespace

TEST_P(BrokenSet, FailsNamingTheRevisionAndTheObject) {
    const broken_case& c = GetParam();
    std::vector<std::string> argv{fmt::format("{}/broken_{}-test", HARNESS_BIN_DIR, c.name),
                                  "--server-state", state()};
    if (c.data_dir != nullptr) {
        argv.insert(argv.end(), {"--data-dir", fmt::format("{}/{}", HARNESS_DIR, c.data_dir)});
    }
    argv.emplace_back(c.test);
    process_output r = run(argv);
    EXPECT_EQ(r.status, 10) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(fmt::format("broken_{}.{} failed", c.name, c.test)));
    for (const auto& text : c.expected) {
        EXPECT_THAT(r.err, HasSubstr(text)) << "the failure should say: " << text;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Harness, BrokenSet,
    ::testing::Values(
        broken_case{"index_left",
                    {"downgrade of bad_index_left does not restore the schema",
                     "index public.users_email_idx left behind by downgrade of bad_index_left",
                     "+ index public.users_email_idx: CREATE INDEX users_email_idx ON public.users "
                     "USING btree (email)"}},
        broken_case{"column_left",
                    {"column public.users.nickname left behind by downgrade of bad_column_left"}},
        broken_case{
            "default_left",
            {"column public.users.email changed by upgrade and downgrade of bad_default_left",
             "+ column public.users.email: text default 'nobody'::text"}},
        broken_case{
            "not_null_left",
            {"column public.users.email changed by upgrade and downgrade of bad_not_null_left",
             "+ column public.users.email: text not null"}},
        broken_case{
            "type_changed",
            {"column public.users.name changed by upgrade and downgrade of bad_type_changed",
             "- column public.users.name: text",
             "+ column public.users.name: character varying(200)"}},
        // Lint silenced without a reason: the stairway's lock trace still sees the rewrite.
        broken_case{"rewrite_unassured",
                    {"upgrade of bad_rewrite_unassured rewrote public.users, a table that "
                     "existed before it, and no '-- pgmig:safety-assured' in the revision "
                     "covers it"}},
        broken_case{"check_left",
                    {"constraint public.users.users_email_check left behind by downgrade of "
                     "bad_check_left"}},
        broken_case{
            "fk_left",
            {"constraint public.audit.audit_user_id_fkey left behind by downgrade of bad_fk_left",
             "column public.audit.user_id left behind by downgrade of bad_fk_left"}},
        broken_case{
            "sequence_left",
            {"sequence public.order_numbers left behind by downgrade of bad_sequence_left"}},
        broken_case{"view_left",
                    {"view public.active_users left behind by downgrade of bad_view_left"}},
        broken_case{"function_left",
                    {"function public.normalize_email(text) left behind by downgrade of "
                     "bad_function_left"}},
        broken_case{
            "trigger_left",
            {"trigger public.users.users_touch left behind by downgrade of bad_trigger_left"}},
        broken_case{"enum_left", {"type public.mood left behind by downgrade of bad_enum_left"}},
        broken_case{"extension_left",
                    {"extension citext left behind by downgrade of bad_extension_left"}},
        broken_case{"rename_left",
                    {"column public.users.mail left behind by downgrade of bad_rename_left",
                     "column public.users.email missing after downgrade of bad_rename_left"}},
        broken_case{"rls_left",
                    {"table public.users changed by upgrade and downgrade of bad_rls_left"}},
        broken_case{"comment_left",
                    {"comment TABLE public.users left behind by downgrade of bad_comment_left"}},
        broken_case{"grant_left",
                    {"privileges TABLE public.users left behind by downgrade of bad_grant_left"}},
        broken_case{"drops_too_much",
                    {"table public.audit missing after downgrade of bad_drops_too_much (it existed "
                     "before the upgrade)"}},
        broken_case{"downgrade_fails",
                    {"downgrade of bad_downgrade_fails failed", "table \"tagz\" does not exist"}},
        broken_case{"data_left",
                    {"upgrade of bad_data_left cannot be applied again after its downgrade",
                     "duplicate key value violates unique constraint \"settings_pkey\""}},
        broken_case{"data_lost",
                    {"data check failed after the downgrade of bad_data_lost",
                     "bad_data_lost.after_down.sql:2"},
                    "stairway",
                    "data_lost"},
        // Dropping the base's tables drops an index left on them: only the stairway sees that
        // one. A stray sequence survives a downgrade to base.
        broken_case{"sequence_left",
                    {"after downgrade to base, the schema is not what it was before the upgrade",
                     "sequence public.order_numbers left behind by downgrade to base"},
                    "roundtrip"},
        broken_case{"drops_too_much",
                    {"downgrade to base failed", "table \"audit\" does not exist"},
                    "roundtrip"}),
    [](const ::testing::TestParamInfo<broken_case>& info) {
        return std::string(info.param.name) + "_" + info.param.test;
    });

TEST(Stairway, ReportsEveryFindingInOneRun) {
    // Four broken revisions and one that needs a broken one: one run names them all, going on
    // from a fresh database after each finding.
    std::string tool = fmt::format("{}/many_broken-test", HARNESS_BIN_DIR);
    process_output r = run({tool, "--server-state", state(), "stairway"});
    EXPECT_EQ(r.status, 10) << r.out << r.err;
    for (const char* text :
         {"4 findings in the stairway:",
          "[1] downgrade of many_index_left does not restore the schema",
          "index public.users_email_idx left behind by downgrade of many_index_left",
          "[2] downgrade of many_down_fails failed", "table \"tagz\" does not exist",
          "[3] downgrade of many_column_left does not restore the schema",
          "column public.users.nickname left behind by downgrade of many_column_left",
          "[4] upgrade of many_up_fails failed", "division by zero",
          "not tried (their upgrade, or one they need, failed): many_after"}) {
        EXPECT_THAT(r.err, HasSubstr(text));
    }
    // many_good was tried and passed, from the fresh database after finding 2.
    EXPECT_THAT(r.err, Not(HasSubstr("of many_good")));
    EXPECT_THAT(r.out, HasSubstr("finding 3: downgrade of many_column_left"));

    process_output first =
        run({tool, "--server-state", state(), "--max-findings", "1", "stairway"});
    EXPECT_EQ(first.status, 10);
    EXPECT_THAT(first.err, HasSubstr("downgrade of many_index_left does not restore the schema"));
    EXPECT_THAT(first.err, Not(HasSubstr("many_down_fails")));
    // The same from the environment of ctest; a value that is not a number is refused.
    process_output from_env =
        run({tool, "--server-state", state(), "stairway"}, {{"PGMIG_TEST_MAX_FINDINGS", "1"}});
    EXPECT_EQ(from_env.status, 10);
    EXPECT_THAT(from_env.err, Not(HasSubstr("many_down_fails")));
    process_output bad =
        run({tool, "--server-state", state(), "stairway"}, {{"PGMIG_TEST_MAX_FINDINGS", "all"}});
    EXPECT_EQ(bad.status, 2);
    EXPECT_THAT(bad.err, HasSubstr("--max-findings = all"));
}

TEST(Stairway, ProvesOnlyFromTheFloorItIsGiven) {
    // STAIRWAY_FROM many_good: the two broken revisions below it are applied, not taken down.
    std::string tool = fmt::format("{}/many_broken-test", HARNESS_BIN_DIR);
    process_output r = run({tool, "--server-state", state(), "--from", "many_good", "stairway"});
    EXPECT_EQ(r.status, 10) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("floor: proof starts at many_good (STAIRWAY_FROM); 3 older "
                                 "revisions applied, not taken down"));
    EXPECT_THAT(r.err, HasSubstr("2 findings in the stairway:"));
    EXPECT_THAT(r.err, HasSubstr("[1] downgrade of many_column_left does not restore"));
    EXPECT_THAT(r.err, Not(HasSubstr("many_index_left")));
    EXPECT_THAT(r.err, Not(HasSubstr("many_down_fails failed")));

    process_output unknown = run({tool, "--server-state", state(), "--from", "nope", "stairway"});
    EXPECT_EQ(unknown.status, 1);
    EXPECT_THAT(unknown.err, HasSubstr("no revision 'nope'"));
}

TEST(Stairway, ARevisionMarkedTestedFromHereIsAFloor) {
    // floor_index_left is broken but below `-- pgmig:tested-from-here`; floor_column_left is
    // above it, and is the one finding, in the stairway and in the round trip.
    std::string tool = fmt::format("{}/floored-test", HARNESS_BIN_DIR);
    process_output r = run({tool, "--server-state", state(), "stairway"});
    EXPECT_EQ(r.status, 10) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("floor: proof starts at floor_here (tested-from-here); 2 older "
                                 "revisions applied, not taken down"));
    EXPECT_THAT(r.err, HasSubstr("downgrade of floor_column_left does not restore the schema"));
    EXPECT_THAT(r.err, Not(HasSubstr("floor_index_left")));
    process_output round = run({tool, "--server-state", state(), "roundtrip"});
    EXPECT_EQ(round.status, 10) << round.out << round.err;
    EXPECT_THAT(round.out, HasSubstr("the round trip goes down to floor_index_left"));
    EXPECT_THAT(round.err, HasSubstr("column public.users.nickname left behind by downgrade to "
                                     "floor_index_left"));
    EXPECT_THAT(round.err, Not(HasSubstr("users_email_idx")));
}

TEST(Stairway, RecordsWhatEachRevisionLockedAndRewrote) {
    // harness_good: every revision is reversible, and the one that rewrites users says why.
    std::string tool = fmt::format("{}/harness_good-test", HARNESS_BIN_DIR);
    auto report = std::filesystem::temp_directory_path() / fmt::format("locks-{}", ::getpid());
    process_output r =
        run({tool, "--server-state", state(), "--data-dir", fmt::format("{}/data", HARNESS_DIR),
             "--locks-report", report.string(), "stairway"});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    std::ifstream in(report);
    std::stringstream text;
    text << in.rdbuf();
    // From pg_locks of the migrating backend, and the tables' files before and after.
    for (const char* line :
         {"\ngood01_index public.users SHARE\n", "\ngood02_column public.users ACCESS EXCLUSIVE\n",
          "\ngood05_type_change public.users ACCESS EXCLUSIVE rewritten\n",
          "\ngood07_foreign_key public.users SHARE ROW EXCLUSIVE\n",
          "\ngood18_data public.settings ROW EXCLUSIVE\n"}) {
        EXPECT_THAT(text.str(), HasSubstr(line));
    }
    // Tables a revision creates are not in it: only those that existed before.
    EXPECT_THAT(text.str(), Not(HasSubstr("base0000base")));

    // strict: an ACCESS EXCLUSIVE lock on an existing table needs a safety-assured too.
    process_output strict =
        run({tool, "--server-state", state(), "--data-dir", fmt::format("{}/data", HARNESS_DIR),
             "--locks", "strict", "--max-findings", "1", "stairway"});
    EXPECT_EQ(strict.status, 10) << strict.out << strict.err;
    EXPECT_THAT(strict.err, HasSubstr("upgrade of good02_column took ACCESS EXCLUSIVE on "
                                      "public.users, a table that existed before it"));
    std::filesystem::remove(report);
}

TEST(SchemaTest, FailsWhenTheSchemaDumpsFingerprintIsStale) {
    // The schema is the heads', but the fingerprint line is not: the build would embed a
    // fingerprint that live databases never match.
    auto dir = std::filesystem::temp_directory_path() / fmt::format("pgmig-stale-{}", getpid());
    std::filesystem::create_directories(dir);
    std::ifstream in(std::filesystem::path(HARNESS_DIR) / "schema" / "harness_good.sql");
    std::stringstream text;
    text << in.rdbuf();
    std::string dump = text.str();
    auto at = dump.find("sha256:") + 7;
    dump[at] = dump[at] == '0' ? '1' : '0';
    std::ofstream(dir / "schema.sql") << dump;
    process_output r = run({fmt::format("{}/harness_good-test", HARNESS_BIN_DIR), "--server-state",
                            state(), "schema", "--schema-sources", dir.string()});
    std::filesystem::remove_all(dir);
    EXPECT_EQ(r.status, 10) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("schema.sql:3: the schema fingerprint is stale"));
}

TEST(SchemaTest, FailsWhenTheRevisionsDoNotBuildTheDesiredSchema) {
    // The desired schema gains a table no revision creates: <set>.schema fails, naming it and
    // giving the statement autogenerate would write.
    auto dir = std::filesystem::temp_directory_path() / fmt::format("pgmig-schema-{}", getpid());
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(std::filesystem::path(HARNESS_DIR) / "schema" / "harness_good.sql",
                               dir / "01_head.sql",
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream(dir / "02_more.sql") << "CREATE TABLE public.extra (id int);\n";
    process_output r = run({fmt::format("{}/harness_good-test", HARNESS_BIN_DIR), "--server-state",
                            state(), "schema", "--schema-sources", dir.string()});
    std::filesystem::remove_all(dir);
    EXPECT_EQ(r.status, 10) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("harness_good.schema failed: the revisions do not build the "
                                 "desired schema"));
    EXPECT_THAT(r.err, HasSubstr("+ table public.extra: kind r"));
    EXPECT_THAT(r.err, HasSubstr("CREATE TABLE public.extra (id integer);"));
}
