#include "backup.hpp"

#include "process.hpp"

#include <pgmig/detail/numbers.hpp>
#include <pgmig/error.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace pgmig::cli {
namespace {

std::string pg_dump_program() {
    const char* given = std::getenv("PGMIG_PG_DUMP");
    return given != nullptr && *given != '\0' ? given : "pg_dump";
}

/// The major version `pg_dump --version` reports ("pg_dump (PostgreSQL) 15.8" -> 15).
int pg_dump_major(const std::string& program) {
    server::process_result r =
        server::run_process({program, "--version"}, {.output = server::output_mode::separate});
    if (r.exit_code == 127 || r.exit_code < 0) {
        throw error(fmt::format("cannot back up: {} was not found (install the PostgreSQL client "
                                "programs, or set PGMIG_PG_DUMP); nothing was written",
                                program));
    }
    std::smatch m;
    if (r.exit_code != 0 || !std::regex_search(r.output, m, std::regex(R"(PostgreSQL\)? (\d+))"))) {
        throw error(fmt::format("cannot back up: `{} --version` did not say its version ({}); "
                                "nothing was written",
                                program, r.exit_code != 0 ? r.error : r.output));
    }
    return detail::parse_number<int>(m[1].str(), "a pg_dump version");
}

/// `db-4f1c2a9b7e10-20261203T101500Z.dump`: what the database was, at which revision, when.
std::string file_name(const std::string& database, const std::vector<std::string>& rows) {
    std::string revision;
    for (const auto& r : rows) {
        revision += (revision.empty() ? "" : "+") + r;
    }
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    std::string safe_database;
    for (char c : database) {
        safe_database +=
            std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' ? c : '_';
    }
    return fmt::format("{}-{}-{}.dump", safe_database, revision.empty() ? "base" : revision, stamp);
}

/// A service file holding every setting of `conninfo`, password included, readable by us
/// alone; removed when it goes out of scope.
class service_file {
public:
    explicit service_file(const std::string& conninfo, const std::string& database)
        : m_path((fs::temp_directory_path() / fmt::format("pgmig-backup-{}.conf", ::getpid()))
                     .string()) {
        const mode_t old = ::umask(077);
        std::ofstream out(m_path, std::ios::trunc);
        ::umask(old);
        out << "[pgmig_backup]\n";
        for (const auto& p : conninfo_parameters(conninfo)) {
            if (p.keyword != "dbname" && p.value.find('\n') == std::string::npos) {
                out << p.keyword << '=' << p.value << '\n';
            }
        }
        out << "dbname=" << database << '\n';
        if (!out) {
            throw error(
                fmt::format("cannot back up: cannot write {}; nothing was written", m_path));
        }
    }
    ~service_file() {
        std::error_code ignored;
        fs::remove(m_path, ignored);
    }
    service_file(const service_file&) = delete;
    service_file& operator=(const service_file&) = delete;

    [[nodiscard]] const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace

std::string human_size(std::uintmax_t bytes) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1000 && unit + 1 < std::size(units)) {
        value /= 1000;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

backup_file dump_database(connection& conn, const std::string& conninfo, const std::string& dir,
                          const std::vector<std::string>& rows) {
    const std::string program = pg_dump_program();
    const int client = pg_dump_major(program);
    const int server_major = conn.server_version() / 10000;
    if (client < server_major) {
        throw error(fmt::format("cannot back up: {} is PostgreSQL {}'s and cannot dump a "
                                "PostgreSQL {} server; install the client programs of {} or "
                                "newer, or set PGMIG_PG_DUMP; nothing was written",
                                program, client, server_major, server_major));
    }
    result name = conn.exec("SELECT current_database()");
    const std::string database(name.text(0, 0));
    std::error_code made;
    fs::create_directories(dir, made);
    if (made) {
        throw error(fmt::format("cannot back up: cannot create {}: {}; nothing was written", dir,
                                made.message()));
    }
    backup_file out;
    out.path = (fs::path(dir) / file_name(database, rows)).string();
    service_file service(conninfo, database);
    server::process_result r =
        server::run_process({program, "--format=custom", "--no-password", "--file", out.path},
                            {.cwd = "",
                             .output = server::output_mode::separate,
                             .env = {{"PGSERVICEFILE", service.path()},
                                     {"PGSERVICE", "pgmig_backup"},
                                     {"PGDATABASE", std::nullopt}}});
    if (r.exit_code != 0) {
        std::error_code ignored;
        fs::remove(out.path, ignored);
        throw error(fmt::format("cannot back up: {} failed (exit status {}): {}; nothing was "
                                "written",
                                program, r.exit_code, redact_secrets(r.error, conninfo)));
    }
    out.bytes = fs::file_size(out.path);
    out.restore_command =
        fmt::format("pg_restore --clean --if-exists --single-transaction --no-owner -d \"{}\" {}",
                    with_database(without_secrets(conninfo), database), out.path);
    return out;
}

} // namespace pgmig::cli
