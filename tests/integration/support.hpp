#pragma once

// What integration tests share: the server the ctest fixture started, a database of their
// own, revision sets built from revision text by the real compiler, and child processes.

#include "local_server.hpp"

#include <pgmig/commands.hpp>
#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pgmig::test {

/// The server started by the ctest fixture (state file in PGMIG_TEST_SERVER_STATE).
struct test_server {
    std::string url;     ///< Unix socket, superuser, database postgres
    std::string tcp_url; ///< the same over 127.0.0.1 (password authentication)
    static const test_server& get();
};

/// A database created for one test and dropped after it, so tests can run in parallel.
class scoped_database {
public:
    scoped_database();
    ~scoped_database();
    scoped_database(const scoped_database&) = delete;
    scoped_database& operator=(const scoped_database&) = delete;

    [[nodiscard]] const std::string& name() const { return m_name; }
    /// Superuser connection string to this database (Unix socket).
    [[nodiscard]] std::string url() const;
    [[nodiscard]] connection connect() const;
    /// One value of a query, as text ("" for NULL or no row).
    [[nodiscard]] std::string scalar(const std::string& sql) const;

private:
    std::string m_name;
};

/// A throw-away server of the test's own beside the fixture's (moving data between servers,
/// replication), in a home named after `name`; stopped and removed with the object.
class extra_server {
public:
    explicit extra_server(const std::string& name, server::cluster_options options = {});
    ~extra_server();
    extra_server(const extra_server&) = delete;
    extra_server& operator=(const extra_server&) = delete;

    /// Superuser connection string to its `postgres` database (Unix socket).
    [[nodiscard]] const std::string& url() const { return m_info.url; }
    /// A new empty database on it; its connection string.
    [[nodiscard]] std::string database(const std::string& name) const;

private:
    std::string m_home;
    server::server_info m_info;
};

/// One value of a query on any database, as text ("" for NULL or no row).
[[nodiscard]] std::string scalar(const std::string& url, const std::string& sql);

/// Waits until a query on the database returns "t" (up to 20 s); false if it never does.
[[nodiscard]] bool wait_until(const scoped_database& db, const std::string& sql);

/// Options for commands on the test database: its URL, and a lock timeout of 5 s.
[[nodiscard]] command_options options_for(const scoped_database& db);

/// A progress sink that keeps the text of every note (resuming, batches, stored SQL, ...).
[[nodiscard]] progress_sink collect_notes(std::vector<std::string>& notes);

/// A set compiled from revision files given as (file name, text), as the build would.
[[nodiscard]] revision_set make_set(const std::string& name,
                                    const std::vector<std::pair<std::string, std::string>>& files,
                                    set_settings settings = {});

struct process_output {
    int status = -1;
    std::string out;
    std::string err;
};

/// Runs a program with extra environment variables (in `cwd`, else ours); stdout and stderr
/// kept apart.
[[nodiscard]] process_output run(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env = {},
                                 const std::string& cwd = {});

} // namespace pgmig::test
