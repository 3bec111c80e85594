#include "backup.hpp"

#include "process.hpp"

#include <pgmig/detail/numbers.hpp>
#include <pgmig/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <regex>

#include <fcntl.h>
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

/// `db-4f1c2a9b7e10-20261203T101500Z.dump` (`db.tenant-...` for a tenant's schema): what the
/// database was, at which revision, when.
std::string file_name(const std::string& database, const std::string& schema,
                      const std::vector<std::string>& rows) {
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
    for (char c : schema.empty() ? database : database + "." + schema) {
        safe_database +=
            std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.'
                ? c
                : '_';
    }
    return fmt::format("{}-{}-{}.dump", safe_database, revision.empty() ? "base" : revision, stamp);
}

/// A service file holding every setting of `conninfo`, password included, readable by us
/// alone; removed when it goes out of scope. mkstemp gives each its own name (a fleet backs up
/// several databases at once) and never follows a file someone else put there.
class service_file {
public:
    explicit service_file(const std::string& conninfo, const std::string& database)
        : m_path((fs::temp_directory_path() / "pgmig-backup-XXXXXX").string()) {
        std::string text = "[pgmig_backup]\n";
        for (const auto& p : conninfo_parameters(conninfo)) {
            if (p.keyword != "dbname" && p.value.find('\n') == std::string::npos) {
                text += p.keyword + '=' + p.value + '\n';
            }
        }
        text += "dbname=" + database + '\n';
        const int fd = ::mkstemp(m_path.data()); // mode 0600
        if (fd < 0) {
            throw error(fmt::format("cannot back up: cannot create a file in {}: {}; nothing was "
                                    "written",
                                    fs::temp_directory_path().string(), std::strerror(errno)));
        }
        bool written = true;
        for (std::size_t at = 0; at < text.size() && written;) {
            const auto n = ::write(fd, text.data() + at, text.size() - at);
            written = n > 0;
            at += written ? static_cast<std::size_t>(n) : 0;
        }
        written = ::close(fd) == 0 && written;
        if (!written) {
            std::error_code ignored;
            fs::remove(m_path, ignored);
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

/// Claims `path`, or `path` with -2, -3 ... before its extension when taken (the same database
/// twice in one second): the name is created, empty, for pg_dump to fill.
std::string claim_file(const fs::path& path) {
    for (int n = 1;; ++n) {
        fs::path candidate = n == 1
                                 ? path
                                 : path.parent_path() / fmt::format("{}-{}{}", path.stem().string(),
                                                                    n, path.extension().string());
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0) {
            ::close(fd);
            return candidate.string();
        }
        if (errno != EEXIST || n > 1000) {
            throw error(fmt::format("cannot back up: cannot create {}: {}; nothing was written",
                                    candidate.string(), std::strerror(errno)));
        }
    }
}

backup_file dump_database(connection& conn, const std::string& conninfo, const std::string& dir,
                          const std::vector<std::string>& rows, const std::string& schema) {
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
    out.path = claim_file(fs::path(dir) / file_name(database, schema, rows));
    service_file service(conninfo, database);
    std::vector<std::string> argv{program, "--format=custom", "--no-password", "--file", out.path};
    if (!schema.empty()) {
        // A tenant's run changes its schema only: its undo must not put back the others'.
        argv.push_back("--schema=" + schema);
    }
    server::process_result r = server::run_process(argv, {.cwd = "",
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
