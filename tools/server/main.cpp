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
//   pgmig-server stop --home DIR            (stops a kept server, e.g. a development one)
//   pgmig-server status --home DIR
//
// The state file records what was started (key=value lines); tests read `url` from it.

#include "container_server.hpp"
#include "local_server.hpp"

#include <pgmig/connection.hpp>
#include <pgmig/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace fs = std::filesystem;
using namespace pgmig;

namespace {

std::map<std::string, std::string> read_state(const std::string& path) {
    std::map<std::string, std::string> out;
    std::ifstream in(path);
    if (!in) {
        throw error(fmt::format("no server state in {}", path));
    }
    for (std::string line; std::getline(in, line);) {
        if (auto eq = line.find('='); eq != std::string::npos) {
            out[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    if (!out.count("provider")) {
        throw error(fmt::format("{} is not a state file written by `pgmig-server start`", path));
    }
    return out;
}

void write_state(const std::string& path, const std::map<std::string, std::string>& values) {
    fs::create_directories(fs::absolute(path).parent_path());
    { std::ofstream create(path + ".tmp", std::ios::trunc); }
    // The url may hold a password (container servers): only the owner may read the file.
    fs::permissions(path + ".tmp", fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
    std::ofstream out(path + ".tmp", std::ios::trunc);
    for (const auto& [k, v] : values) {
        out << k << '=' << v << '\n';
    }
    out.close();
    fs::rename(path + ".tmp", path);
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
    auto* start = app.add_subcommand("start", "start a server for tests or development");
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

    std::string stop_home;
    auto* stop = app.add_subcommand("stop", "stop a server: the one in a state file, or by home");
    auto* stop_state = stop->add_option("--state", state, "state file written by start");
    auto* stop_by_home = stop->add_option("--home", stop_home, "directory the cluster lives in");
    stop_state->excludes(stop_by_home);

    std::string home;
    auto* status = app.add_subcommand("status", "print how to reach a running local server");
    status->add_option("--home", home, "directory the cluster lives in")->required();

    try {
        app.parse(argc, argv);
        if (start->parsed()) {
            auto began = std::chrono::steady_clock::now();
            auto elapsed = [&] {
                return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                 began)
                    .count();
            };
            if (provider == "auto") {
                // A container if an engine answers, else a local cluster, else a clear failure.
                if (!server::find_engine(container.engine).empty()) {
                    provider = "container";
                } else {
                    try {
                        (void)server::find_binaries();
                        provider = "local";
                    } catch (const error&) {
                        throw error("no PostgreSQL for the tests: no container engine answers "
                                    "(tried docker and podman) and no initdb was found (install "
                                    "postgresql, or set PGMIG_PG_BINDIR, or give a server with "
                                    "PGMIG_TEST_DATABASE_URL and provider url)");
                    }
                }
            }
            std::map<std::string, std::string> values{{"provider", provider}};
            if (provider == "local") {
                if (options.home.empty()) {
                    throw error("a local server needs --home DIR");
                }
                auto info = server::start_local(options);
                values.insert({{"url", info.url},
                               {"tcp_url", info.tcp_url},
                               {"home", options.home},
                               {"throwaway", options.throwaway ? "1" : "0"},
                               {"log_file", info.log_file}});
            } else if (provider == "container") {
                auto info = server::start_container(container);
                values.insert({{"url", info.url}, {"engine", info.engine}, {"container", info.id}});
            } else {
                if (url.empty()) {
                    const char* env = std::getenv("PGMIG_TEST_DATABASE_URL");
                    url = env != nullptr ? env : "";
                }
                if (url.empty()) {
                    throw error("the url server needs --url or PGMIG_TEST_DATABASE_URL");
                }
                (void)connection::open(url,
                                       "pgmig-server"); // fail now, clearly, if it is unreachable
                values.insert({"url", url});
            }
            values["ready_ms"] = fmt::format("{:.0f}", elapsed());
            write_state(state, values);
            std::cout << fmt::format("PostgreSQL ({}) ready in {:.0f} ms: {}\n", provider,
                                     elapsed(), mask_password(values["url"]));
        } else if (stop->parsed() && !stop_home.empty()) {
            server::stop_local(stop_home, false);
            std::cout << "stopped (if it was running)\n";
        } else if (stop->parsed()) {
            auto values = read_state(state);
            if (values["provider"] == "container") {
                server::remove_container(values["engine"], values["container"]);
            } else if (values["provider"] == "url") {
                // not ours to stop; each test dropped its own database
            } else if (values["throwaway"] == "1") {
                server::remove_local(values["home"]);
            } else {
                server::stop_local(values["home"], false);
            }
            fs::remove(state);
            std::cout << "stopped\n";
        } else if (status->parsed()) {
            auto info = server::local_status(home);
            if (!info) {
                std::cout << "not running\n";
                return 1;
            }
            std::cout << fmt::format("running: {}\ndata: {}\nlog: {}\n", info->url, info->data_dir,
                                     info->log_file);
        }
        return 0;
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "pgmig-server: error: " << e.what() << '\n';
        return 1;
    }
}
