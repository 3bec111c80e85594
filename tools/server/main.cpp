// pgmig-server: starts and stops PostgreSQL servers for tests and development.
//
//   pgmig-server start --state FILE [--provider local|container|url|auto]
//                      [--home DIR] [--throwaway] [--tcp] [--tmpfs] [--template DIR]
//                      [--database NAME]                          (local)
//                      [--image IMAGE] [--engine docker|podman] [--network publish|host]
//                                                                 (container)
//                      [--url URL]                                (url; else
//                      PGMIG_TEST_DATABASE_URL)
//   pgmig-server stop --state FILE          (removes throw-away servers)
//   pgmig-server url --state FILE           (prints the connection string, for scripts)
//
// The development server behind the db_* targets:
//   pgmig-server dev start|stop|status --home DIR [--database NAME]
//   pgmig-server dev run --home DIR --database NAME -- PROGRAM ARGS...
//       runs PROGRAM with DATABASE_URL pointing at the development server (started, and the
//       database created, on demand) unless DATABASE_URL is already set.

#include "container_server.hpp"
#include "local_server.hpp"
#include "state_file.hpp"

#include <pgmig/connection.hpp>
#include <pgmig/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

namespace fs = std::filesystem;
using namespace pgmig;

namespace {

bool have_local_binaries() {
    try {
        (void)server::find_binaries();
        return true;
    } catch (const error&) {
        return false;
    }
}

std::string describe(const server::server_info& info) {
    return fmt::format(
        "Development server running\n  data: {}\n  log: {}\n  connect: psql \"{}\"\n",
        info.data_dir, info.log_file, info.url);
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"pgmig-server: PostgreSQL servers for tests and development"};
    app.require_subcommand(1);

    std::string state;
    std::string provider = "local";
    std::string url;
    server::cluster_options options;
    server::container_options container;
    auto* start = app.add_subcommand("start", "start a server for tests");
    start->add_option("--state", state, "file to record the server in")->required();
    start->add_option("--provider", provider, "local, container, url or auto")
        ->check(CLI::IsMember({"local", "container", "url", "auto"}));
    start->add_option("--home", options.home, "directory a local cluster lives in");
    start->add_option("--image", container.image,
                      "container image (default PGMIG_TEST_IMAGE or postgres:16)");
    start->add_option("--engine", container.engine,
                      "docker or podman (default: whichever answers)");
    start->add_option("--network", container.network, "publish (default) or host")
        ->check(CLI::IsMember({"", "publish", "host"}));
    start->add_option("--url", url, "an existing server (default PGMIG_TEST_DATABASE_URL)");
    start->add_flag("--throwaway", options.throwaway, "fsync off and friends (tests only)");
    start->add_flag("--tcp", options.tcp, "also listen on 127.0.0.1 at a free port");
    start->add_flag("--tmpfs", options.prefer_tmpfs, "keep the data on /dev/shm");
    start->add_option("--template", options.template_dir, "cached initialized cluster to copy");
    start->add_option("--database", options.database, "database to create");

    auto* stop = app.add_subcommand("stop", "stop the server recorded in a state file");
    stop->add_option("--state", state, "state file written by start")->required();

    auto* url_cmd = app.add_subcommand("url", "print the connection string of a started server");
    url_cmd->add_option("--state", state, "state file written by start")->required();

    auto* dev = app.add_subcommand("dev", "the development server kept under a build tree");
    dev->require_subcommand(1);
    std::string home;
    std::string database;
    std::vector<std::string> command;
    auto add_dev = [&](const char* name, const char* help) {
        auto* sub = dev->add_subcommand(name, help);
        sub->add_option("--home", home, "directory the cluster lives in")->required();
        sub->add_option("--database", database, "database of the set (created when missing)");
        return sub;
    };
    auto* dev_start = add_dev("start", "start it (creating it first)");
    auto* dev_stop = add_dev("stop", "stop it (its data stays)");
    auto* dev_status = add_dev("status", "say whether it runs and how to reach it");
    auto* dev_run = add_dev("run", "run a command with DATABASE_URL pointing at it, unless set");
    dev_run->add_option("command", command, "the program and its arguments, after --")->required();

    try {
        app.parse(argc, argv);
        if (start->parsed()) {
            auto began = std::chrono::steady_clock::now();
            auto elapsed = [&] {
                return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                 began)
                    .count();
            };
            std::optional<server::container_info> started;
            if (provider == "auto") {
                // A container if an engine answers and the container starts; else a local
                // cluster; else a clear failure. Which one it was is said below.
                const bool local_possible = have_local_binaries();
                if (!server::find_engine(container.engine).empty()) {
                    try {
                        started = server::start_container(container);
                    } catch (const error& e) {
                        if (!local_possible) {
                            throw;
                        }
                        std::cout << fmt::format("auto: the container did not start ({}); using a "
                                                 "local server instead\n",
                                                 e.what());
                    }
                }
                if (!started && !local_possible) {
                    throw error("no PostgreSQL for the tests: no container engine answers (tried "
                                "docker and podman) and no initdb was found (install postgresql, "
                                "or set PGMIG_PG_BINDIR, or give a server with "
                                "PGMIG_TEST_DATABASE_URL and provider url)");
                }
                provider = started ? "container" : "local";
            }
            server::server_state s;
            s.provider = provider;
            if (provider == "local") {
                if (options.home.empty()) {
                    throw error("a local server needs --home DIR");
                }
                auto info = server::start_local(options);
                s.url = info.url;
                s.tcp_url = info.tcp_url;
                s.home = options.home;
                s.throwaway = options.throwaway;
                s.log_file = info.log_file;
            } else if (provider == "container") {
                auto info = started ? *started : server::start_container(container);
                s.url = info.url;
                s.engine = info.engine;
                s.container = info.id;
            } else {
                if (url.empty()) {
                    const char* env = std::getenv("PGMIG_TEST_DATABASE_URL"); // for errors too
                    url = env != nullptr ? env : "";
                }
                if (url.empty()) {
                    throw error("the url server needs --url or PGMIG_TEST_DATABASE_URL");
                }
                // Fail now, clearly, if it is unreachable.
                (void)connection::open(url, "pgmig-server");
                s.url = url;
            }
            s.ready_ms = static_cast<int>(elapsed());
            s.write(state);
            std::cout << fmt::format("PostgreSQL ({}) ready in {} ms: {}\n", provider, s.ready_ms,
                                     mask_password(s.url));
        } else if (stop->parsed()) {
            auto s = server::server_state::read(state);
            if (s.provider == "container") {
                server::remove_container(s.engine, s.container);
            } else if (s.provider == "url") {
                // not ours to stop; each test dropped its own database
            } else if (s.throwaway) {
                server::remove_local(s.home);
            } else {
                server::stop_local(s.home, false);
            }
            fs::remove(state);
            std::cout << "stopped\n";
        } else if (url_cmd->parsed()) {
            std::cout << server::server_state::read(state).url << '\n';
        } else if (dev_start->parsed()) {
            options.home = home;
            options.database = database;
            std::cout << describe(server::start_local(options));
        } else if (dev_stop->parsed()) {
            bool running = server::local_status(home).has_value();
            server::stop_local(home, false);
            std::cout << (running ? "Development server stopped\n"
                                  : "Development server was not running\n");
        } else if (dev_status->parsed()) {
            auto info = server::local_status(home);
            if (!info) {
                std::cout << fmt::format("Development server in {} is not running\n", home);
                return 0;
            }
            std::cout << describe(*info);
        } else if (dev_run->parsed()) {
            server::process_options run;
            run.cwd.clear();
            run.output = server::output_mode::inherit;
            const char* given = std::getenv("DATABASE_URL");
            if (given == nullptr || *given == '\0') {
                bool was_running = server::local_status(home).has_value();
                options.home = home;
                options.database = database;
                auto info = server::start_local(options);
                if (!was_running) {
                    // Said every time: a server stopped on purpose comes back here.
                    std::cerr << fmt::format("note: started the development server in {} (it was "
                                             "not running; the server_stop target stops it)\n"
                                             "      connect with: psql \"{}\"\n",
                                             info.data_dir, info.url);
                }
                run.env.emplace_back("DATABASE_URL", info.url);
            }
            return server::run_process(command, run).exit_code;
        }
        return 0;
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        // The url provider's connection string may hold a password, and libpq quotes it.
        std::cerr << "pgmig-server: error: " << redact_secrets(e.what(), url) << '\n';
        return 1;
    }
}
