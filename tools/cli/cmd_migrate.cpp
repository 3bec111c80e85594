// upgrade, downgrade, stamp: the verbs that change the database (or print SQL with --sql).

#include "backup.hpp"
#include "context.hpp"
#include "fleet.hpp"
#include "replicas.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

namespace pgmig::cli {
namespace {

struct migrate_args {
    std::string target;
    bool sql = false;
    bool annotate = false;
    bool single_transaction = false;
    bool run_stored_sql = false;
    std::string backup_dir;
    bool no_backup = false;
    std::string targets_file;
    std::string targets_query;
    std::string schemas_file;
    fleet_options fleet;
    double wait_for_replicas = 0; ///< seconds; 0: do not wait
};

/// With --wait-for-replicas: waits until the standbys of the database at `url` have replayed
/// the run; returns what to say.
std::string await_replicas(const migrate_args& args, const std::string& url) {
    connection conn = connection::open(url, "pgmig-wait-for-replicas");
    auto caught_up = wait_for_replicas(
        conn, std::chrono::milliseconds(static_cast<long long>(args.wait_for_replicas * 1000)));
    return caught_up.standbys == 0
               ? "replicas: no standby streams from this server\n"
               : fmt::format("replicas: {} standby{} replayed the run ({:.2f} s)\n",
                             caught_up.standbys, caught_up.standbys == 1 ? "" : "s",
                             caught_up.seconds);
}

/// Where --backup puts the dump: the option (or PGMIG_BACKUP_DIR); for a production database
/// (ENVIRONMENT=production) the set's BACKUP_DIR unless --no-backup; else no backup.
std::string backup_dir_of(const migrate_args& args, const production_guard& guard,
                          const set_settings& settings) {
    if (args.no_backup) {
        return {};
    }
    if (!args.backup_dir.empty()) {
        return args.backup_dir;
    }
    return guard.production ? settings.backup_dir : "";
}

/// The hook that dumps the database at `url` (a tenant's `schema` of it) into `dir` and says
/// how to restore it.
std::function<void(connection&, const std::vector<std::string>&)>
backup_before_writing(context& ctx, const std::string& dir, const std::string& url,
                      const std::string& schema) {
    return [&ctx, dir, url, schema](connection& conn, const std::vector<std::string>& rows) {
        backup_file b = dump_database(conn, url, dir, rows, schema);
        ctx.say(fmt::format("backup: {} ({})\nto undo this run: {}\n", b.path, human_size(b.bytes),
                            b.restore_command));
    };
}

/// The lines of a list file (targets, schemas): blank lines and comments skipped.
std::vector<std::string> list_file(const std::string& path, const char* what) {
    std::ifstream in(path);
    if (!in) {
        throw usage_error(fmt::format("cannot read the {} file {}", what, path));
    }
    std::stringstream text;
    text << in.rdbuf();
    return parse_targets(text.str());
}

/// The fleet: the databases of --targets or of --targets-query (run on the control database,
/// --url / DATABASE_URL), or the tenants' schemas of --schemas in the --url database.
std::vector<fleet_target> fleet_targets(context& ctx, const migrate_args& args) {
    std::vector<fleet_target> targets;
    if (!args.schemas_file.empty()) {
        for (auto& schema : list_file(args.schemas_file, "schemas")) {
            targets.push_back({ctx.connection_string(), std::move(schema)});
        }
    } else if (!args.targets_file.empty()) {
        for (auto& url : list_file(args.targets_file, "targets")) {
            targets.push_back({std::move(url), {}});
        }
    } else {
        connection conn = connection::open(ctx.connection_string(), ctx.set().name() + "-migrate");
        result rows = conn.exec(args.targets_query);
        if (rows.columns() < 1) {
            throw usage_error("--targets-query returned no column; it must return one "
                              "connection string per row");
        }
        for (int i = 0; i < rows.rows(); ++i) {
            targets.push_back({std::string(rows.text(i, 0)), {}});
        }
    }
    if (targets.empty()) {
        throw usage_error("the fleet has no targets");
    }
    return targets;
}

/// One line per target as it finishes, a summary, and the exit status of the first failure.
void run_fleet_verb(context& ctx, const migrate_args& args, direction dir,
                    const std::string& target) {
    const auto targets = fleet_targets(ctx, args);
    const bool up = dir == direction::upgrade;
    // Read once, before the workers start: the set (--schema makes it lazily) and the options.
    const revision_set& own = ctx.set();
    const command_options base = ctx.options_for({});
    const std::string backup_dir = backup_dir_of(args, base.guard, own.settings());
    auto migrate = [&](const fleet_target& t) {
        // A --schemas target's own tenant, else the global --schema (if any).
        const std::string& schema = t.schema.empty() ? ctx.schema : t.schema;
        const revision_set set = t.schema.empty() ? own : own.in_schema(t.schema);
        const std::string& url = t.conninfo;
        command_options options = base;
        options.url = url;
        options.search_path = tenant_search_path(schema);
        options.progress = {}; // one line per target, not per step
        options.notice = {};
        options.single_transaction = args.single_transaction;
        if (!backup_dir.empty()) {
            options.before_first_write = backup_before_writing(ctx, backup_dir, url, schema);
        }
        migrate_result r = up ? upgrade(set, target, options) : downgrade(set, target, options);
        if (args.wait_for_replicas > 0) {
            (void)await_replicas(args, url); // a target whose standbys lag fails
        }
        return r;
    };
    auto outcomes = run_fleet(targets, args.fleet, migrate, [&](const target_outcome& o) {
        const std::string place = fmt::format("[{}/{}]", o.index + 1, targets.size());
        if (o.state == target_state::ok) {
            ctx.say(fmt::format("{} ok     {}: {} -> {} ({} step{}, {:.2f} s)\n", place, o.shown,
                                rows_text(o.result.rows_before), rows_text(o.result.rows_after),
                                o.result.executed.steps.size(),
                                o.result.executed.steps.size() == 1 ? "" : "s", o.seconds));
        } else {
            ctx.say(fmt::format("{} failed {}: {}\n", place, o.shown, o.error));
        }
    });
    int ok = 0;
    int failed = 0;
    int not_run = 0;
    nlohmann::json report = nlohmann::json::array();
    for (const auto& o : outcomes) {
        ok += o.state == target_state::ok ? 1 : 0;
        failed += o.state == target_state::failed ? 1 : 0;
        not_run += o.state == target_state::not_run ? 1 : 0;
        if (o.state == target_state::failed && ctx.exit == exit_ok) {
            ctx.exit = o.exit_status;
        }
        nlohmann::json entry{{"target", o.shown},
                             {"status", o.state == target_state::ok       ? "ok"
                                        : o.state == target_state::failed ? "failed"
                                                                          : "not run"}};
        if (o.state != target_state::not_run) {
            entry["seconds"] = o.seconds;
        }
        if (o.state == target_state::ok) {
            entry["from"] = o.result.rows_before;
            entry["to"] = o.result.rows_after;
            entry["steps"] = o.result.executed.steps.size();
        } else if (o.state == target_state::failed) {
            entry["error"] = o.error;
            entry["exit_status"] = o.exit_status;
        }
        report.push_back(std::move(entry));
    }
    const bool canary_failed = std::any_of(
        outcomes.begin(),
        outcomes.begin() + std::min<std::ptrdiff_t>(std::max(args.fleet.canaries, 0),
                                                    static_cast<std::ptrdiff_t>(outcomes.size())),
        [](const target_outcome& o) { return o.state == target_state::failed; });
    ctx.err << fmt::format("fleet: {} {}, {} failed, {} not run{}\n", ok,
                           up ? "upgraded" : "downgraded", failed, not_run,
                           not_run == 0    ? ""
                           : canary_failed ? " (a canary failed)"
                                           : " (stopped at the first failure; --keep-going "
                                             "runs them all)");
    if (ctx.json) {
        ctx.print_json(report);
    }
}

void report_result(context& ctx, const char* verb, const migrate_result& r) {
    if (ctx.json) {
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& s : r.executed.steps) {
            steps.push_back({{"revision", s.rev->id}, {"direction", to_string(s.dir)}});
        }
        ctx.print_json({{"steps", steps}, {"before", r.rows_before}, {"after", r.rows_after}});
        return;
    }
    if (r.executed.empty()) {
        ctx.out << fmt::format("Nothing to {}: the database is at {}\n", verb,
                               rows_text(r.rows_after));
    } else {
        ctx.out << fmt::format("{} {} revision{}: {} -> {}\n",
                               verb == std::string("upgrade") ? "Upgraded" : "Downgraded",
                               r.executed.steps.size(), r.executed.steps.size() == 1 ? "" : "s",
                               rows_text(r.rows_before), rows_text(r.rows_after));
    }
}

void add_run_verb(CLI::App& app, context& ctx, direction dir) {
    auto args = std::make_shared<migrate_args>();
    const bool up = dir == direction::upgrade;
    auto* cmd = app.add_subcommand(
        to_string(dir),
        up ? "apply revisions up to TARGET (head, heads, an id, +N, label@head, ...)"
           : "revert revisions down to TARGET (base, an id, -N, label@base, ...)");
    cmd->add_option("target", args->target,
                    up ? "where to go; default with --from-env: REV, else heads"
                       : "where to go; default with --from-env: REV, else -1");
    cmd->add_flag("--sql", args->sql,
                  up ? "print the SQL instead of running it; TARGET may be FROM:TO"
                     : "print the SQL instead of running it; TARGET must be FROM:TO");
    cmd->add_flag("--annotate", args->annotate,
                  "with --sql: say above each statement what it locks, whether it rewrites the "
                  "table, and whether it can run in a transaction");
    cmd->add_option("--backup", args->backup_dir,
                    "pg_dump the database into DIR before the first write (default for "
                    "ENVIRONMENT=production: the set's BACKUP_DIR, pgmig-backups unless set)")
        ->envname("PGMIG_BACKUP_DIR");
    cmd->add_flag("--no-backup", args->no_backup, "no backup, even for ENVIRONMENT=production");
    auto* targets = cmd->add_option("--targets", args->targets_file,
                                    "a fleet: a file of connection strings, one per line");
    cmd->add_option("--targets-query", args->targets_query,
                    "a fleet: a query on the --url database returning connection strings")
        ->excludes(targets);
    cmd->add_option("--schemas", args->schemas_file,
                    "a fleet of tenants: a file of schema names in the --url database")
        ->excludes(targets);
    cmd->add_option("-j,--jobs", args->fleet.jobs, "fleet: databases migrated at once")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--canary", args->fleet.canaries,
                    "fleet: migrate the first N targets first; stop if one fails")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--keep-going", args->fleet.keep_going,
                  "fleet: go on after a failure (default: start no new target)");
    cmd->add_option("--wait-for-replicas", args->wait_for_replicas,
                    "then wait up to SECONDS until every streaming standby has replayed the "
                    "run (exit 1 if one has not)")
        ->check(CLI::Range(0.001, 86400.0));
    cmd->add_flag("--single-transaction", args->single_transaction,
                  "run every step in one transaction: all or nothing");
    if (!up) {
        cmd->add_flag("--run-stored-sql", args->run_stored_sql,
                      "run the downgrade SQL the history table stored for revisions this build "
                      "does not know (shown when refused: review it first)");
    }
    cmd->callback([&ctx, args, dir, up] {
        std::string target = ctx.target_or(args->target, "REV", up ? "heads" : "-1");
        if (args->sql || ctx.sql) {
            if (!ctx.schema.empty()) { // the tenant's objects go where an online run puts them
                ctx.out << fmt::format("SET search_path TO {};\n", tenant_search_path(ctx.schema));
            }
            ctx.out << render_sql(ctx.set(), dir, target, args->single_transaction, args->annotate);
            return;
        }
        if (args->annotate) {
            throw usage_error("--annotate describes the statements of a --sql script; add --sql");
        }
        if (!args->targets_file.empty() || !args->targets_query.empty() ||
            !args->schemas_file.empty()) {
            run_fleet_verb(ctx, *args, dir, target);
            return;
        }
        command_options options = ctx.options();
        options.single_transaction = args->single_transaction;
        options.run_stored_sql = args->run_stored_sql;
        if (std::string backup_dir = backup_dir_of(*args, options.guard, ctx.set().settings());
            !backup_dir.empty()) {
            options.before_first_write =
                backup_before_writing(ctx, backup_dir, options.url, ctx.schema);
        }
        migrate_result r =
            up ? upgrade(ctx.set(), target, options) : downgrade(ctx.set(), target, options);
        report_result(ctx, to_string(dir), r);
        if (args->wait_for_replicas > 0) {
            ctx.say(await_replicas(*args, options.url));
        }
    });
}

} // namespace

void add_migrate_commands(CLI::App& app, context& ctx) {
    add_run_verb(app, ctx, direction::upgrade);
    add_run_verb(app, ctx, direction::downgrade);

    struct stamp_args {
        std::string target;
        bool purge = false;
        bool from_alembic = false;
        alembic_takeover alembic;
    };
    auto args = std::make_shared<stamp_args>();
    auto* stamp_cmd =
        app.add_subcommand("stamp", "set the version table to TARGET without running any revision");
    stamp_cmd->add_option("target", args->target, "revision to record (heads, base, an id, ...)");
    stamp_cmd->add_flag("--purge", args->purge,
                        "forget the current version rows first (for revisions nobody knows)");
    auto* from_alembic = stamp_cmd->add_flag(
        "--from-alembic", args->from_alembic,
        "take over a database Alembic migrated: stamp exactly the revisions its version table "
        "names (docs/from-alembic.md)");
    stamp_cmd
        ->add_option("--alembic-table", args->alembic.version_table,
                     "Alembic's version table, `table` or `schema.table`")
        ->default_str("alembic_version")
        ->needs(from_alembic);
    stamp_cmd
        ->add_flag("--drop-alembic-table", args->alembic.drop_version_table,
                   "drop Alembic's version table in the same transaction")
        ->needs(from_alembic);
    from_alembic->excludes("--purge");
    stamp_cmd->callback([&ctx, args] {
        if (args->from_alembic && !args->target.empty()) {
            throw usage_error("stamp --from-alembic takes no target: the revisions are the ones "
                              "Alembic's version table names");
        }
        migrate_result r = args->from_alembic
                               ? stamp_from_alembic(ctx.set(), args->alembic, ctx.options())
                               : stamp(ctx.set(), ctx.target_or(args->target, "REV", ""),
                                       ctx.options(), args->purge);
        if (ctx.json) {
            ctx.print_json({{"before", r.rows_before}, {"after", r.rows_after}});
        } else {
            ctx.out << fmt::format("Stamped: {} -> {}\n", rows_text(r.rows_before),
                                   rows_text(r.rows_after));
        }
    });
}

} // namespace pgmig::cli
