#include "local_server.hpp"

#include "state_file.hpp"

#include <pgmig/connection.hpp>
#include <pgmig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <libpq-fe.h>
#include <map>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace fs = std::filesystem;

namespace pgmig::server {
namespace {

std::string hash8(const std::string& text) {
    return fmt::format("{:08x}", std::hash<std::string>{}(text)&0xFFFFFFFFU);
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) {
        throw error(fmt::format("cannot write {}", path));
    }
}

/// Where the cluster really lives: `home`, or the place recorded in home/location.
std::string real_home(const std::string& home) {
    std::ifstream in(fs::path(home) / "location");
    std::string location;
    if (in && std::getline(in, location) && !location.empty()) {
        return location;
    }
    return home;
}

std::string log_tail(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    std::string out;
    for (std::size_t i = lines.size() > 8 ? lines.size() - 8 : 0; i < lines.size(); ++i) {
        out += "\n  " + lines[i];
    }
    return out;
}

server_info info_from(const std::map<std::string, std::string>& values) {
    auto get = [&](const char* key) {
        auto it = values.find(key);
        return it == values.end() ? std::string() : it->second;
    };
    server_info info;
    info.url = get("url");
    info.tcp_url = get("tcp_url");
    info.home = get("home");
    info.data_dir = get("data_dir");
    info.socket_dir = get("socket_dir");
    const std::string port = get("port");
    (void)std::from_chars(port.data(), port.data() + port.size(), info.port);
    info.log_file = get("log_file");
    return info;
}

/// The connection string of the cluster's `postgres` database, for creating others.
std::string admin_url(const server_info& info) {
    return fmt::format("host={} port={} user=postgres dbname=postgres", info.socket_dir, info.port);
}

/// `info` pointed at `database`, created when missing (the development server serves every
/// set of a build, each in a database of its own).
server_info with_database_created(server_info info, const std::string& database) {
    if (database.empty()) {
        return info;
    }
    connection conn = connection::open(admin_url(info), "pgmig-server");
    if (conn.exec("SELECT 1 FROM pg_database WHERE datname = $1", {database}).rows() == 0) {
        try {
            conn.exec("CREATE DATABASE " + conn.quote_identifier(database));
        } catch (const database_error& e) {
            if (e.sqlstate() != "42P04") { // created meanwhile by another set's target
                throw;
            }
        }
    }
    info.url = with_database(info.url, database);
    if (!info.tcp_url.empty()) {
        info.tcp_url = with_database(info.tcp_url, database);
    }
    return info;
}

/// A directory of its own for the cached cluster: `dir/data` is copied instead of running initdb.
std::string template_home(const std::string& dir, const std::optional<account>& as) {
    if (dir.empty()) {
        return {};
    }
    return reachable_by(dir, as) ? dir : "/tmp/pgmig-template-" + hash8(fs::absolute(dir).string());
}

void initialize(const binaries& bin, const std::string& data, const cluster_options& options,
                const std::optional<account>& as) {
    if (!options.replica_of.empty()) {
        // A copy of the primary that starts as a standby streaming from it (-R writes
        // standby.signal and primary_conninfo).
        auto r = run_process({bin.program("pg_basebackup"), "-D", data, "-d", options.replica_of,
                              "-R", "-X", "stream", "--no-sync", "-c", "fast"},
                             {as});
        if (r.exit_code != 0) {
            throw error(fmt::format("pg_basebackup failed (exit {}):\n{}", r.exit_code, r.output));
        }
        return;
    }
    const std::string cache = template_home(options.template_dir, as);
    const std::string cached = cache.empty() ? "" : (fs::path(cache) / "data").string();
    if (!cached.empty() && fs::exists(fs::path(cached) / "PG_VERSION")) {
        auto r = run_process({"cp", "-a", cached, data}, {as});
        if (r.exit_code == 0) {
            return;
        }
        // A template that cannot be copied is only a missed shortcut.
        std::error_code ignored;
        fs::remove_all(data, ignored);
    }
    auto r = run_process({bin.program("initdb"), "-D", data, "-U", "postgres", "-E", "UTF8",
                          "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256",
                          "--no-instructions", "--no-sync"},
                         {as});
    if (r.exit_code != 0) {
        throw error(fmt::format("initdb failed (exit {}):\n{}", r.exit_code, r.output));
    }
    if (!cached.empty()) {
        std::error_code ignored;
        make_private_directory(cache, as);
        fs::remove_all(cached, ignored);
        (void)run_process({"cp", "-a", data, cached}, {as});
    }
}

} // namespace

binaries find_binaries() {
    if (const char* dir = std::getenv("PGMIG_PG_BINDIR"); dir != nullptr && *dir != '\0') {
        if (!fs::exists(fs::path(dir) / "initdb")) {
            throw error(fmt::format("PGMIG_PG_BINDIR={} has no initdb", dir));
        }
        return {dir};
    }
    std::vector<std::pair<int, std::string>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        auto bin = entry.path() / "bin";
        if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl")) {
            found.emplace_back(std::atoi(entry.path().filename().c_str()), bin.string());
        }
    }
    if (!found.empty()) {
        return {std::max_element(found.begin(), found.end())->second};
    }
    if (const char* path = std::getenv("PATH")) {
        std::istringstream dirs(path);
        for (std::string dir; std::getline(dirs, dir, ':');) {
            if (fs::exists(fs::path(dir) / "initdb") && fs::exists(fs::path(dir) / "pg_ctl")) {
                return {dir};
            }
        }
    }
    throw error("cannot find the PostgreSQL server programs (initdb, pg_ctl): install the "
                "PostgreSQL server (Debian: apt-get install postgresql) or set PGMIG_PG_BINDIR");
}

bool server_ready(const std::string& conninfo) {
    return PQping(conninfo.c_str()) == PQPING_OK;
}

server_info start_local(const cluster_options& options) {
    auto as = server_account();
    if (auto running = local_status(options.home)) {
        return with_database_created(*running, options.database);
    }
    std::string home = real_home(options.home);
    if (home == options.home) {
        if (options.prefer_tmpfs && fs::is_directory("/dev/shm")) {
            home = "/dev/shm/pgmig-" + hash8(fs::absolute(options.home).string());
        } else if (!reachable_by(options.home, as)) {
            home = "/tmp/pgmig-" + hash8(fs::absolute(options.home).string());
        }
        if (home != options.home) {
            fs::create_directories(options.home);
            write_text((fs::path(options.home) / "location").string(), home + "\n");
        }
    }
    const binaries bin = find_binaries();
    const std::string data = (fs::path(home) / "data").string();
    const std::string socket_dir = "/tmp/pgmig-s-" + hash8(home);
    const std::string log = (fs::path(home) / "server.log").string();
    make_private_directory(home, as);
    make_private_directory(socket_dir, as);
    if (!fs::exists(fs::path(data) / "PG_VERSION")) {
        std::error_code ignored;
        fs::remove_all(data, ignored);
        initialize(bin, data, options, as);
        std::string settings =
            fmt::format("\n# pgmig\nunix_socket_directories = '{}'\nlisten_addresses = '{}'\n",
                        socket_dir, options.tcp ? "127.0.0.1" : "");
        if (options.throwaway) {
            settings += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
        }
        settings += options.settings.empty() ? "" : options.settings + "\n";
        auto conf = fs::path(data) / "postgresql.conf";
        std::ofstream(conf, std::ios::app) << settings;
    }
    const int port = options.tcp ? free_loopback_port() : 5432;
    auto started = run_process({bin.program("pg_ctl"), "-D", data, "-l", log, "-W", "-o",
                                fmt::format("-p {}", port), "start"},
                               {as, home});
    if (started.exit_code != 0) {
        throw error(fmt::format("pg_ctl start failed (exit {}): {}{}", started.exit_code,
                                started.output, log_tail(log)));
    }
    server_info info;
    info.home = home;
    info.data_dir = data;
    info.socket_dir = socket_dir;
    info.port = port;
    info.log_file = log;
    info.url = fmt::format("host={} port={} user=postgres dbname=postgres", socket_dir, port);
    if (options.tcp) {
        info.tcp_url = fmt::format("host=127.0.0.1 port={} user=postgres dbname=postgres", port);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!server_ready(info.url)) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw error(fmt::format("the server in {} did not accept connections within 60 s:{}",
                                    data, log_tail(log)));
        }
        if (!fs::exists(fs::path(data) / "postmaster.pid") &&
            std::chrono::steady_clock::now() > deadline - std::chrono::seconds(55)) {
            throw error(
                fmt::format("the server in {} stopped while starting:{}", data, log_tail(log)));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    write_key_values((fs::path(home) / "server.info").string(),
                     {{"url", info.url},
                      {"tcp_url", info.tcp_url},
                      {"home", info.home},
                      {"data_dir", info.data_dir},
                      {"socket_dir", info.socket_dir},
                      {"port", std::to_string(info.port)},
                      {"log_file", info.log_file}});
    return with_database_created(info, options.database);
}

std::optional<server_info> local_status(const std::string& home) {
    std::string where = real_home(home);
    auto path = fs::path(where) / "server.info";
    if (!fs::exists(path)) {
        return std::nullopt;
    }
    server_info info = info_from(read_key_values(path.string()));
    if (!fs::exists(fs::path(info.data_dir) / "postmaster.pid") || !server_ready(info.url)) {
        return std::nullopt;
    }
    return info;
}

void stop_local(const std::string& home, bool immediate) {
    std::string where = real_home(home);
    auto data = fs::path(where) / "data";
    if (!fs::exists(data / "postmaster.pid")) {
        return;
    }
    auto r = run_process({find_binaries().program("pg_ctl"), "-D", data.string(), "-m",
                          immediate ? "immediate" : "fast", "-w", "stop"},
                         {server_account(), where});
    if (r.exit_code != 0 && fs::exists(data / "postmaster.pid")) {
        throw error(fmt::format("pg_ctl stop failed (exit {}): {}", r.exit_code, r.output));
    }
}

void remove_local(const std::string& home) {
    std::string where = real_home(home);
    stop_local(home, true);
    std::error_code ignored;
    auto info_file = fs::path(where) / "server.info";
    if (fs::exists(info_file)) {
        fs::remove_all(info_from(read_key_values(info_file.string())).socket_dir, ignored);
    }
    fs::remove_all(where, ignored);
    fs::remove_all(home, ignored);
}

} // namespace pgmig::server
