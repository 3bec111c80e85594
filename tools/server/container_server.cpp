#include "container_server.hpp"

#include "local_server.hpp"
#include "process.hpp"

#include <pgmig/connection.hpp>
#include <pgmig/error.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include <unistd.h>

namespace pgmig::server {
namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

std::string last_line(const std::string& text) {
    std::string t = trim(text);
    auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

std::string random_hex(std::size_t digits) {
    std::random_device rd;
    std::string out;
    while (out.size() < digits) {
        out += fmt::format("{:08x}", rd());
    }
    return out.substr(0, digits);
}

std::string logs_of(const std::string& engine, const std::string& id) {
    auto r = run_process({engine, "logs", "--tail", "20", id});
    return r.output;
}

} // namespace

std::string find_engine(const std::string& preferred) {
    std::vector<std::string> candidates;
    if (!preferred.empty()) {
        candidates.push_back(preferred);
    } else {
        candidates = {"docker", "podman"};
    }
    for (const auto& engine : candidates) {
        try {
            if (run_process({engine, "info"}).exit_code == 0) {
                return engine;
            }
        } catch (const error&) {
        }
    }
    return {};
}

container_info start_container(const container_options& options) {
    container_info info;
    info.engine = options.engine.empty() ? find_engine() : options.engine;
    if (info.engine.empty()) {
        throw error("no container engine answers: neither `docker info` nor `podman info` "
                    "succeeds; install one, or use the local or url server");
    }
    std::string image = options.image;
    if (image.empty()) {
        const char* env = std::getenv("PGMIG_TEST_IMAGE");
        image = env != nullptr && *env != '\0' ? env : "postgres:16";
    }
    const std::string password = random_hex(24);
    const bool host = options.network == "host";
    const int port = host ? free_loopback_port() : 0;
    std::vector<std::string> argv{info.engine,
                                  "run",
                                  "-d",
                                  "--name",
                                  "pgmig-test-" + random_hex(8),
                                  "-e",
                                  "POSTGRES_PASSWORD", // the value comes from the environment
                                  "--tmpfs",
                                  "/var/lib/postgresql/data"};
    if (host) {
        argv.insert(argv.end(), {"--network", "host"});
    } else {
        argv.insert(argv.end(), {"-p", "127.0.0.1::5432"});
    }
    argv.push_back(image);
    for (const char* setting : {"fsync=off", "synchronous_commit=off", "full_page_writes=off"}) {
        argv.insert(argv.end(), {"-c", setting});
    }
    if (host) {
        argv.insert(argv.end(),
                    {"-c", "listen_addresses=127.0.0.1", "-c", fmt::format("port={}", port)});
    }
    process_options run_options;
    run_options.env = {{"POSTGRES_PASSWORD", password}};
    auto started = run_process(argv, run_options);
    if (started.exit_code != 0) {
        throw error(fmt::format("{} run {} failed (exit {}): {}", info.engine, image,
                                started.exit_code, trim(started.output)));
    }
    info.id = last_line(started.output);
    try {
        int mapped = port;
        if (!host) {
            auto where = run_process({info.engine, "port", info.id, "5432/tcp"});
            std::string line = last_line(where.output);
            auto colon = line.rfind(':');
            if (where.exit_code != 0 || colon == std::string::npos) {
                throw error(fmt::format("cannot read the published port of {}: {}", info.id, line));
            }
            mapped = std::atoi(line.c_str() + colon + 1);
        }
        info.url = fmt::format("host=127.0.0.1 port={} user=postgres password={} dbname=postgres",
                               mapped, password);
        // A bare TCP connect is not enough (a proxy may accept first): wait for a real query.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        for (;;) {
            if (server_ready(info.url)) {
                try {
                    connection conn = connection::open(info.url, "pgmig-server");
                    conn.exec("SELECT 1");
                    break;
                } catch (const error&) {
                    // the image's first start restarts the server once; keep waiting
                }
            }
            if (std::chrono::steady_clock::now() > deadline) {
                throw error(fmt::format("the container {} did not accept connections within 120 s; "
                                        "its log ends with:\n{}",
                                        info.id, logs_of(info.engine, info.id)));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    } catch (...) {
        remove_container(info.engine, info.id);
        throw;
    }
    return info;
}

void remove_container(const std::string& engine, const std::string& id) {
    (void)run_process({engine, "rm", "-f", id});
}

} // namespace pgmig::server
