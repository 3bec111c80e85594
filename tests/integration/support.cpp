#include "support.hpp"

#include "process.hpp"
#include "revision_compiler.hpp"
#include "state_file.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pgmig::test {
namespace {

server::server_state read_state() {
    const char* path = std::getenv("PGMIG_TEST_SERVER_STATE");
    if (path == nullptr) {
        throw std::runtime_error("PGMIG_TEST_SERVER_STATE is not set: run this test through ctest, "
                                 "whose fixture starts the server");
    }
    return server::server_state::read(path);
}

std::string with_database(const std::string& url, const std::string& db) {
    return url + " dbname=" + db; // a later keyword wins in libpq strings
}

} // namespace

const test_server& test_server::get() {
    static const test_server server = [] {
        auto state = read_state();
        return test_server{state.url, state.tcp_url};
    }();
    return server;
}

scoped_database::scoped_database() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test =
        info != nullptr ? fmt::format("{}_{}", info->test_suite_name(), info->name()) : "test";
    for (char& c : test) {
        c = std::isalnum(static_cast<unsigned char>(c)) != 0
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '_';
    }
    m_name = fmt::format("t_{}_{:x}{}", test.substr(0, 40), rd() & 0xFFFFFFU, counter++);
    connection admin = connection::open(test_server::get().url);
    admin.exec(
        fmt::format("CREATE DATABASE {} TEMPLATE template0", admin.quote_identifier(m_name)));
}

scoped_database::~scoped_database() {
    try {
        connection admin = connection::open(test_server::get().url);
        admin.exec(
            fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", admin.quote_identifier(m_name)));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dropping test database %s failed: %s\n", m_name.c_str(), e.what());
    }
}

std::string scoped_database::url() const {
    return with_database(test_server::get().url, m_name);
}

connection scoped_database::connect() const {
    return connection::open(url(), "pgmig-test");
}

std::string scoped_database::scalar(const std::string& sql) const {
    return test::scalar(url(), sql);
}

std::string scalar(const std::string& url, const std::string& sql) {
    connection conn = connection::open(url, "pgmig-test");
    result r = conn.exec(sql);
    return r.rows() > 0 && r.columns() > 0 && !r.is_null(0, 0) ? std::string(r.text(0, 0))
                                                               : std::string();
}

extra_server::extra_server(const std::string& name, server::cluster_options options)
    : m_home((std::filesystem::temp_directory_path() / fmt::format("pgmig-{}-{}", name, ::getpid()))
                 .string()) {
    options.home = m_home;
    options.throwaway = true;
    options.prefer_tmpfs = true;
    if (options.replica_of.empty() && std::filesystem::exists(SERVER_TEMPLATE)) {
        options.template_dir = SERVER_TEMPLATE;
    }
    m_info = server::start_local(options);
}

extra_server::~extra_server() {
    try {
        server::remove_local(m_home);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "removing the server in %s failed: %s\n", m_home.c_str(), e.what());
    }
}

std::string extra_server::database(const std::string& name) const {
    connection conn = connection::open(m_info.url, "pgmig-test");
    (void)conn.exec(fmt::format("CREATE DATABASE {}", conn.quote_identifier(name)));
    return pgmig::with_database(m_info.url, name);
}

command_options options_for(const scoped_database& db) {
    command_options o;
    o.url = db.url();
    o.lock_timeout = std::chrono::milliseconds(5000);
    return o;
}

progress_sink collect_notes(std::vector<std::string>& notes) {
    return [&notes](const progress_event& e) {
        if (e.what == progress_event::kind::note) {
            notes.push_back(e.text);
        }
    };
}

revision_set make_set(const std::string& name,
                      const std::vector<std::pair<std::string, std::string>>& files,
                      set_settings settings) {
    std::vector<revision> revisions;
    for (const auto& [file, text] : files) {
        auto compiled = compiler::compile_revision(file, text);
        if (!compiled.ok()) {
            std::string errors;
            for (const auto& d : compiled.diagnostics) {
                errors += d.format() + "\n";
            }
            throw std::runtime_error("test revision does not compile:\n" + errors);
        }
        revisions.push_back(std::move(compiled.rev));
    }
    settings.name = name;
    return {settings, std::move(revisions)};
}

bool wait_until(const scoped_database& db, const std::string& sql) {
    for (int i = 0; i < 2000; ++i) {
        if (db.scalar(sql) == "t") {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

process_output run(const std::vector<std::string>& argv,
                   const std::map<std::string, std::string>& env, const std::string& cwd) {
    server::process_options options;
    options.cwd = cwd;
    options.output = server::output_mode::separate;
    for (const auto& [k, v] : env) {
        options.env.emplace_back(k, v.empty() ? std::nullopt : std::optional<std::string>(v));
    }
    auto r = server::run_process(argv, options);
    return {r.exit_code, std::move(r.output), std::move(r.error)};
}

} // namespace pgmig::test
