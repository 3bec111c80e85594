// <set>-test graph|roundtrip|stairway|expectations|schema: the generated migration tests
// (pgmig_add_tests), each against a database it makes on a test server.

#include "migration_tests.hpp"
#include "state_file.hpp"

#include <pgmig/schema_fingerprint.hpp>
#include <pgmig/schema_replay.hpp>
#include <pgmig/test_cli.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace pgmig::testing {
namespace {

enum exit_status : int { exit_ok = 0, exit_failure = 1, exit_usage = 2, exit_test_failed = 10 };

struct test_args {
    std::string server;
    std::string server_state;
    std::vector<std::string> expect_files;
    std::vector<std::string> expect;
    std::string data_dir;
    std::vector<std::string> schema_sources;
    bool keep = false;
    std::size_t max_findings = 0;
    std::string from;
    std::string locks = "rewrites";
    std::string locks_report;
};

std::string server_url(const test_args& a) {
    if (!a.server.empty()) {
        return a.server;
    }
    if (!a.server_state.empty()) {
        return server::server_state::read(a.server_state).url;
    }
    if (const char* env = std::getenv("PGMIG_TEST_SERVER_URL"); env != nullptr && *env != '\0') {
        return env;
    }
    throw connection_error("no test server: pass --server-state FILE or --server URL, or set "
                           "PGMIG_TEST_SERVER_URL");
}

std::string file_text(const std::filesystem::path& file, std::string_view what) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw error(fmt::format("cannot read {} {}", what, file.string()));
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<expectation> read_expectations(const test_args& a) {
    std::vector<expectation> out;
    for (const auto& file : a.expect_files) {
        auto parsed = parse_expectations(file_text(file, "expectations file"), file);
        out.insert(out.end(), parsed.begin(), parsed.end());
    }
    int n = 0;
    for (const auto& entry : a.expect) {
        auto parsed = parse_expectations(entry, fmt::format("EXPECT entry {}", ++n));
        out.insert(out.end(), parsed.begin(), parsed.end());
    }
    return out;
}

/// <set>.schema: the revisions build the desired schema (SCHEMA_SOURCES), or the test fails
/// with the difference and the statements autogenerate would write.
void test_schema(const revision_set& set, const test_options& options,
                 const std::vector<std::string>& sources) {
    std::vector<std::filesystem::path> paths(sources.begin(), sources.end());
    schema::desired_comparison c =
        schema::compare_with_desired(set, options.server, schema::schema_files(paths));
    if (!c.equal()) {
        throw test_failure(fmt::format(
            "the revisions do not build the desired schema:\n{}write the revision with "
            "`revision --autogenerate -m MESSAGE` (target <prefix>autogenerate); it would "
            "hold:\n{}",
            c.lines.text(), schema::render_script(c.upgrade)));
    }
    // A schema-dump among the files: its fingerprint (which the build embeds) must be the
    // heads'. On another major version, where definitions print apart, it cannot be checked.
    for (const auto& file : schema::schema_files(paths)) {
        auto found = find_schema_fingerprint(file_text(file, "schema file"));
        if (found && schema::same_major(found->fingerprint, c.head_fingerprint) &&
            found->fingerprint != c.head_fingerprint) {
            throw test_failure(fmt::format(
                "{}:{}: the schema fingerprint is stale ({}; the heads' is {}): write the file "
                "again with `{}-migrate schema-dump -o FILE`",
                file.string(), found->line, found->fingerprint, c.head_fingerprint, set.name()));
        }
    }
    *options.out << fmt::format("{}.schema: the revisions build the desired schema\n", set.name());
}

} // namespace

int run_cli(const revision_set& set, int argc, char** argv) {
    const std::string program = set.name() + "-test";
    CLI::App app{
        fmt::format("{}: the generated migration tests of revision set '{}'", program, set.name()),
        program};
    app.require_subcommand(1);
    test_args args;
    app.add_option("--server", args.server, "connection string of the test server");
    app.add_option("--server-state", args.server_state, "state file written by pgmig-server start");
    app.add_option("--expect-file", args.expect_files, "file of expected tables and columns");
    app.add_option("--expect", args.expect,
                   "an expected table or column: `users.email text not null`");
    app.add_option("--data-dir", args.data_dir,
                   "data checks: <revision>.before.sql, .after_up.sql, .after_down.sql");
    app.add_flag("--keep-database", args.keep, "keep the test's database for a look afterwards");
    app.add_option("--from", args.from,
                   "prove from this revision on; older ones are applied, not taken down "
                   "(STAIRWAY_FROM)");
    app.add_option("--locks", args.locks,
                   "which lock traces fail the stairway: report, rewrites (default) or strict")
        ->check(CLI::IsMember({"report", "rewrites", "strict"}));
    app.add_option("--locks-report", args.locks_report,
                   "file the stairway writes its lock trace to (<set>.locks)");
    app.add_option("--max-findings", args.max_findings,
                   "stop the stairway and the round trip at the first N findings (default: "
                   "PGMIG_TEST_MAX_FINDINGS, else all of them)")
        ->envname("PGMIG_TEST_MAX_FINDINGS");

    using test_fn = void (*)(const revision_set&, const test_options&);
    std::string running;
    for (auto [name, help, fn, needs_server] :
         {std::tuple<const char*, const char*, test_fn, bool>{
              "graph", "single head unless allowed, every revision reversible", test_graph, false},
          {"roundtrip", "upgrade heads, downgrade base, upgrade heads: nothing left behind",
           test_roundtrip, true},
          {"stairway", "every revision up, down and up, comparing schema snapshots", test_stairway,
           true},
          {"expectations", "expected tables and columns exist after upgrade heads",
           test_expectations, true}}) {
        app.add_subcommand(name, help)->callback([&, name, fn, needs_server] {
            running = fmt::format("{}.{}", set.name(), name);
            test_options options;
            options.out = &std::cout;
            options.keep_database = args.keep;
            options.max_findings = args.max_findings;
            options.proven_from = args.from;
            options.locks = lock_policy_from(args.locks);
            options.locks_report = args.locks_report;
            options.data_dir = args.data_dir;
            options.expectations = read_expectations(args);
            if (needs_server) {
                options.server = server_url(args);
            }
            fn(set, options);
        });
    }
    auto* schema_cmd =
        app.add_subcommand("schema", "the revisions build the desired schema (SCHEMA_SOURCES)");
    schema_cmd
        ->add_option("--schema-sources", args.schema_sources,
                     "the desired schema: SQL files, or directories of them")
        ->required();
    schema_cmd->callback([&] {
        running = set.name() + ".schema";
        test_options options;
        options.out = &std::cout;
        options.server = server_url(args);
        test_schema(set, options, args.schema_sources);
    });
    try {
        app.parse(argc, argv);
        return exit_ok;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    } catch (const test_failure& e) {
        std::cerr << program << ": " << running << " failed: " << e.what() << '\n';
        return exit_test_failed;
    } catch (const std::exception& e) {
        std::cerr << program << ": error: " << e.what() << '\n';
        return exit_failure;
    }
}

} // namespace pgmig::testing
