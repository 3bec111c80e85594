#include "context.hpp"
#include "format.hpp"
#include "progress.hpp"

#include <pgmig/cli.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace pgmig::cli {
namespace {

/// The steps a failed run committed: each when few, else how many and the first and last.
std::string completed_text(const std::vector<std::string>& steps) {
    if (steps.size() <= 3) {
        std::string out;
        for (const auto& step : steps) {
            out += (out.empty() ? "" : ", ") + step;
        }
        return out;
    }
    return fmt::format("{} steps, {} ... {}", steps.size(), steps.front(), steps.back());
}

/// One line (more for a failed statement with -v) on stderr. Errors that already carry a
/// `file:line: error:` prefix are printed as they are; every text passes through
/// redact_secrets with the connection string in use, whatever produced it.
void print_error(const context& ctx, const std::string& program, const std::exception& e,
                 const std::string& conninfo) {
    const std::string what = redact_secrets(e.what(), conninfo);
    auto first_line = std::string_view(what).substr(0, what.find('\n'));
    if (first_line.find("error: ") != std::string_view::npos) {
        ctx.err << what << '\n';
    } else {
        ctx.err << program << ": error: " << what << '\n';
    }
    if (const auto* pe = dynamic_cast<const pgmig::error*>(&e); pe && !pe->completed().empty()) {
        ctx.err << "completed before the failure: " << completed_text(pe->completed()) << '\n';
    }
    if (const auto* de = dynamic_cast<const database_error*>(&e);
        de != nullptr && ctx.verbose && !de->info().statement.empty()) {
        ctx.err << "statement:\n" << redact_secrets(de->info().statement, conninfo) << '\n';
    }
}

} // namespace

int exit_status_of(const std::exception& e) {
    if (dynamic_cast<const usage_error*>(&e) != nullptr) {
        return exit_usage;
    }
    if (dynamic_cast<const guard_error*>(&e) != nullptr) {
        return exit_guard;
    }
    if (dynamic_cast<const lock_error*>(&e) != nullptr) {
        return exit_lock;
    }
    if (dynamic_cast<const state_error*>(&e) != nullptr) {
        return exit_state;
    }
    if (dynamic_cast<const graph_error*>(&e) != nullptr ||
        dynamic_cast<const source_error*>(&e) != nullptr) {
        return exit_target;
    }
    if (dynamic_cast<const connection_error*>(&e) != nullptr) {
        return exit_connection;
    }
    if (dynamic_cast<const database_error*>(&e) != nullptr) {
        return exit_migration;
    }
    return exit_failure;
}

const revision_set& context::set() {
    if (schema.empty()) {
        return m_set;
    }
    if (!m_tenant) {
        m_tenant = m_set.in_schema(schema);
    }
    return *m_tenant;
}

std::string context::scratch_server(const std::string& dev_url) {
    return dev_url.empty() ? connection_string() : dev_url;
}

void add_dev_url_option(CLI::App& command, std::string& into) {
    command.add_option("--dev-url", into,
                       "server for scratch databases (default: the connection's server)");
}

std::string context::connection_string() {
    if (!m_resolved.empty()) {
        return m_resolved;
    }
    if (!url.empty()) {
        return m_resolved = url;
    }
    if (const char* env = std::getenv("DATABASE_URL"); env != nullptr && *env != '\0') {
        return m_resolved = env;
    }
    throw connection_error(
        "no database to connect to: pass --url or set DATABASE_URL (the build's db_* targets, "
        "e.g. `cmake --build <build dir> --target db_current`, use the development server)");
}

command_options context::options() {
    return options_for(connection_string());
}

command_options context::options_for(const std::string& conninfo) {
    command_options o;
    o.url = conninfo;
    o.lock_timeout = std::chrono::milliseconds(static_cast<long long>(lock_timeout_seconds * 1000));
    o.application_name = m_set.name() + "-migrate";
    o.search_path = tenant_search_path(schema);
    o.guard = production_guard::from_environment();
    if (verbose) {
        o.notice = [this](std::string_view text) {
            err << text << '\n';
        };
    }
    if (!m_printer) {
        m_printer = std::make_shared<progress_printer>(err, quiet || json);
    }
    o.progress = [printer = m_printer](const progress_event& e) {
        (*printer)(e);
    };
    return o;
}

std::string context::target_or(const std::string& given, const char* variable,
                               const std::string& fallback) const {
    if (!given.empty()) {
        return given;
    }
    if (from_env) {
        if (const char* env = std::getenv(variable); env != nullptr && *env != '\0') {
            return env;
        }
    }
    if (fallback.empty()) {
        if (std::string_view(variable) == "MSG") { // a bad command line, not a bad target
            throw usage_error(
                from_env ? "no message: set MSG, as in MSG=\"Add orders\" cmake --build <build "
                           "dir> --target db_revision (or give -m MESSAGE)"
                         : "no message: give -m MESSAGE");
        }
        throw graph_error(from_env
                              ? fmt::format("no target: give one, or set {}=<target>", variable)
                              : "no target given");
    }
    return fallback;
}

void context::say(const std::string& lines) {
    std::lock_guard lock(m_say);
    err << lines << std::flush;
}

void context::print_json(const nlohmann::json& value) const {
    out << value.dump(2) << '\n';
}

int run(const revision_set& set, int argc, char** argv) {
    const std::string program = set.name() + "-migrate";
    context ctx{set, std::cout, std::cerr};
    CLI::App app{fmt::format("{}: migrations of revision set '{}' (pgmig {})", program, set.name(),
                             tool_version()),
                 program};
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--url", ctx.url, "libpq URI or key=value string; default: DATABASE_URL");
    app.add_option("--schema", ctx.schema,
                   "a tenant's schema: the revisions' objects and the state tables live there");
    app.add_flag("--json", ctx.json, "machine-readable output (read-only verbs)");
    app.add_flag("--sql", ctx.sql,
                 "with upgrade or downgrade: print the SQL instead of running it");
    app.add_flag("-v,--verbose", ctx.verbose, "more detail, and server notices");
    app.add_flag("-q,--quiet", ctx.quiet, "no progress lines");
    app.add_flag("--from-env", ctx.from_env,
                 "read a missing target from REV and a missing message from MSG (CMake targets)");
    // PostgreSQL's lock_timeout tops out at INT_MAX milliseconds.
    app.add_option("--lock-timeout", ctx.lock_timeout_seconds,
                   "seconds to wait for another migrator's lock (default 60)")
        ->check(CLI::Range(0.0, 2147483.0));

    add_migrate_commands(app, ctx);
    add_status_commands(app, ctx);
    add_history_commands(app, ctx);
    add_graph_commands(app, ctx);
    add_revision_commands(app, ctx);
    add_accept_command(app, ctx);
    add_schema_commands(app, ctx);
    add_copy_command(app, ctx);

    // `--sql` before the verb means what it means after upgrade or downgrade, and nothing else.
    app.parse_complete_callback([&app, &ctx] {
        const auto verbs = app.get_subcommands();
        const bool migrating = std::any_of(verbs.begin(), verbs.end(), [](const CLI::App* v) {
            return v->get_name() == "upgrade" || v->get_name() == "downgrade";
        });
        if (ctx.sql && !migrating) {
            throw usage_error("--sql goes with upgrade or downgrade: `upgrade --sql TARGET`, "
                              "`downgrade --sql FROM:TO`");
        }
    });
    try {
        app.parse(argc, argv);
        return ctx.exit;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    } catch (const std::exception& e) {
        const char* env = std::getenv("DATABASE_URL");
        print_error(ctx, program, e, !ctx.url.empty() ? ctx.url : env != nullptr ? env : "");
        return exit_status_of(e);
    }
}

} // namespace pgmig::cli
