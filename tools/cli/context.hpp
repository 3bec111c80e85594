#pragma once

#include <pgmig/commands.hpp>
#include <pgmig/revision_set.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pgmig::cli {

class progress_printer;

/// Exit statuses; docs/cli.md lists them.
enum exit_status : int {
    exit_ok = 0,
    exit_failure = 1,     ///< anything unexpected
    exit_usage = 2,       ///< bad command line
    exit_target = 3,      ///< unknown or ambiguous target, irreversible revision
    exit_connection = 4,  ///< unreachable server, bad URL, wrong password
    exit_migration = 5,   ///< a revision failed; the database stays at the last good one
    exit_state = 6,       ///< checksum drift, unknown or interrupted revision
    exit_lock = 7,        ///< another migrator held the lock too long
    exit_guard = 8,       ///< the production guard refused
    exit_not_current = 9, ///< `check`: the database is not up to date
};

/// A command line that is complete for CLI11 but not for the verb (a missing MSG, say).
class usage_error : public error {
public:
    using error::error;
};

/// The documented exit status of each kind of error (docs/cli.md).
[[nodiscard]] int exit_status_of(const std::exception& e);

/// What every subcommand shares: the set, the global options and the output streams.
struct context {
    context(const revision_set& s, std::ostream& o, std::ostream& e) : out(o), err(e), m_set(s) {}

    /// The set, in the tenant's schema with --schema.
    [[nodiscard]] const revision_set& set();

    std::ostream& out;
    std::ostream& err;

    std::string url;
    std::string schema; ///< --schema: a tenant's schema for its objects and state tables
    bool json = false;
    bool sql = false; ///< --sql before the verb: as upgrade/downgrade --sql
    bool verbose = false;
    bool quiet = false;
    bool from_env = false;
    double lock_timeout_seconds = 60;
    int exit = exit_ok; ///< set by commands that succeed with a non-zero status (check)

    /// --url, else DATABASE_URL.
    [[nodiscard]] std::string connection_string();
    /// The server for scratch databases: --dev-url when given, else the connection's server.
    [[nodiscard]] std::string scratch_server(const std::string& dev_url);
    /// Options for runtime commands, with progress printed to `err`.
    [[nodiscard]] command_options options();
    /// The same for another database (a fleet's target).
    [[nodiscard]] command_options options_for(const std::string& conninfo);
    /// A positional target, or with --from-env the value of `variable`, else `fallback`.
    [[nodiscard]] std::string target_or(const std::string& given, const char* variable,
                                        const std::string& fallback) const;
    void print_json(const nlohmann::json& value) const;
    /// Writes whole lines to `err`, one writer at a time: a fleet's workers report from
    /// threads of their own (backups, and each target's line).
    void say(const std::string& lines);

private:
    const revision_set& m_set;
    std::optional<revision_set> m_tenant;
    std::string m_resolved;
    std::shared_ptr<progress_printer> m_printer;
    std::mutex m_say;
};

/// --dev-url, for the verbs that build schemas on scratch databases (see scratch_server).
void add_dev_url_option(CLI::App& command, std::string& into);

// One function per file adds its subcommands (CLI11's subcommands-in-files pattern).
void add_migrate_commands(CLI::App& app, context& ctx);  // upgrade, downgrade, stamp
void add_status_commands(CLI::App& app, context& ctx);   // current, check
void add_history_commands(CLI::App& app, context& ctx);  // history, log
void add_graph_commands(CLI::App& app, context& ctx);    // heads, branches, show
void add_revision_commands(CLI::App& app, context& ctx); // revision, merge
void add_accept_command(CLI::App& app, context& ctx);    // accept-checksum
void add_schema_commands(CLI::App& app, context& ctx);   // schema-dump, drift, schema-check
void add_copy_command(CLI::App& app, context& ctx);      // copy-data

} // namespace pgmig::cli
