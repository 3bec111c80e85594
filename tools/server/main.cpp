// pgmig-server: starts and stops PostgreSQL servers for tests and development.
//
//   pgmig-server start --state FILE --home DIR [--throwaway] [--tcp] [--tmpfs]
//                      [--template DIR] [--database NAME]
//   pgmig-server stop --state FILE          (removes throw-away servers)
//   pgmig-server stop --home DIR            (stops a kept server, e.g. a development one)
//   pgmig-server status --home DIR
//
// The state file records what was started (key=value lines); tests read `url` from it.

#include "local_server.hpp"

#include <pgmig/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
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
    server::cluster_options options;
    auto* start = app.add_subcommand("start", "start a local server (initialising it first)");
    start->add_option("--state", state, "file to record the server in")->required();
    start->add_option("--home", options.home, "directory the cluster lives in")->required();
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
            auto info = server::start_local(options);
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                  began)
                            .count();
            write_state(state, {{"provider", "local"},
                                {"url", info.url},
                                {"tcp_url", info.tcp_url},
                                {"home", options.home},
                                {"throwaway", options.throwaway ? "1" : "0"},
                                {"log_file", info.log_file},
                                {"ready_ms", fmt::format("{:.0f}", ms)}});
            std::cout << fmt::format("PostgreSQL ready in {:.0f} ms: {}\n", ms, info.url);
        } else if (stop->parsed() && !stop_home.empty()) {
            server::stop_local(stop_home, false);
            std::cout << "stopped (if it was running)\n";
        } else if (stop->parsed()) {
            auto values = read_state(state);
            if (values["throwaway"] == "1") {
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
            std::cout << fmt::format("running: {}\ndata: {}\nlog: {}\n", info->url,
                                     info->data_dir, info->log_file);
        }
        return 0;
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "pgmig-server: error: " << e.what() << '\n';
        return 1;
    }
}
