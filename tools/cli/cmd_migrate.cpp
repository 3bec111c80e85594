// upgrade, downgrade, stamp: the verbs that change the database (or print SQL with --sql).

#include "backup.hpp"
#include "context.hpp"

#include <fmt/format.h>

#include <ostream>

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
};

/// Where --backup puts the dump: the option (or PGMIG_BACKUP_DIR); for a production database
/// (ENVIRONMENT=production) `pgmig-backups` unless --no-backup; else no backup.
std::string backup_dir_of(const migrate_args& args, const production_guard& guard) {
    if (args.no_backup) {
        return {};
    }
    if (!args.backup_dir.empty()) {
        return args.backup_dir;
    }
    return guard.production ? "pgmig-backups" : "";
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
                    "ENVIRONMENT=production: pgmig-backups)")
        ->envname("PGMIG_BACKUP_DIR");
    cmd->add_flag("--no-backup", args->no_backup, "no backup, even for ENVIRONMENT=production");
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
            ctx.out << render_sql(ctx.set, dir, target, args->single_transaction, args->annotate);
            return;
        }
        if (args->annotate) {
            throw usage_error("--annotate describes the statements of a --sql script; add --sql");
        }
        command_options options = ctx.options();
        options.single_transaction = args->single_transaction;
        options.run_stored_sql = args->run_stored_sql;
        if (std::string backup_dir = backup_dir_of(*args, options.guard); !backup_dir.empty()) {
            options.before_first_write = [&ctx, backup_dir,
                                          url = options.url](connection& conn,
                                                             const std::vector<std::string>& rows) {
                backup_file b = dump_database(conn, url, backup_dir, rows);
                ctx.err << fmt::format("backup: {} ({})\nto undo this run: {}\n", b.path,
                                       human_size(b.bytes), b.restore_command);
            };
        }
        migrate_result r =
            up ? upgrade(ctx.set, target, options) : downgrade(ctx.set, target, options);
        report_result(ctx, to_string(dir), r);
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
                               ? stamp_from_alembic(ctx.set, args->alembic, ctx.options())
                               : stamp(ctx.set, ctx.target_or(args->target, "REV", ""),
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
