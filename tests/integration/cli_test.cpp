// The <set>-migrate executables that pgmig_add_revisions built, run as users run them.

#include "local_server.hpp"
#include "process.hpp"
#include "revision_compiler.hpp"
#include "support.hpp"

#include <pgmig/schema_model.hpp>
#include <pgmig/schema_replay.hpp>
#include <pgmig/scratch_database.hpp>
#include <pgmig/startup.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace fs = std::filesystem;

namespace {

/// Runs a CLI against the test database (DATABASE_URL), without production settings.
process_output cli(const std::string& program, const scoped_database& db,
                   std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), program);
    env.emplace("DATABASE_URL", db.url());
    env.emplace("ENVIRONMENT", "");
    env.emplace("CONFIRM_PRODUCTION_MIGRATION", "");
    return run(args, env);
}

/// Starts a CLI in the background; returns its pid.
pid_t spawn(const std::string& program, const scoped_database& db,
            const std::vector<std::string>& args) {
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), args.begin(), args.end());
    server::process_options options;
    options.cwd.clear();
    options.output = server::output_mode::discard;
    options.env = {{"DATABASE_URL", db.url()}};
    return server::start_process(argv, options);
}

int wait_exit(pid_t pid) {
    return server::wait_process(pid);
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

const std::string sleeping = "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE "
                             "'SELECT pg_sleep(2)%' AND datname = current_database())";
const std::string advisory_locks =
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
    "AND database = (SELECT oid FROM pg_database WHERE datname = "
    "current_database()))";

} // namespace

TEST(Cli, GraphVerbsNeedNoDatabase) {
    scoped_database db;
    auto heads = run({LINEAR_CLI, "heads"}, {{"DATABASE_URL", ""}});
    EXPECT_EQ(heads.status, 0) << heads.err;
    EXPECT_EQ(heads.out, "c3c3c3c3c3c3 (head)\n");

    auto history = run({LINEAR_CLI, "history"}, {{"DATABASE_URL", ""}});
    EXPECT_EQ(history.out, "b2b2b2b2b2b2 -> c3c3c3c3c3c3 (head), Seed two items\n"
                           "a1a1a1a1a1a1 -> b2b2b2b2b2b2, Add a price with an index\n"
                           "<base> -> a1a1a1a1a1a1, Create items\n");
    auto range = run({LINEAR_CLI, "history", "-r", "a1a1:b2b2"});
    EXPECT_EQ(range.out, "a1a1a1a1a1a1 -> b2b2b2b2b2b2, Add a price with an index\n"
                         "<base> -> a1a1a1a1a1a1, Create items\n");

    auto show = run({LINEAR_CLI, "show", "b2b2"});
    EXPECT_THAT(show.out, StartsWith("Rev: b2b2b2b2b2b2\nParent: a1a1a1a1a1a1\n"));
    EXPECT_THAT(show.out, HasSubstr("0002_price.sql"));
    EXPECT_THAT(show.out, HasSubstr("Statements: 2 up, 2 down"));

    auto json = run({LINEAR_CLI, "--json", "show", "c3"});
    auto parsed = nlohmann::json::parse(json.out);
    EXPECT_EQ(parsed["revision"], "c3c3c3c3c3c3");
    EXPECT_EQ(parsed["revises"][0], "b2b2b2b2b2b2");
    EXPECT_EQ(parsed["upgrade"][0]["line"], 6);

    auto branches = run({BRANCHES_CLI, "branches"});
    EXPECT_EQ(branches.out, "base00000001 (branchpoint), Shared base\n"
                            "    -> bill00000002 (billing) (head), Invoices\n"
                            "    -> auth00000003 (auth), Logins\n");
    auto branch_heads = run({BRANCHES_CLI, "--json", "heads"});
    EXPECT_EQ(nlohmann::json::parse(branch_heads.out).size(), 2U);
}

TEST(Cli, UpgradeCurrentCheckDowngrade) {
    scoped_database db;
    auto up = cli(LINEAR_CLI, db, {"upgrade", "head"});
    ASSERT_EQ(up.status, 0) << up.err;
    EXPECT_THAT(up.err, HasSubstr("[1/3] upgrade <base> -> a1a1a1a1a1a1, Create items ("));
    EXPECT_THAT(up.err, HasSubstr("[3/3] upgrade b2b2b2b2b2b2 -> c3c3c3c3c3c3, Seed two items ("));
    EXPECT_EQ(up.out, "Upgraded 3 revisions: base -> c3c3c3c3c3c3\n");

    auto current = cli(LINEAR_CLI, db, {"current"});
    EXPECT_EQ(current.out, "c3c3c3c3c3c3 (head)\n");
    EXPECT_EQ(cli(LINEAR_CLI, db, {"check"}).status, 0);

    auto down = cli(LINEAR_CLI, db, {"downgrade", "-1"});
    EXPECT_EQ(down.status, 0) << down.err;
    EXPECT_THAT(down.err, HasSubstr("downgrade c3c3c3c3c3c3 -> b2b2b2b2b2b2, Seed two items"));
    EXPECT_EQ(cli(LINEAR_CLI, db, {"current"}).out, "b2b2b2b2b2b2\n");
    auto check = cli(LINEAR_CLI, db, {"check"});
    EXPECT_EQ(check.status, 9);
    EXPECT_EQ(check.err, "it_linear-migrate: behind: 1 revision to apply (c3c3c3c3c3c3)\n");

    auto json = nlohmann::json::parse(cli(LINEAR_CLI, db, {"--json", "current"}).out);
    EXPECT_EQ(json["condition"], "behind");
    EXPECT_EQ(json["pending"][0], "c3c3c3c3c3c3");

    auto log = cli(LINEAR_CLI, db, {"log"});
    EXPECT_THAT(first_line(log.out), HasSubstr("downgrade c3c3c3c3c3c3"));
    auto nothing = cli(LINEAR_CLI, db, {"upgrade", "b2b2"});
    EXPECT_EQ(nothing.out, "Nothing to upgrade: the database is at b2b2b2b2b2b2\n");
}

TEST(Cli, BranchLabelsAndDependsOn) {
    scoped_database db;
    auto up = cli(BRANCHES_CLI, db, {"upgrade", "auth@head"});
    ASSERT_EQ(up.status, 0) << up.err;
    // auth00000004 depends on billing's revision, which is applied before it.
    EXPECT_THAT(up.err, HasSubstr("[2/4] upgrade base00000001 -> bill00000002"));
    // As `alembic current` shows it: billing's head too, since only a dependency leads past it.
    EXPECT_EQ(cli(BRANCHES_CLI, db, {"current"}).out,
              "bill00000002 (billing) (head)\nauth00000004 (auth) (head)\n");
    auto head = cli(BRANCHES_CLI, db, {"upgrade", "head"});
    EXPECT_EQ(head.status, 3);
    EXPECT_THAT(head.err, HasSubstr("there are 2 heads"));
    auto down = cli(BRANCHES_CLI, db, {"downgrade", "billing@base"});
    ASSERT_EQ(down.status, 0) << down.err;
    // The dependant goes first, then the branch itself.
    EXPECT_THAT(down.err, HasSubstr("[1/2] downgrade auth00000004"));
    EXPECT_EQ(cli(BRANCHES_CLI, db, {"current"}).out, "auth00000003 (auth)\n");
}

TEST(Cli, BadInputGetsOneClearLineAndItsOwnExitStatus) {
    scoped_database db;
    auto unknown = cli(LINEAR_CLI, db, {"upgrade", "nope"});
    EXPECT_EQ(unknown.status, 3);
    EXPECT_EQ(unknown.err, "it_linear-migrate: error: no revision 'nope' in this set\n");

    auto ambiguous = cli(LINEAR_CLI, db, {"upgrade", "+1x"});
    EXPECT_EQ(ambiguous.status, 3);

    auto unreachable =
        run({LINEAR_CLI, "--url", "postgresql://app:s3cr3t@127.0.0.1:1/x", "current"});
    EXPECT_EQ(unreachable.status, 4);
    EXPECT_THAT(unreachable.err, HasSubstr("cannot connect to"));
    EXPECT_THAT(unreachable.err, Not(HasSubstr("s3cr3t")));
    EXPECT_EQ(std::count(unreachable.err.begin(), unreachable.err.end(), '\n'), 1);

    auto malformed = run({LINEAR_CLI, "--url", "postgresql://[oops", "current"});
    EXPECT_EQ(malformed.status, 4);
    EXPECT_THAT(malformed.err, HasSubstr("invalid connection string"));

    auto none = run({LINEAR_CLI, "current"}, {{"DATABASE_URL", ""}});
    EXPECT_EQ(none.status, 4);
    EXPECT_THAT(none.err, HasSubstr("pass --url or set DATABASE_URL"));

    auto usage = run({LINEAR_CLI, "upgrade", "--no-such-flag"});
    EXPECT_EQ(usage.status, 2);

    // A lock timeout the server cannot take is a bad command line, not a failed revision.
    for (const char* seconds : {"99999999999", "-5", "soon"}) {
        auto timeout = cli(LINEAR_CLI, db, {"--lock-timeout", seconds, "upgrade", "heads"});
        EXPECT_EQ(timeout.status, 2) << seconds << ": " << timeout.err;
        EXPECT_THAT(timeout.err, HasSubstr("--lock-timeout")) << seconds;
    }
    EXPECT_EQ(db.scalar("SELECT to_regclass('items') IS NULL"), "t");
    EXPECT_EQ(cli(LINEAR_CLI, db, {"--lock-timeout", "0", "upgrade", "heads"}).status, 0);
}

TEST(Cli, MalformedConnectionStringsNeverPrintThePassword) {
    // libpq quotes the token it cannot read, which may be the password or the whole URI.
    for (const char* url :
         {"postgresql://u:hunter2%ZZx@h/db", "postgresql://u:hunter2%00@h/db",
          "postgresql://u:hunter2@[::1/db", "postgresql://u:hunter2@h/db?password=hunter2%zz",
          "host=h password='hunter2", "host=h password=hunter2 nonsense"}) {
        std::vector<process_output> outputs{
            run({LINEAR_CLI, "--url", url, "current"}),
            run({LINEAR_CLI, "--json", "--url", url, "check"}),
            run({LINEAR_CLI, "upgrade", "heads"}, {{"DATABASE_URL", url}}),
            run({LINEAR_CLI, "-v", "history", "-i"}, {{"DATABASE_URL", url}}),
        };
        for (const auto& r : outputs) {
            EXPECT_EQ(r.status, 4) << url << ": " << r.err;
            EXPECT_THAT(r.err, HasSubstr("invalid connection string")) << url;
            EXPECT_THAT(r.err + r.out, Not(HasSubstr("hunter2"))) << url << ": " << r.err;
        }
    }
}

TEST(Cli, WrongPasswordIsExit4AndNeverPrinted) {
    scoped_database db;
    connection admin = db.connect();
    admin.exec("DROP ROLE IF EXISTS pgmig_cli_user");
    admin.exec("CREATE ROLE pgmig_cli_user LOGIN PASSWORD 'correct-horse'");
    auto r = run({LINEAR_CLI, "--url",
                  test_server::get().tcp_url + " user=pgmig_cli_user password=battery-staple",
                  "current"});
    admin.exec("DROP ROLE pgmig_cli_user");
    EXPECT_EQ(r.status, 4);
    EXPECT_THAT(r.err, HasSubstr("password authentication failed"));
    EXPECT_THAT(r.err, Not(HasSubstr("battery-staple")));
}

TEST(Cli, FailingRevisionStopsAtTheLastGoodOne) {
    scoped_database db;
    auto r = cli(FAILING_CLI, db, {"upgrade", "heads"});
    EXPECT_EQ(r.status, 5);
    EXPECT_THAT(r.err,
                HasSubstr("failing/0002_fail.sql:7: error: upgrade f2f2f2f2f2f2 (Refers to a "
                          "table that does not exist) failed, the database stays at "
                          "a1a1a1a1a1a1: relation \"no_such_table\" does not exist"));
    EXPECT_THAT(r.err, HasSubstr("completed before the failure: upgrade a1a1a1a1a1a1"));
    EXPECT_EQ(cli(FAILING_CLI, db, {"current"}).out, "a1a1a1a1a1a1\n");
    EXPECT_EQ(db.scalar("SELECT to_regclass('audit') IS NULL"), "t");
    auto verbose = cli(FAILING_CLI, db, {"-v", "upgrade", "heads"});
    EXPECT_THAT(verbose.err,
                HasSubstr("statement:\nINSERT INTO audit SELECT id FROM no_such_table"));
}

TEST(Cli, ProductionGuard) {
    scoped_database db;
    auto refused = cli(LINEAR_CLI, db, {"upgrade", "heads"}, {{"ENVIRONMENT", "production"}});
    EXPECT_EQ(refused.status, 8);
    EXPECT_THAT(refused.err, HasSubstr("ENVIRONMENT=production: refusing to upgrade without "
                                       "CONFIRM_PRODUCTION_MIGRATION=true"));
    EXPECT_EQ(cli(LINEAR_CLI, db, {"current"}, {{"ENVIRONMENT", "production"}}).status, 0);
    EXPECT_EQ(cli(LINEAR_CLI, db, {"stamp", "heads"}, {{"ENVIRONMENT", "production"}}).status, 8);
    auto confirmed = cli(LINEAR_CLI, db, {"upgrade", "heads"},
                         {{"ENVIRONMENT", "production"}, {"CONFIRM_PRODUCTION_MIGRATION", "true"}});
    EXPECT_EQ(confirmed.status, 0) << confirmed.err;
}

TEST(Cli, SecondMigratorGivesUpNamingTheHolder) {
    scoped_database db;
    pid_t first = spawn(SLOW_CLI, db, {"upgrade", "heads"});
    ASSERT_TRUE(wait_until(db, sleeping));
    auto second = cli(SLOW_CLI, db, {"--lock-timeout", "0.3", "upgrade", "heads"});
    EXPECT_EQ(second.status, 7);
    EXPECT_THAT(second.err, HasSubstr("another migrator holds the migration lock"));
    EXPECT_THAT(second.err, HasSubstr("application 'it_slow-migrate'"));
    EXPECT_THAT(second.err, ::testing::ContainsRegex("pid [0-9]+"));
    EXPECT_EQ(wait_exit(first), 0);
    // A patient second migrator waits behind the first, then finds nothing left to do.
    ASSERT_EQ(cli(SLOW_CLI, db, {"downgrade", "s1s1"}).status, 0);
    pid_t again = spawn(SLOW_CLI, db, {"upgrade", "heads"});
    ASSERT_TRUE(wait_until(db, sleeping));
    auto waiter = cli(SLOW_CLI, db, {"--lock-timeout", "20", "upgrade", "heads"});
    EXPECT_EQ(wait_exit(again), 0);
    EXPECT_EQ(waiter.status, 0) << waiter.err;
    EXPECT_EQ(waiter.out, "Nothing to upgrade: the database is at s3s3s3s3s3s3\n");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pgmig_history WHERE direction = 'upgrade' "
                        "AND revision = 's2s2s2s2s2s2'"),
              "2");
}

TEST(Cli, MigratorKilledMidRunLeavesALastGoodStateAndReRuns) {
    scoped_database db;
    pid_t victim = spawn(SLOW_CLI, db, {"upgrade", "heads"});
    ASSERT_TRUE(wait_until(db, sleeping));
    kill(victim, SIGKILL);
    EXPECT_EQ(wait_exit(victim), 128 + SIGKILL);
    // The server notices the dropped connection, rolls back and frees the lock.
    ASSERT_TRUE(wait_until(db, "SELECT NOT " + advisory_locks.substr(7)));
    EXPECT_EQ(cli(SLOW_CLI, db, {"current"}).out, "s1s1s1s1s1s1\n");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                        "'items' AND column_name = 'note'"),
              "0");
    auto rerun = cli(SLOW_CLI, db, {"upgrade", "heads"});
    EXPECT_EQ(rerun.status, 0) << rerun.err;
    EXPECT_EQ(cli(SLOW_CLI, db, {"current"}).out, "s3s3s3s3s3s3 (head)\n");
    EXPECT_EQ(db.scalar("SELECT string_agg(revision, ',' ORDER BY id) FROM pgmig_history"),
              "s1s1s1s1s1s1,s2s2s2s2s2s2,s3s3s3s3s3s3");
}

TEST(Cli, DatabaseAtARevisionThisBuildDoesNotKnow) {
    scoped_database db;
    ASSERT_EQ(cli(NEWER_CLI, db, {"upgrade", "heads"}).status, 0);
    auto current = cli(LINEAR_CLI, db, {"current"});
    EXPECT_EQ(current.out, "d4d4d4d4d4d4 (not in this build)\n");
    EXPECT_THAT(current.err, HasSubstr("ahead: the database has revision d4d4d4d4d4d4 applied"));
    auto refused = cli(LINEAR_CLI, db, {"upgrade", "heads"});
    EXPECT_EQ(refused.status, 6);
    EXPECT_EQ(cli(LINEAR_CLI, db, {"check"}).status, 9);
    auto unasked = cli(LINEAR_CLI, db, {"downgrade", "c3c3"});
    EXPECT_EQ(unasked.status, 6);
    EXPECT_THAT(unasked.err, HasSubstr("DROP TABLE tags;"));
    auto down = cli(LINEAR_CLI, db, {"downgrade", "c3c3", "--run-stored-sql"});
    EXPECT_EQ(down.status, 0) << down.err;
    EXPECT_THAT(down.err, HasSubstr("note: revision d4d4d4d4d4d4 is not part of this build; "
                                    "downgrading it with the SQL stored in the history table"));
    EXPECT_EQ(db.scalar("SELECT to_regclass('tags') IS NULL"), "t");
    EXPECT_EQ(cli(LINEAR_CLI, db, {"check"}).status, 0);
}

TEST(Cli, ChangedRevisionIsRefusedUntilAccepted) {
    scoped_database db;
    ASSERT_EQ(cli(LINEAR_CLI, db, {"upgrade", "heads"}).status, 0);
    auto refused = cli(EDITED_CLI, db, {"upgrade", "heads"});
    EXPECT_EQ(refused.status, 6);
    EXPECT_THAT(refused.err, HasSubstr("revision c3c3c3c3c3c3"));
    EXPECT_THAT(refused.err, HasSubstr("accept-checksum c3c3c3c3c3c3"));
    EXPECT_EQ(cli(EDITED_CLI, db, {"downgrade", "-1"}).status, 6);
    auto accepted = cli(EDITED_CLI, db, {"accept-checksum", "c3c3"});
    EXPECT_EQ(accepted.status, 0) << accepted.err;
    EXPECT_EQ(accepted.out, "Accepted the new text of c3c3c3c3c3c3\n");
    EXPECT_EQ(cli(EDITED_CLI, db, {"check"}).status, 0);
    EXPECT_THAT(cli(EDITED_CLI, db, {"log", "-n", "1"}).out, HasSubstr("accept"));
}

TEST(Cli, SqlOutputNeedsNoServerAndBuildsTheSameDatabase) {
    scoped_database db;
    auto sql = run({LINEAR_CLI, "upgrade", "--sql", "heads"}, {{"DATABASE_URL", ""}});
    ASSERT_EQ(sql.status, 0) << sql.err;
    EXPECT_THAT(sql.out, HasSubstr("CREATE INDEX items_price_idx ON items (price);"));
    auto path = fs::temp_directory_path() / (db.name() + ".sql");
    std::ofstream(path) << sql.out;
    auto psql =
        run({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url(), "-f", path.string()});
    ASSERT_EQ(psql.status, 0) << psql.err;
    auto check = cli(LINEAR_CLI, db, {"check"});
    EXPECT_EQ(check.status, 0) << check.err;

    auto down = run({LINEAR_CLI, "downgrade", "--sql", "c3c3:a1a1"});
    ASSERT_EQ(down.status, 0) << down.err;
    std::ofstream(path) << down.out;
    psql = run({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url(), "-f", path.string()});
    ASSERT_EQ(psql.status, 0) << psql.err;
    EXPECT_EQ(cli(LINEAR_CLI, db, {"current"}).out, "a1a1a1a1a1a1\n");
    EXPECT_EQ(run({LINEAR_CLI, "downgrade", "--sql", "a1a1"}).status, 3); // needs FROM:TO
    fs::remove(path);
}

TEST(Cli, AnnotatedSqlSaysWhatEachStatementLocks) {
    auto sql = run({LINEAR_CLI, "upgrade", "--sql", "--annotate", "heads"}, {{"DATABASE_URL", ""}});
    ASSERT_EQ(sql.status, 0) << sql.err;
    EXPECT_THAT(sql.out, HasSubstr("-- pgmig: locks SHARE on items; can run in a transaction\n"
                                   "CREATE INDEX items_price_idx ON items (price);"));
    EXPECT_THAT(run({LINEAR_CLI, "upgrade", "--sql", "heads"}).out,
                Not(HasSubstr("-- pgmig: locks")));
    auto without_sql = run({LINEAR_CLI, "upgrade", "--annotate"}, {{"DATABASE_URL", ""}});
    EXPECT_EQ(without_sql.status, 2) << without_sql.err;
    EXPECT_THAT(without_sql.err, HasSubstr("add --sql"));
}

/// The line of `text` that starts with `prefix`, without the prefix.
std::string line_after(const std::string& text, const std::string& prefix) {
    auto at = text.find(prefix);
    if (at == std::string::npos) {
        return {};
    }
    at += prefix.size();
    return text.substr(at, text.find('\n', at) - at);
}

TEST(Cli, BackupBeforeAFailingRunAndThePrintedRestoreGivesTheDataBack) {
    scoped_database db;
    auto dir = fs::temp_directory_path() / fmt::format("backups-{}", db.name());
    ASSERT_EQ(cli(LOSSY_CLI, db, {"upgrade", "a1a1"}).status, 0);
    // b2 deletes rows outside a transaction, then fails: the rows are gone.
    auto r = cli(LOSSY_CLI, db, {"upgrade", "--backup", dir.string(), "heads"});
    EXPECT_EQ(r.status, 5) << r.err;
    EXPECT_EQ(db.scalar("SELECT count(*) FROM items"), "1");
    const std::string file = line_after(r.err, "backup: ");
    EXPECT_THAT(file, ::testing::MatchesRegex(".*/" + db.name() +
                                              "-a1a1a1a1a1a1-[0-9]{8}T[0-9]{6}Z[.]dump [(].*B[)]"));
    const std::string restore = line_after(r.err, "to undo this run: ");
    ASSERT_THAT(restore, HasSubstr("pg_restore --clean --if-exists --single-transaction"));
    auto restored = run({"bash", "-c", restore});
    ASSERT_EQ(restored.status, 0) << restored.err;
    EXPECT_EQ(db.scalar("SELECT string_agg(name, ',' ORDER BY id) FROM items"), "one,two,three");
    EXPECT_EQ(cli(LOSSY_CLI, db, {"current"}).out, "a1a1a1a1a1a1\n");
    fs::remove_all(dir);
}

TEST(Cli, ATenantsBackupUndoesThatTenantsRunAlone) {
    scoped_database db;
    auto dir = fs::temp_directory_path() / fmt::format("backups-{}", db.name());
    for (const char* tenant : {"t1", "t2"}) {
        ASSERT_EQ(cli(LINEAR_CLI, db, {"--schema", tenant, "upgrade"}).status, 0);
    }
    auto down =
        cli(LINEAR_CLI, db, {"--schema", "t1", "downgrade", "--backup", dir.string(), "base"});
    ASSERT_EQ(down.status, 0) << down.err;
    EXPECT_THAT(
        line_after(down.err, "backup: "),
        ::testing::MatchesRegex(".*/" + db.name() + "[.]t1-c3c3c3c3c3c3-[0-9T]+Z[.]dump .*"));
    // Meanwhile the other tenant goes on; undoing t1's run must not take that back.
    (void)db.scalar("INSERT INTO t2.items VALUES (3, 'three', 3); SELECT 1");
    auto restored = run({"bash", "-c", line_after(down.err, "to undo this run: ")});
    ASSERT_EQ(restored.status, 0) << restored.err;
    EXPECT_EQ(cli(LINEAR_CLI, db, {"--schema", "t1", "current"}).out, "c3c3c3c3c3c3 (head)\n");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM t1.items"), "2");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM t2.items"), "3");
    fs::remove_all(dir);
}

TEST(Cli, ABackupThatCannotBeTakenStopsTheRunBeforeItWrites) {
    scoped_database db;
    auto dir = fs::temp_directory_path() / fmt::format("backups-{}", db.name());
    ASSERT_EQ(cli(LINEAR_CLI, db, {"upgrade", "a1a1"}).status, 0);
    const std::string history = "SELECT count(*) FROM pgmig_history";
    const std::string before = db.scalar(history);

    auto missing = cli(LINEAR_CLI, db, {"upgrade", "--backup", dir.string()},
                       {{"PGMIG_PG_DUMP", "/nonexistent/pg_dump"}});
    EXPECT_EQ(missing.status, 1);
    EXPECT_THAT(missing.err, HasSubstr("cannot back up: /nonexistent/pg_dump was not found"));
    EXPECT_THAT(missing.err, HasSubstr("nothing was written"));

    // A pg_dump older than the server: pg_dump would refuse; pgmig says why before it runs.
    auto old = fs::temp_directory_path() / fmt::format("old-pg-dump-{}", db.name());
    std::ofstream(old) << "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n";
    fs::permissions(old, fs::perms::owner_all);
    auto too_old =
        cli(LINEAR_CLI, db, {"upgrade", "--backup", dir.string()}, {{"PGMIG_PG_DUMP", old}});
    EXPECT_EQ(too_old.status, 1);
    EXPECT_THAT(too_old.err, ::testing::ContainsRegex("is PostgreSQL 9's and cannot dump a "
                                                      "PostgreSQL [0-9]+ server"));
    fs::remove(old);

    EXPECT_EQ(cli(LINEAR_CLI, db, {"current"}).out, "a1a1a1a1a1a1\n");
    EXPECT_EQ(db.scalar(history), before);
    fs::remove_all(dir);
}

TEST(Cli, ABackupKeepsThePasswordOutOfSightAndProductionTakesOneByDefault) {
    scoped_database db;
    auto dir = fs::temp_directory_path() / fmt::format("backups-{}", db.name());
    // The test server trusts local connections: a password in the URL is carried, not needed.
    const std::string with_password = db.url() + " password=s3cr3t-pw";
    auto r = run({LINEAR_CLI, "upgrade"}, {{"DATABASE_URL", with_password},
                                           {"ENVIRONMENT", "production"},
                                           {"CONFIRM_PRODUCTION_MIGRATION", "true"},
                                           {"PGMIG_BACKUP_DIR", dir.string()}});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("backup: " + dir.string() + "/" + db.name() + "-base-"));
    EXPECT_THAT(r.out + r.err, Not(HasSubstr("s3cr3t")));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
    // --no-backup: none, even in production.
    auto down = run({LINEAR_CLI, "downgrade", "--no-backup", "base"},
                    {{"DATABASE_URL", with_password},
                     {"ENVIRONMENT", "production"},
                     {"CONFIRM_PRODUCTION_MIGRATION", "true"},
                     {"PGMIG_BACKUP_DIR", dir.string()}});
    ASSERT_EQ(down.status, 0) << down.err;
    EXPECT_THAT(down.err, Not(HasSubstr("backup:")));
    fs::remove_all(dir);
}

TEST(Cli, ProductionBacksUpIntoTheSetsBackupDirUnlessItIsOff) {
    scoped_database db;
    auto cwd = fs::temp_directory_path() / fmt::format("cwd-{}", db.name());
    fs::create_directories(cwd);
    const std::map<std::string, std::string> production{{"DATABASE_URL", db.url()},
                                                        {"ENVIRONMENT", "production"},
                                                        {"CONFIRM_PRODUCTION_MIGRATION", "true"},
                                                        {"PGMIG_BACKUP_DIR", ""}};
    // it_linear keeps the default BACKUP_DIR, relative to the working directory.
    auto linear = run({LINEAR_CLI, "upgrade", "a1a1"}, production, cwd.string());
    ASSERT_EQ(linear.status, 0) << linear.err;
    EXPECT_THAT(linear.err, HasSubstr("backup: pgmig-backups/" + db.name() + "-base-"));
    EXPECT_EQ(
        std::distance(fs::directory_iterator(cwd / "pgmig-backups"), fs::directory_iterator()), 1);
    // it_newer says BACKUP_DIR OFF: none by default, one when asked for.
    auto newer = run({NEWER_CLI, "upgrade", "b2b2"}, production, cwd.string());
    ASSERT_EQ(newer.status, 0) << newer.err;
    EXPECT_THAT(newer.err, Not(HasSubstr("backup:")));
    auto asked = production;
    asked["PGMIG_BACKUP_DIR"] = (cwd / "asked").string();
    auto newest = run({NEWER_CLI, "upgrade", "heads"}, asked, cwd.string());
    ASSERT_EQ(newest.status, 0) << newest.err;
    EXPECT_THAT(newest.err, HasSubstr("backup: " + (cwd / "asked").string() + "/"));
    EXPECT_EQ(
        std::distance(fs::directory_iterator(cwd / "pgmig-backups"), fs::directory_iterator()), 1);
    fs::remove_all(cwd);
}

/// Twenty databases and a file listing them; the seventh already has a table named items, so
/// the first revision fails there.
struct fleet {
    fleet() : file(fs::temp_directory_path() / fmt::format("fleet-{}", dbs[0].name())) {
        (void)dbs[6].scalar("CREATE TABLE items (x int); SELECT 1");
        std::ofstream out(file);
        out << "# the test fleet\n\n";
        for (const auto& db : dbs) {
            out << db.url() << '\n';
        }
    }
    ~fleet() { fs::remove(file); }
    fleet(const fleet&) = delete;
    fleet& operator=(const fleet&) = delete;

    [[nodiscard]] int upgraded() const {
        return static_cast<int>(std::count_if(std::begin(dbs), std::end(dbs), [](const auto& db) {
            return db.scalar("SELECT to_regclass('pgmig_version') IS NOT NULL") == "t" &&
                   db.scalar("SELECT version_num FROM pgmig_version") == "c3c3c3c3c3c3";
        }));
    }

    scoped_database dbs[20];
    fs::path file;
};

TEST(Cli, AFleetStopsAtItsFirstFailureUnlessToldToGoOn) {
    fleet f;
    auto stop = run({LINEAR_CLI, "upgrade", "--targets", f.file.string(), "-j", "1"},
                    {{"DATABASE_URL", ""}});
    EXPECT_EQ(stop.status, 5) << stop.err;
    EXPECT_THAT(stop.err, HasSubstr("[6/20] ok     "));
    EXPECT_THAT(stop.err, HasSubstr(": base -> c3c3c3c3c3c3 (3 steps, "));
    EXPECT_THAT(stop.err, ::testing::ContainsRegex("\\[7/20\\] failed [^\n]*dbname=" +
                                                   f.dbs[6].name() + "[^\n]*already exists"));
    EXPECT_THAT(stop.err, HasSubstr("fleet: 6 upgraded, 1 failed, 13 not run (stopped at the "
                                    "first failure; --keep-going runs them all)"));
    EXPECT_EQ(f.upgraded(), 6);

    auto going = run(
        {LINEAR_CLI, "--json", "upgrade", "--targets", f.file.string(), "-j", "4", "--keep-going"},
        {{"DATABASE_URL", ""}});
    EXPECT_EQ(going.status, 5) << going.err;
    EXPECT_THAT(going.err, HasSubstr("fleet: 19 upgraded, 1 failed, 0 not run\n"));
    EXPECT_EQ(f.upgraded(), 19);
    auto report = nlohmann::json::parse(going.out);
    ASSERT_EQ(report.size(), 20U);
    EXPECT_EQ(report[6]["status"], "failed");
    EXPECT_EQ(report[6]["exit_status"], 5);
    EXPECT_EQ(report[0]["status"], "ok");
    EXPECT_EQ(report[0]["steps"], 0); // upgraded by the first run
    EXPECT_EQ(report[19]["steps"], 3);
    EXPECT_EQ(report[19]["to"], nlohmann::json::array({"c3c3c3c3c3c3"}));
}

TEST(Cli, AFleetBacksUpEveryDatabaseBeforeItsFirstWrite) {
    fleet f;
    auto dir = fs::temp_directory_path() / fmt::format("fleet-backups-{}", f.dbs[0].name());
    auto r = run({LINEAR_CLI, "upgrade", "--targets", f.file.string(), "-j", "4", "--keep-going",
                  "--backup", dir.string()},
                 {{"DATABASE_URL", ""}});
    EXPECT_EQ(r.status, 5) << r.err;
    // One dump per database, the failing one's included: it was taken before the failure.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 20);
    // Workers report from their own threads; every line is whole, and each backup line is
    // followed by its restore command.
    std::istringstream lines(r.err);
    int backups = 0;
    std::string previous;
    for (std::string line; std::getline(lines, line); previous = line) {
        EXPECT_THAT(line, ::testing::ContainsRegex("^(backup: " + dir.string() +
                                                   "/[^ ]+[.]dump [(][0-9.]+ [a-zA-Z]+[)]|to "
                                                   "undo this run: pg_restore .*|\\[[0-9]+/20\\] "
                                                   "(ok|failed) .*|fleet: .*)$"));
        if (line.rfind("to undo", 0) == 0) {
            EXPECT_EQ(previous.rfind("backup: ", 0), 0U) << line;
            ++backups;
        }
    }
    EXPECT_EQ(backups, 20);
    fs::remove_all(dir);
}

TEST(Cli, AFailingCanaryStopsTheWholeFleet) {
    fleet f;
    // The seventh is among the canaries: nothing after them runs, --keep-going or not.
    auto r = run({LINEAR_CLI, "upgrade", "--targets", f.file.string(), "--canary", "7", "-j", "3",
                  "--keep-going"},
                 {{"DATABASE_URL", ""}});
    EXPECT_EQ(r.status, 5) << r.err;
    EXPECT_THAT(r.err, HasSubstr("fleet: 6 upgraded, 1 failed, 13 not run (a canary failed)"));
    EXPECT_EQ(f.upgraded(), 6);
}

TEST(Cli, AFleetFromAQueryOnAControlDatabase) {
    scoped_database control;
    scoped_database a;
    scoped_database b;
    (void)control.scalar(fmt::format("CREATE TABLE tenants (url text); INSERT INTO tenants "
                                     "VALUES ('{}'), ('{}'); SELECT 1",
                                     a.url(), b.url()));
    auto r = cli(LINEAR_CLI, control,
                 {"upgrade", "--targets-query", "SELECT url FROM tenants ORDER BY url"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("fleet: 2 upgraded, 0 failed, 0 not run"));
    EXPECT_EQ(a.scalar("SELECT version_num FROM pgmig_version"), "c3c3c3c3c3c3");
    EXPECT_EQ(b.scalar("SELECT version_num FROM pgmig_version"), "c3c3c3c3c3c3");
    EXPECT_EQ(control.scalar("SELECT to_regclass('pgmig_version') IS NULL"), "t");

    // With --schema, every database of the fleet gets the set in that schema, objects included.
    scoped_database c;
    (void)control.scalar(fmt::format("TRUNCATE tenants; INSERT INTO tenants VALUES ('{}'); "
                                     "SELECT 1",
                                     c.url()));
    auto in_schema =
        cli(LINEAR_CLI, control,
            {"--schema", "app", "upgrade", "--targets-query", "SELECT url FROM tenants"});
    EXPECT_EQ(in_schema.status, 0) << in_schema.err;
    EXPECT_EQ(
        c.scalar("SELECT to_regclass('app.items') IS NOT NULL AND to_regclass('public.items') "
                 "IS NULL AND to_regclass('app.pgmig_version') IS NOT NULL"),
        "t");
}

/// The library with a million events, in a database of the test server.
void fill_library(const scoped_database& db) {
    ASSERT_EQ(cli(COPY_CLI, db, {"upgrade"}).status, 0);
    (void)db.scalar("INSERT INTO authors (name) VALUES ('a'), ('b'), ('c');\n"
                    "INSERT INTO books (author_id, pages) SELECT 1 + i % 3, i FROM "
                    "generate_series(1, 1000) i;\n"
                    "INSERT INTO awards SELECT i, 2000 + i % 20 FROM generate_series(1, 100) i;\n"
                    "INSERT INTO events SELECT i, '2026-01-01'::timestamptz + i * interval '1 s', "
                    "repeat('x', i % 50) FROM generate_series(1, 1000000) i; SELECT 1");
}

const char* library_counts =
    "SELECT (SELECT count(*) FROM authors) || ' ' || (SELECT count(*) FROM books) || ' ' || "
    "(SELECT count(*) FROM awards) || ' ' || (SELECT count(*) FROM events) || ' ' || "
    "(SELECT sum(sheets) FROM books)";

TEST(Cli, CopyDataMovesEveryRowToAnotherServerParentsFirst) {
    scoped_database source;
    fill_library(source);
    extra_server other("second");
    const std::string target = other.database("library");
    // The target is empty: it is brought to the source's revision first.
    auto r =
        run({COPY_CLI, "copy-data", "--from", source.url(), "-j", "2"}, {{"DATABASE_URL", target}});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("copied public.events: 1000000 rows, "));
    EXPECT_THAT(r.err, HasSubstr("copy-data: 4 tables copied (0 already complete), 1001103 rows"));
    // A table goes as soon as its parents are in: authors, books and awards (each referencing
    // the one before) are done on one connection while the big events table copies on the other.
    EXPECT_LT(r.err.find("copied public.awards"), r.err.find("copied public.events")) << r.err;
    EXPECT_EQ(scalar(target, library_counts), source.scalar(library_counts));
    EXPECT_EQ(scalar(target, "SELECT version_num FROM pgmig_version"), "c2c2c2c2c2c2");
    // Identity columns and sequences go on past the copied rows.
    EXPECT_EQ(scalar(target, "INSERT INTO authors (name) VALUES ('d') RETURNING id"), "4");
    EXPECT_EQ(scalar(target, "INSERT INTO books (author_id, pages) VALUES (1, 5) RETURNING id"),
              "1001");
}

TEST(Cli, CopyDataLeavesAFailedTableEmptyAndARerunCopiesOnlyWhatIsMissing) {
    scoped_database source;
    fill_library(source);
    extra_server other("second");
    const std::string target = other.database("library");
    ASSERT_EQ(run({COPY_CLI, "upgrade"}, {{"DATABASE_URL", target}}).status, 0);
    (void)scalar(target, "CREATE FUNCTION stop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "RAISE EXCEPTION 'stopped at %', NEW.id; END $$; CREATE TRIGGER stop "
                         "BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.id = 500000) EXECUTE "
                         "FUNCTION stop()");
    auto failed = run({COPY_CLI, "copy-data", "--from", source.url()}, {{"DATABASE_URL", target}});
    EXPECT_EQ(failed.status, 5) << failed.err;
    EXPECT_THAT(failed.err, HasSubstr("stopped at 500000"));
    EXPECT_EQ(scalar(target, "SELECT count(*) FROM events"), "0");  // empty, not half full
    EXPECT_EQ(scalar(target, "SELECT count(*) FROM authors"), "3"); // copied before it

    (void)scalar(target, "DROP TRIGGER stop ON events");
    auto rerun = run({COPY_CLI, "copy-data", "--from", source.url()}, {{"DATABASE_URL", target}});
    ASSERT_EQ(rerun.status, 0) << rerun.err;
    EXPECT_THAT(rerun.err, HasSubstr("public.authors: already complete (3 rows), skipped"));
    EXPECT_THAT(rerun.err, HasSubstr("3 tables copied (1 already complete)"));
    EXPECT_EQ(scalar(target, library_counts), source.scalar(library_counts));
}

TEST(Cli, CopyDataRefusesDatabasesAtDifferentRevisions) {
    scoped_database source;
    scoped_database target;
    ASSERT_EQ(cli(COPY_CLI, source, {"upgrade"}).status, 0);
    ASSERT_EQ(cli(COPY_CLI, target, {"upgrade", "c1c1"}).status, 0);
    auto r = cli(COPY_CLI, target, {"copy-data", "--from", source.url()});
    EXPECT_EQ(r.status, 6) << r.err;
    EXPECT_THAT(r.err, ::testing::ContainsRegex("the source [(][^)]*[)] is at c2c2c2c2c2c2 and "
                                                "the target [(][^)]*[)] at c1c1c1c1c1c1"));
}

TEST(Cli, CopyDataCopiesTypesWithoutBinaryIoAsText) {
    scoped_database source;
    scoped_database target;
    // aclitem has no binary send or receive; neither has an array of it, or a domain over it.
    const char* grants = "CREATE DOMAIN acl AS aclitem; CREATE TABLE grants (id int PRIMARY "
                         "KEY, one acl, many aclitem[]); SELECT 1";
    for (const auto* db : {&source, &target}) {
        ASSERT_EQ(cli(COPY_CLI, *db, {"upgrade"}).status, 0);
        (void)db->scalar(grants);
    }
    (void)source.scalar("INSERT INTO grants VALUES (1, 'postgres=r/postgres', "
                        "'{postgres=rw/postgres,=r/postgres}'), (2, NULL, '{}'); SELECT 1");
    (void)source.scalar("INSERT INTO authors (name) VALUES ('a'); SELECT 1");
    auto r = cli(COPY_CLI, target, {"copy-data", "--from", source.url()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.err, ::testing::ContainsRegex("copied public.grants: 2 rows, [^\n]* in text "
                                                "format: a column's type has no binary I/O\n"));
    EXPECT_THAT(r.err, ::testing::ContainsRegex("copied public.authors: 1 rows, [^\n]*/s[)]\n"));
    const char* rows = "SELECT string_agg(format('%s %s %s', id, one, many), '; ' ORDER BY id) "
                       "FROM grants";
    EXPECT_EQ(target.scalar(rows), source.scalar(rows));
}

TEST(Cli, CopyDataMovesOneTenantsSchema) {
    scoped_database source;
    scoped_database target;
    for (const char* tenant : {"t1", "t2"}) {
        ASSERT_EQ(cli(COPY_CLI, source, {"--schema", tenant, "upgrade"}).status, 0);
    }
    (void)source.scalar("INSERT INTO t1.authors (name) VALUES ('a'), ('b');\n"
                        "INSERT INTO t1.books (author_id, pages) VALUES (2, 10);\n"
                        "INSERT INTO t2.authors (name) VALUES ('z'); SELECT 1");
    auto r = cli(COPY_CLI, target, {"--schema", "t1", "copy-data", "--from", source.url()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("copy-data: 4 tables copied (0 already complete), 3 rows"));
    // Only the tenant, in its schema, at its revision; the other tenant stays behind.
    EXPECT_EQ(target.scalar("SELECT string_agg(schemaname || '.' || tablename, ' ' ORDER BY "
                            "schemaname || '.' || tablename) FROM pg_tables WHERE schemaname "
                            "NOT IN ('pg_catalog', 'information_schema')"),
              "t1.authors t1.awards t1.books t1.events t1.pgmig_history t1.pgmig_version");
    EXPECT_EQ(target.scalar("SELECT version_num FROM t1.pgmig_version"), "c2c2c2c2c2c2");
    EXPECT_EQ(target.scalar("SELECT string_agg(name, ',' ORDER BY id) FROM t1.authors"), "a,b");
    EXPECT_EQ(target.scalar("INSERT INTO t1.authors (name) VALUES ('c') RETURNING id"), "3");
}

TEST(Cli, TenantsLiveInSchemasOfTheirOwn) {
    scoped_database db;
    ASSERT_EQ(cli(LINEAR_CLI, db, {"--schema", "tenant_1", "upgrade"}).status, 0);
    ASSERT_EQ(cli(LINEAR_CLI, db, {"--schema", "tenant 2", "upgrade", "a1a1"}).status, 0);
    // Each tenant's objects and state tables in its schema; nothing in public.
    EXPECT_EQ(db.scalar("SELECT string_agg(table_schema || '.' || table_name, ' ' "
                        "ORDER BY table_schema || '.' || table_name) "
                        "FROM information_schema.tables WHERE table_schema NOT IN "
                        "('pg_catalog', 'information_schema')"),
              "tenant 2.items tenant 2.pgmig_history tenant 2.pgmig_version tenant_1.items "
              "tenant_1.pgmig_history tenant_1.pgmig_version");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM tenant_1.items"), "2"); // c3's seed rows
    EXPECT_EQ(cli(LINEAR_CLI, db, {"--schema", "tenant 2", "current"}).out, "a1a1a1a1a1a1\n");
    EXPECT_EQ(cli(LINEAR_CLI, db, {"--schema", "tenant_1", "current"}).out,
              "c3c3c3c3c3c3 (head)\n");
    // One tenant goes down; the other stays.
    ASSERT_EQ(cli(LINEAR_CLI, db, {"--schema", "tenant_1", "downgrade", "base"}).status, 0);
    EXPECT_EQ(db.scalar("SELECT to_regclass('tenant_1.items') IS NULL AND "
                        "to_regclass('\"tenant 2\".items') IS NOT NULL"),
              "t");
    // A script for a tenant says where its objects go.
    auto sql = run({LINEAR_CLI, "--schema", "tenant_3", "upgrade", "--sql", "a1a1"},
                   {{"DATABASE_URL", ""}});
    EXPECT_THAT(sql.out, ::testing::StartsWith("SET search_path TO \"tenant_3\", public;\n"));
    EXPECT_THAT(sql.out, HasSubstr("INSERT INTO \"tenant_3\".\"pgmig_version\""));
}

TEST(Cli, AFleetOfTenantSchemasInOneDatabase) {
    scoped_database db;
    auto file = fs::temp_directory_path() / fmt::format("schemas-{}", db.name());
    std::ofstream(file) << "t1\nt2\nt3\nt4\nt5\n";
    (void)db.scalar("CREATE SCHEMA t3; CREATE TABLE t3.items (x int); SELECT 1");
    auto r =
        cli(LINEAR_CLI, db, {"upgrade", "--schemas", file.string(), "-j", "2", "--keep-going"});
    EXPECT_EQ(r.status, 5) << r.err;
    EXPECT_THAT(r.err, ::testing::ContainsRegex("\\[3/5\\] failed [^\n]* schema t3: "));
    EXPECT_THAT(r.err, HasSubstr("fleet: 4 upgraded, 1 failed, 0 not run"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'pgmig_version'"), "5");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM t5.items"), "2");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM t3.pgmig_history WHERE finished_at IS NOT NULL"),
              "0");
    fs::remove(file);
}

TEST(Cli, StampAndLog) {
    scoped_database db;
    auto stamped = cli(LINEAR_CLI, db, {"stamp", "b2b2"});
    EXPECT_EQ(stamped.status, 0) << stamped.err;
    EXPECT_EQ(stamped.out, "Stamped: base -> b2b2b2b2b2b2\n");
    EXPECT_EQ(db.scalar("SELECT to_regclass('items') IS NULL"), "t"); // nothing ran
    auto log = cli(LINEAR_CLI, db, {"--json", "log"});
    auto entries = nlohmann::json::parse(log.out);
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0]["direction"], "stamp");
}

TEST(Cli, StampFromAlembicTakesOverAlembicsVersionRows) {
    scoped_database db;
    // A database Alembic migrated: its tables, and alembic_version holding both branch heads.
    db.connect().exec(
        "CREATE TABLE accounts (id int PRIMARY KEY);"
        "CREATE TABLE invoices (id int PRIMARY KEY, account_id int REFERENCES accounts (id));"
        "CREATE TABLE logins (id int PRIMARY KEY, account_id int REFERENCES accounts (id));"
        "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
        "INSERT INTO alembic_version VALUES ('bill00000002'), ('nope00000009')");
    auto unknown = cli(BRANCHES_CLI, db, {"stamp", "--from-alembic"});
    EXPECT_EQ(unknown.status, 6) << unknown.err;
    EXPECT_THAT(unknown.err, HasSubstr("nope00000009"));
    EXPECT_THAT(unknown.err, Not(HasSubstr("bill00000002,")));
    EXPECT_EQ(cli(BRANCHES_CLI, db, {"current"}).out, "");
    EXPECT_EQ(cli(BRANCHES_CLI, db, {"stamp", "--from-alembic", "heads"}).status, 2);

    db.connect().exec("UPDATE alembic_version SET version_num = 'auth00000003' "
                      "WHERE version_num = 'nope00000009'");
    auto taken = cli(BRANCHES_CLI, db, {"stamp", "--from-alembic"});
    ASSERT_EQ(taken.status, 0) << taken.err;
    EXPECT_EQ(taken.out, "Stamped: base -> auth00000003, bill00000002\n");
    EXPECT_EQ(cli(BRANCHES_CLI, db, {"current"}).out, "bill00000002 (billing) (head)\n"
                                                      "auth00000003 (auth)\n");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM alembic_version"), "2"); // left in place
    // From there pgmig goes on: only the revision Alembic had not applied runs.
    auto up = cli(BRANCHES_CLI, db, {"upgrade", "heads"});
    ASSERT_EQ(up.status, 0) << up.err;
    EXPECT_THAT(up.err, HasSubstr("[1/1] upgrade auth00000003 -> auth00000004"));

    // Taking over again once pgmig has moved on is refused, naming both; dropping goes with a
    // takeover that agrees.
    auto again = cli(BRANCHES_CLI, db, {"stamp", "--from-alembic", "--drop-alembic-table"});
    EXPECT_EQ(again.status, 6);
    EXPECT_THAT(again.err, HasSubstr("already at auth00000004"));
    EXPECT_EQ(db.scalar("SELECT to_regclass('alembic_version') IS NOT NULL"), "t");
    db.connect().exec("UPDATE alembic_version SET version_num = 'auth00000004' "
                      "WHERE version_num = 'auth00000003'");
    db.connect().exec("DELETE FROM alembic_version WHERE version_num = 'bill00000002'");
    auto dropped = cli(BRANCHES_CLI, db, {"stamp", "--from-alembic", "--drop-alembic-table"});
    ASSERT_EQ(dropped.status, 0) << dropped.err;
    EXPECT_EQ(db.scalar("SELECT to_regclass('alembic_version') IS NULL"), "t");
}

TEST(Cli, RevisionAndMergeWriteFilesThatCompile) {
    auto dir = fs::temp_directory_path() / fmt::format("pgmig-revision-{}", getpid());
    fs::remove_all(dir);
    auto created = run({LINEAR_CLI, "--from-env", "revision", "--directory", dir.string()},
                       {{"MSG", "Add orders & more"}});
    ASSERT_EQ(created.status, 0) << created.err;
    auto file = dir / "0001_add_orders_more.sql";
    ASSERT_TRUE(fs::exists(file)) << created.out;
    std::stringstream text;
    text << std::ifstream(file).rdbuf();
    EXPECT_THAT(text.str(),
                HasSubstr("-- pgmig:revises c3c3c3c3c3c3\n-- pgmig:message Add orders & more\n"));
    EXPECT_TRUE(compiler::compile_revision(file.string(), text.str()).ok());

    auto refused = run({BRANCHES_CLI, "revision", "-m", "x", "--directory", dir.string()});
    EXPECT_EQ(refused.status, 3);
    EXPECT_THAT(refused.err, HasSubstr("there are 2 heads"));

    auto merged = run({BRANCHES_CLI, "merge", "-m", "join billing and auth", "heads", "--directory",
                       dir.string()});
    ASSERT_EQ(merged.status, 0) << merged.err;
    auto merge_file = dir / "0002_join_billing_and_auth.sql";
    std::stringstream merge_text;
    merge_text << std::ifstream(merge_file).rdbuf();
    EXPECT_THAT(merge_text.str(), HasSubstr("-- pgmig:revises auth00000004 bill00000002\n"));
    EXPECT_TRUE(compiler::compile_revision(merge_file.string(), merge_text.str()).ok());
    fs::remove_all(dir);
}

std::string file_text(const fs::path& path) {
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
}

std::vector<std::pair<std::string, std::string>> linear_files() {
    std::vector<std::pair<std::string, std::string>> files;
    for (const char* name : {"0001_items.sql", "0002_price.sql", "0003_seed.sql"}) {
        files.emplace_back(name, file_text(fs::path(SETS_DIR) / "linear" / name));
    }
    return files;
}

TEST(Cli, AutogenerateWritesARevisionFromTheDesiredSchema) {
    // The desired schema adds a table with a foreign key and a column; the revision written
    // from it compiles, takes the head there, and its downgrade comes back.
    scoped_database db;
    auto dir = fs::temp_directory_path() / fmt::format("pgmig-autogenerate-{}", getpid());
    fs::remove_all(dir);
    fs::create_directories(dir / "schema");
    std::ofstream(dir / "schema" / "01_items.sql")
        << "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric,\n"
           "                    sku text);\n"
           "CREATE INDEX items_price_idx ON items (price);\n";
    std::ofstream(dir / "schema" / "02_tags.sql")
        << "CREATE TABLE tags (item_id int NOT NULL REFERENCES items, tag text NOT NULL);\n";
    auto differs =
        cli(LINEAR_CLI, db, {"schema-check", "--schema-sources", (dir / "schema").string()});
    EXPECT_EQ(differs.status, 9) << differs.err;
    EXPECT_THAT(differs.out, HasSubstr("only in the desired:   table public.tags: kind r\n"));
    EXPECT_THAT(differs.out, HasSubstr("only in the desired:   column public.items.sku: text\n"));
    auto generated = cli(LINEAR_CLI, db,
                         {"revision", "--autogenerate", "-m", "Tags and SKUs", "--schema-sources",
                          (dir / "schema").string(), "--directory", (dir / "out").string()});
    ASSERT_EQ(generated.status, 0) << generated.err;
    auto file = dir / "out" / "0001_tags_and_skus.sql";
    ASSERT_TRUE(fs::exists(file)) << generated.out;
    std::string text = file_text(file);
    EXPECT_THAT(text, HasSubstr("-- pgmig:revises c3c3c3c3c3c3\n"));
    EXPECT_THAT(text, HasSubstr("CREATE TABLE public.tags (item_id integer NOT NULL, tag text "
                                "NOT NULL);"));
    EXPECT_THAT(text, HasSubstr("ALTER TABLE public.items ADD COLUMN sku text;"));
    EXPECT_THAT(text, HasSubstr("-- REVIEW: drops column public.items.sku and its data\n"
                                "ALTER TABLE public.items DROP COLUMN sku;"));
    EXPECT_TRUE(compiler::compile_revision(file.string(), text).ok()) << text;

    auto files = linear_files();
    files.emplace_back("0004_tags.sql", text);
    revision_set set = make_set("it_linear", files);
    (void)upgrade(set, "heads", options_for(db));
    connection conn = db.connect();
    auto desired = schema::desired_model(schema::schema_files({dir / "schema"}), db.url());
    EXPECT_EQ(schema::render_lines(schema::read_model(conn, scope_of(set.settings()))),
              schema::render_lines(desired));
    (void)downgrade(set, "-1", options_for(db));
    EXPECT_FALSE(db.scalar("SELECT to_regclass('tags')").size() > 0);

    // The head already is the desired schema: nothing to write.
    std::ofstream(dir / "schema" / "01_items.sql")
        << "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric);\n"
           "CREATE INDEX items_price_idx ON items (price);\n";
    fs::remove(dir / "schema" / "02_tags.sql");
    auto nothing = cli(LINEAR_CLI, db,
                       {"revision", "--autogenerate", "-m", "again", "--schema-sources",
                        (dir / "schema").string(), "--directory", (dir / "again").string()});
    EXPECT_EQ(nothing.status, 0) << nothing.err;
    EXPECT_EQ(nothing.out, "No changes in schema detected.\n");
    auto same =
        cli(LINEAR_CLI, db, {"schema-check", "--schema-sources", (dir / "schema").string()});
    EXPECT_EQ(same.status, 0) << same.err;
    EXPECT_EQ(same.out, "No changes: the revisions build the desired schema.\n");
    EXPECT_FALSE(fs::exists(dir / "again"));

    // A desired schema that does not apply is named, with the server's reason and the line
    // (the server counts characters, not bytes: the comment's é is one).
    std::ofstream(dir / "schema" / "03_bad.sql")
        << "-- café\nCREATE TABLE fine (y int);\nCREATE TABLE t (\n    x nosuchtype\n);\n";
    auto bad = cli(LINEAR_CLI, db,
                   {"revision", "--autogenerate", "-m", "bad", "--schema-sources",
                    (dir / "schema").string(), "--directory", (dir / "bad").string()});
    EXPECT_EQ(bad.status, 3) << bad.err;
    EXPECT_THAT(bad.err, HasSubstr("03_bad.sql:4: error: the desired schema does not apply: "));
    EXPECT_THAT(bad.err, HasSubstr("type \"nosuchtype\" does not exist"));
    auto missing = cli(LINEAR_CLI, db, {"revision", "--autogenerate", "-m", "x"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_THAT(missing.err, HasSubstr("--schema-sources"));
    fs::remove_all(dir);
}

TEST(Cli, ATenantsDriftIsThatOfItsSchema) {
    scoped_database db;
    ASSERT_EQ(cli(LINEAR_CLI, db, {"--schema", "t1", "upgrade", "b2b2"}).status, 0);
    ASSERT_EQ(cli(LINEAR_CLI, db, {"--schema", "t2", "upgrade", "a1a1"}).status, 0);
    (void)db.scalar("CREATE TABLE public.shared (x int); SELECT 1");
    // Other tenants and shared tables in public are not a tenant's drift.
    for (const char* tenant : {"t1", "t2"}) {
        auto clean = cli(LINEAR_CLI, db, {"--schema", tenant, "drift"});
        EXPECT_EQ(clean.status, 0) << tenant << ": " << clean.out << clean.err;
    }
    (void)db.scalar("ALTER TABLE t2.items ADD COLUMN rogue int; SELECT 1");
    auto drifted = cli(LINEAR_CLI, db, {"--schema", "t2", "drift"});
    EXPECT_EQ(drifted.status, 9) << drifted.err;
    EXPECT_THAT(drifted.out, HasSubstr("unexpected: column t2.items.rogue: integer\n"));
    EXPECT_THAT(drifted.out, Not(HasSubstr("t1.")));
    EXPECT_EQ(cli(LINEAR_CLI, db, {"--schema", "t1", "drift"}).status, 0);
}

TEST(Cli, DriftNamesOutOfBandChangesAndSchemaDumpRebuildsTheHead) {
    scoped_database db;
    ASSERT_EQ(cli(LINEAR_CLI, db, {"upgrade", "b2b2b2b2b2b2"}).status, 0);
    auto clean = cli(LINEAR_CLI, db, {"drift"});
    EXPECT_EQ(clean.status, 0) << clean.err;
    EXPECT_EQ(clean.out, "No drift: the schema is what the applied revisions build.\n");

    db.connect().exec("ALTER TABLE items ADD COLUMN rogue int; DROP INDEX items_price_idx");
    auto drifted = cli(LINEAR_CLI, db, {"drift"});
    EXPECT_EQ(drifted.status, 9) << drifted.err;
    EXPECT_THAT(drifted.out, HasSubstr("unexpected: column public.items.rogue: integer\n"));
    EXPECT_THAT(drifted.out, HasSubstr("missing:    index public.items_price_idx: "));
    EXPECT_THAT(drifted.out, HasSubstr("ALTER TABLE public.items DROP COLUMN rogue;\n"));
    EXPECT_THAT(drifted.out, HasSubstr("CREATE INDEX items_price_idx ON public.items USING "
                                       "btree (price);\n"));
    auto json = nlohmann::json::parse(cli(LINEAR_CLI, db, {"--json", "drift"}).out);
    EXPECT_EQ(json["drifted"], true);
    EXPECT_EQ(json["unexpected"].size(), 1U);

    // schema-dump: the head's schema as SQL, which builds the same schema anywhere.
    auto out = fs::temp_directory_path() / fmt::format("pgmig-dump-{}.sql", getpid());
    auto dumped = cli(LINEAR_CLI, db, {"schema-dump", "-o", out.string()});
    ASSERT_EQ(dumped.status, 0) << dumped.err;
    std::string dump = file_text(out);
    fs::remove(out);
    EXPECT_THAT(dump, HasSubstr("CREATE TABLE public.items (id integer NOT NULL, name text NOT "
                                "NULL, price numeric);\n"));
    EXPECT_EQ(cli(LINEAR_CLI, db, {"schema-dump"}).out, dump); // deterministic
    scoped_database fresh;
    connection conn = fresh.connect();
    (void)conn.exec_all(dump);
    connection migrated = db.connect();
    migrated.exec("ALTER TABLE items DROP COLUMN rogue; CREATE INDEX items_price_idx ON items "
                  "(price)");
    EXPECT_EQ(schema::render_lines(schema::read_model(conn)),
              schema::render_lines(schema::read_model(
                  migrated, {.skip_relations = {"public.pgmig_version", "public.pgmig_history"}})));
}

TEST(Cli, AdoptWritesABaselineThatRebuildsAnExistingDatabase) {
    // A database built by a script pgmig did not write, holding every kind of object: adopt
    // writes the first revision, which (compiled as the build would) rebuilds the same schema
    // elsewhere and takes it away again, and stamps the database at it: with the rebuilt set,
    // the database is up to date (the recorded checksum is the compiled one) with no drift.
    scoped_database db;
    db.connect().exec(file_text(fs::path(ADOPT_DIR) / "brownfield.sql"));
    auto dir = fs::temp_directory_path() / fmt::format("pgmig-adopt-{}", getpid());
    fs::remove_all(dir);
    auto adopted = cli(EMPTY_CLI, db, {"adopt", "--directory", dir.string()});
    ASSERT_EQ(adopted.status, 0) << adopted.err;
    auto file = dir / "0001_baseline.sql";
    ASSERT_TRUE(fs::exists(file)) << adopted.out;
    EXPECT_THAT(adopted.out, HasSubstr("Stamped the database at "));
    std::string text = file_text(file);
    EXPECT_THAT(text, Not(HasSubstr("-- pgmig:revises")));
    EXPECT_THAT(text,
                HasSubstr("CREATE TABLE billing.invoices_2026 PARTITION OF billing.invoices"));
    EXPECT_TRUE(compiler::compile_revision(file.string(), text).ok()) << text;

    revision_set set = make_set("it_empty", {{"0001_baseline.sql", text}});
    connection conn = db.connect();
    EXPECT_EQ(check_database(conn, set).condition, database_condition::up_to_date);
    EXPECT_EQ(schema::render_lines(schema::replayed_model(set, db.url(), {"heads"})),
              schema::render_lines(schema::read_model(conn, scope_of(set.settings()))));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM customers"), "1"); // nothing ran on it

    // Once adopted, the database is no longer a stranger; an empty one has nothing to adopt.
    auto again = cli(EMPTY_CLI, db, {"adopt", "--directory", (dir / "again").string()});
    EXPECT_EQ(again.status, 6) << again.err;
    EXPECT_THAT(again.err, HasSubstr("already at revisions of this set"));
    // A baseline not kept: the build that does not know it takes the stamp back.
    auto undone = cli(EMPTY_CLI, db, {"stamp", "--purge", "base"});
    EXPECT_EQ(undone.status, 0) << undone.err;
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pgmig_version"), "0");
    auto tenant = cli(EMPTY_CLI, db, {"--schema", "t1", "adopt", "--directory", dir.string()});
    EXPECT_EQ(tenant.status, 2) << tenant.err;
    EXPECT_THAT(tenant.err, HasSubstr("cannot adopt a tenant"));
    scoped_database blank;
    auto nothing = cli(EMPTY_CLI, blank, {"adopt", "--directory", (dir / "blank").string()});
    EXPECT_EQ(nothing.status, 2) << nothing.err;
    EXPECT_THAT(nothing.err, HasSubstr("nothing to adopt"));
    // What the baseline could not rebuild is named, and nothing is written.
    scoped_database foreign;
    foreign.connect().exec("CREATE EXTENSION file_fdw; CREATE SERVER files FOREIGN DATA WRAPPER "
                           "file_fdw; CREATE FOREIGN TABLE lines (l text) SERVER files OPTIONS "
                           "(filename '/dev/null'); CREATE TABLE kept (id int)");
    auto refused = cli(EMPTY_CLI, foreign, {"adopt", "--directory", (dir / "foreign").string()});
    EXPECT_EQ(refused.status, 6) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("cannot adopt: the revision written from the schema does "
                                       "not rebuild it"));
    EXPECT_THAT(refused.err, HasSubstr("foreign table public.lines is not generated"));
    EXPECT_FALSE(fs::exists(dir / "again"));
    EXPECT_FALSE(fs::exists(dir / "blank"));
    EXPECT_FALSE(fs::exists(dir / "foreign"));
    fs::remove_all(dir);
}

TEST(Cli, CheckSchemaComparesTheLiveSchemaWithTheBuildsFingerprint) {
    // harness_good's SCHEMA_SOURCES is its schema-dump, whose fingerprint the build embeds.
    scoped_database db;
    ASSERT_EQ(cli(HARNESS_GOOD_CLI, db, {"upgrade", "heads"}).status, 0);
    auto same = cli(HARNESS_GOOD_CLI, db, {"check", "--schema"});
    EXPECT_EQ(same.status, 0) << same.err;
    EXPECT_THAT(same.out, HasSubstr("Schema: the schema is the one harness_good builds"));

    // Changed by hand: the version rows still say up to date; the schema does not.
    db.connect().exec("ALTER TABLE users ADD COLUMN rogue int");
    EXPECT_EQ(cli(HARNESS_GOOD_CLI, db, {"check"}).status, 0);
    auto changed = cli(HARNESS_GOOD_CLI, db, {"check", "--schema"});
    EXPECT_EQ(changed.status, 9) << changed.out;
    EXPECT_THAT(changed.err, HasSubstr("the schema is not the one harness_good builds"));
    EXPECT_THAT(changed.err, HasSubstr("`harness_good-migrate drift`"));
    auto json =
        nlohmann::json::parse(cli(HARNESS_GOOD_CLI, db, {"--json", "check", "--schema"}).out);
    EXPECT_EQ(json["schema"]["matches"], false);
    EXPECT_NE(json["schema"]["expected"], json["schema"]["actual"]);

    // Taken down and stamped at the heads: nothing of the set is there, and only the schema
    // check can tell.
    db.connect().exec("ALTER TABLE users DROP COLUMN rogue");
    ASSERT_EQ(cli(HARNESS_GOOD_CLI, db, {"downgrade", "base"}).status, 0);
    ASSERT_EQ(cli(HARNESS_GOOD_CLI, db, {"stamp", "heads"}).status, 0);
    EXPECT_EQ(cli(HARNESS_GOOD_CLI, db, {"check"}).status, 0);
    EXPECT_EQ(cli(HARNESS_GOOD_CLI, db, {"check", "--schema"}).status, 9);

    // A build without a fingerprint cannot compare, and says what would give it one.
    scoped_database linear;
    ASSERT_EQ(cli(LINEAR_CLI, linear, {"upgrade", "heads"}).status, 0);
    auto none = cli(LINEAR_CLI, linear, {"check", "--schema"});
    EXPECT_EQ(none.status, 2) << none.out;
    EXPECT_THAT(none.err, HasSubstr("has no schema fingerprint"));
}

TEST(Cli, MixedSqlAndCppRevisions) {
    scoped_database db;
    auto up = cli(MIXED_CLI, db, {"upgrade", "head"});
    ASSERT_EQ(up.status, 0) << up.err;
    EXPECT_THAT(up.err, HasSubstr("batch 2: 3 rows so far")); // batch() reports progress
    EXPECT_EQ(up.out, "Upgraded 4 revisions: base -> d4d4d4d4d4d4\n");
    EXPECT_EQ(db.scalar("SELECT string_agg(slug, ',' ORDER BY id) FROM authors"),
              "ada-lovelace,alan-turing,grace-hopper");

    auto show = run({MIXED_CLI, "show", "c3c3"});
    EXPECT_THAT(show.out, HasSubstr("0003_books.cpp"));

    // The downgrade of c3 is derived from its helpers; b2's is its own.
    auto down = cli(MIXED_CLI, db, {"downgrade", "a1a1"});
    ASSERT_EQ(down.status, 0) << down.err;
    EXPECT_EQ(
        db.scalar(
            "SELECT to_regclass('books') IS NULL AND to_regclass('authors_slug_key') IS NULL"),
        "t");
    EXPECT_EQ(
        db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'authors'"),
        "2");

    // Offline: helpers print their SQL; a revision that reads data says it cannot.
    auto sql = run({MIXED_CLI, "downgrade", "--sql", "d4d4:b2b2"});
    ASSERT_EQ(sql.status, 0) << sql.err;
    EXPECT_THAT(sql.out, HasSubstr("DROP INDEX \"books_author_idx\";\n"
                                   "ALTER TABLE \"books\" DROP CONSTRAINT \"books_author_fk\";\n"
                                   "DROP TABLE \"books\";\n"));
    auto refused = run({MIXED_CLI, "upgrade", "--sql", "head"});
    EXPECT_EQ(refused.status, 6);
    EXPECT_EQ(refused.out, "");
    EXPECT_THAT(refused.err, HasSubstr("C++ revision b2b2b2b2b2b2 reads data from the database "
                                       "(batch()), so its SQL cannot be printed offline"));
}

TEST(Cli, BehindAPoolInTransactionModeTheMigratorRefuses) {
    // PgBouncer in transaction mode hands the server session that holds the migration lock to
    // whichever client comes next; pgmig must notice and refuse rather than run unlocked.
    const std::string pgbouncer = "/usr/sbin/pgbouncer";
    if (!fs::exists(pgbouncer)) {
        GTEST_SKIP() << "pgbouncer is not installed (apt-get install pgbouncer)";
    }
    scoped_database db;
    auto as = server::server_account();
    const std::string dir = "/tmp/pgmig-pgbouncer-" + db.name();
    server::make_private_directory(dir, as);
    const int port = server::free_loopback_port();
    connection admin = db.connect();
    result where = admin.exec("SELECT split_part(current_setting('unix_socket_directories'), "
                              "',', 1), current_setting('port')");
    std::ofstream(dir + "/users.txt") << "\"postgres\" \"\"\n";
    std::ofstream(dir + "/pgbouncer.ini")
        << fmt::format("[databases]\n* = host={} port={}\n"
                       "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {}\n"
                       "unix_socket_dir =\nauth_type = trust\nauth_file = {}/users.txt\n"
                       "pool_mode = transaction\ndefault_pool_size = 4\n"
                       "logfile = {}/pgbouncer.log\npidfile = {}/pgbouncer.pid\n",
                       where.text(0, 0), where.text(0, 1), port, dir, dir, dir);
    if (as) {
        for (const char* f : {"/users.txt", "/pgbouncer.ini"}) {
            ASSERT_EQ(chown((dir + f).c_str(), as->uid, as->gid), 0);
        }
    }
    server::process_options options;
    options.as = as;
    options.output = server::output_mode::discard;
    pid_t bouncer = server::start_process({pgbouncer, dir + "/pgbouncer.ini"}, options);
    const std::string url =
        fmt::format("host=127.0.0.1 port={} user=postgres dbname={}", port, db.name());
    bool ready = false;
    for (int i = 0; i < 500 && !ready; ++i) {
        try {
            (void)connection::open(url);
            ready = true;
        } catch (const error&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    ASSERT_TRUE(ready) << "pgbouncer did not start";
    auto refused = run({LINEAR_CLI, "upgrade", "heads"}, {{"DATABASE_URL", url}});
    kill(bouncer, SIGTERM);
    (void)server::wait_process(bouncer);
    fs::remove_all(dir);
    EXPECT_EQ(refused.status, 7) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("pool_mode = transaction"));
    EXPECT_EQ(db.scalar("SELECT to_regclass('items') IS NULL"), "t"); // nothing applied
}

TEST(Cli, WhatANewUserHit) {
    scoped_database db;
    // --sql before the verb works as after it; elsewhere it says where it goes.
    auto sql = run({LINEAR_CLI, "--sql", "upgrade", "head"}, {{"DATABASE_URL", ""}});
    EXPECT_EQ(sql.status, 0) << sql.err;
    EXPECT_THAT(sql.out, HasSubstr("CREATE TABLE items"));
    auto misplaced = cli(LINEAR_CLI, db, {"--sql", "current"});
    EXPECT_EQ(misplaced.status, 2);
    EXPECT_THAT(misplaced.err, HasSubstr("--sql goes with upgrade or downgrade"));
    // The files a build embeds are named from the set's folder down, not by the build
    // machine's absolute paths: in --sql output and in the history table.
    EXPECT_THAT(sql.out, HasSubstr("'linear/0001_items.sql'"));
    EXPECT_THAT(sql.out, Not(HasSubstr(SETS_DIR)));
    ASSERT_EQ(cli(LINEAR_CLI, db, {"upgrade", "heads"}).status, 0);
    EXPECT_EQ(db.scalar("SELECT string_agg(file, ',' ORDER BY id) FROM pgmig_history"),
              "linear/0001_items.sql,linear/0002_price.sql,linear/0003_seed.sql");
    // db_revision without MSG says how to give one.
    auto no_message = run({LINEAR_CLI, "--from-env", "revision"}, {{"MSG", ""}});
    EXPECT_EQ(no_message.status, 2);
    EXPECT_THAT(no_message.err, HasSubstr("set MSG, as in MSG=\"Add orders\""));
    // A database that does not exist: the error says how to make it.
    auto missing = run({LINEAR_CLI, "current"},
                       {{"DATABASE_URL", test_server::get().url + " dbname=no_such_db"}});
    EXPECT_EQ(missing.status, 4);
    EXPECT_THAT(missing.err, HasSubstr("CREATE DATABASE \"no_such_db\" (or createdb no_such_db)"));
}

TEST(Cli, StepLinesComeBeforeTheirStatements) {
    scoped_database db;
    auto r = cli(CONCURRENT_CLI, db, {"upgrade", "heads"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto header = r.err.find("[2/2] upgrade k1k1k1k1k1k1 -> k2k2k2k2k2k2");
    auto statement = r.err.find("statement 1 of 2 done");
    ASSERT_NE(header, std::string::npos) << r.err;
    ASSERT_NE(statement, std::string::npos) << r.err;
    EXPECT_LT(header, statement) << r.err;
}
