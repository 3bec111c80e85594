// test graph|roundtrip|stairway|expectations: the generated migration tests (pgmig_add_tests),
// against a database each test makes on a test server.

#include "context.hpp"
#include "migration_tests.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

namespace pgmig::cli {
namespace {

struct test_args {
    std::string server;
    std::string server_state;
    std::vector<std::string> expect_files;
    std::vector<std::string> expect;
    std::string data_dir;
    bool keep = false;
};

std::string server_url(const test_args& a) {
    if (!a.server.empty()) {
        return a.server;
    }
    if (!a.server_state.empty()) {
        std::ifstream in(a.server_state);
        if (!in) {
            throw connection_error(
                fmt::format("no test server: {} does not exist (did the server fixture test fail?)",
                            a.server_state));
        }
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("url=", 0) == 0) {
                return line.substr(4);
            }
        }
        throw connection_error(fmt::format("{} does not name a server (no url=)", a.server_state));
    }
    if (const char* env = std::getenv("PGMIG_TEST_SERVER_URL"); env != nullptr && *env != '\0') {
        return env;
    }
    throw connection_error("no test server: pass --server-state FILE or --server URL, or set "
                           "PGMIG_TEST_SERVER_URL");
}

} // namespace

void add_test_commands(CLI::App& app, context& ctx) {
    auto* test = app.add_subcommand("test", "run a generated migration test (pgmig_add_tests)");
    test->require_subcommand(1);
    auto args = std::make_shared<test_args>();
    test->add_option("--server", args->server, "connection string of the test server");
    test->add_option("--server-state", args->server_state,
                     "state file written by pgmig-server start");
    test->add_option("--expect-file", args->expect_files, "file of expected tables and columns");
    test->add_option("--expect", args->expect,
                     "an expected table or column: `users.email text not null`");
    test->add_option("--data-dir", args->data_dir,
                     "data checks: <revision>.before.sql, .after_up.sql, .after_down.sql");
    test->add_flag("--keep-database", args->keep, "keep the test's database for a look afterwards");

    using runner_fn = void (*)(const revision_set&, const testing::test_options&);
    for (auto [name, help, fn, needs_server] :
         {std::tuple<const char*, const char*, runner_fn, bool>{
              "graph", "single head unless allowed, every revision reversible", testing::test_graph,
              false},
          {"roundtrip", "upgrade heads, downgrade base, upgrade heads: nothing left behind",
           testing::test_roundtrip, true},
          {"stairway", "every revision up, down and up, comparing schema snapshots",
           testing::test_stairway, true},
          {"expectations", "expected tables and columns exist after upgrade heads",
           testing::test_expectations, true}}) {
        test->add_subcommand(name, help)->callback([&ctx, args, name, fn, needs_server] {
            ctx.test_name = fmt::format("{}.{}", ctx.set.name(), name);
            testing::test_options options;
            options.out = &ctx.out;
            options.keep_database = args->keep;
            options.data_dir = args->data_dir;
            for (const auto& file : args->expect_files) {
                std::ifstream in(file);
                if (!in) {
                    throw error(fmt::format("cannot read expectations file {}", file));
                }
                std::stringstream text;
                text << in.rdbuf();
                auto parsed = testing::parse_expectations(text.str(), file);
                options.expectations.insert(options.expectations.end(), parsed.begin(),
                                            parsed.end());
            }
            int n = 0;
            for (const auto& entry : args->expect) {
                auto parsed =
                    testing::parse_expectations(entry, fmt::format("EXPECT entry {}", ++n));
                options.expectations.insert(options.expectations.end(), parsed.begin(),
                                            parsed.end());
            }
            if (needs_server) {
                options.server = server_url(*args);
            }
            fn(ctx.set, options);
        });
    }
}

} // namespace pgmig::cli
