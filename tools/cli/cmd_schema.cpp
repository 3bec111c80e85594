// schema-dump, drift, schema-check: the schema the revisions build, and how a live database differs
// from it.

#include "context.hpp"

#include <pgmig/schema_diff.hpp>
#include <pgmig/schema_fingerprint.hpp>
#include <pgmig/schema_replay.hpp>
#include <pgmig/scratch_database.hpp>
#include <pgmig/status.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <ostream>

namespace pgmig::cli {
namespace {

/// The lines one schema has and the other lacks, under the two names given.
void print_difference(context& ctx, const snapshot_diff& d, const char* only_first,
                      const char* only_second) {
    for (const auto& l : d.removed) {
        ctx.out << only_first << l << '\n';
    }
    for (const auto& l : d.added) {
        ctx.out << only_second << l << '\n';
    }
}

} // namespace

void add_schema_commands(CLI::App& app, context& ctx) {
    struct dump_args {
        std::string output;
        std::string dev_url;
    };
    auto dump = std::make_shared<dump_args>();
    auto* schema_dump = app.add_subcommand(
        "schema-dump", "print the schema the revisions build, as SQL in dependency order");
    schema_dump->add_option("-o,--output", dump->output, "write it to this file");
    add_dev_url_option(*schema_dump, dump->dev_url);
    schema_dump->callback([&ctx, dump] {
        std::string server = ctx.scratch_server(dump->dev_url);
        schema::model head = schema::replayed_model(ctx.set(), server, {"heads"});
        // The fingerprint line lets a build that takes this file as SCHEMA_SOURCES check live
        // databases against it (check --schema).
        std::string text =
            fmt::format("-- The schema of {} at its heads, written by pgmig schema-dump.\n{}{}\n",
                        ctx.set().name(), schema_fingerprint_directive,
                        schema::fingerprint(head, schema::server_version_of(server))) +
            schema::render_script(schema::diff(schema::empty_model(server), head));
        if (dump->output.empty()) {
            ctx.out << text;
            return;
        }
        std::ofstream out(dump->output, std::ios::binary);
        out << text;
        if (!out) {
            throw error(fmt::format("cannot write {}", dump->output));
        }
    });

    struct check_args {
        std::vector<std::string> sources;
        std::string dev_url;
    };
    auto check = std::make_shared<check_args>();
    auto* schema_check = app.add_subcommand(
        "schema-check", "compare the schema the revisions build with the desired schema (exit "
                        "9 if they differ), as `alembic check`");
    schema_check
        ->add_option("--schema-sources", check->sources,
                     "the desired schema: SQL files, or directories of them")
        ->required();
    add_dev_url_option(*schema_check, check->dev_url);
    schema_check->callback([&ctx, check] {
        std::vector<std::filesystem::path> paths(check->sources.begin(), check->sources.end());
        schema::desired_comparison c = schema::compare_with_desired(
            ctx.set(), ctx.scratch_server(check->dev_url), schema::schema_files(paths));
        if (ctx.json) {
            ctx.print_json({{"equal", c.equal()},
                            {"only_in_revisions", c.lines.removed},
                            {"only_in_desired", c.lines.added},
                            {"upgrade", schema::render_script(c.upgrade)}});
        } else if (c.equal()) {
            ctx.out << "No changes: the revisions build the desired schema.\n";
        } else {
            print_difference(ctx, c.lines, "only in the revisions: ", "only in the desired:   ");
            ctx.out << "\nWrite the revision with `revision --autogenerate -m MESSAGE`.\n";
        }
        if (!c.equal()) {
            ctx.exit = exit_not_current;
        }
    });

    auto dev_url = std::make_shared<std::string>();
    auto* drift = app.add_subcommand(
        "drift", "compare the live schema with what its applied revisions build (exit 9 if "
                 "they differ)");
    add_dev_url_option(*drift, *dev_url);
    drift->callback([&ctx, dev_url] {
        connection conn = connection::open(ctx.connection_string(), ctx.set().name() + "-migrate");
        database_status status = inspect(conn, ctx.set());
        if (!status.unknown.empty()) {
            throw state_error(fmt::format("the database has revisions this build does not know "
                                          "({}): compare it with the build that has them",
                                          fmt::join(status.unknown, ", ")));
        }
        // A tenant's drift is its schema's: the others and public are not its revisions'.
        schema::model live = schema::read_model(conn, scope_of(ctx.set().settings(), ctx.schema));
        schema::model expected = schema::replayed_model(ctx.set(), ctx.scratch_server(*dev_url),
                                                        status.rows, ctx.schema);
        auto back = schema::diff(live, expected);
        snapshot_diff d = schema::compare(expected, live);
        if (ctx.json) {
            ctx.print_json({{"drifted", !d.empty()},
                            {"missing", d.removed},
                            {"unexpected", d.added},
                            {"repair", schema::render_script(back)}});
        } else if (d.empty()) {
            ctx.out << "No drift: the schema is what the applied revisions build.\n";
        } else {
            print_difference(ctx, d, "missing:    ", "unexpected: ");
            ctx.out << "\n-- SQL that would put it back:\n" << schema::render_script(back);
        }
        if (!d.empty()) {
            ctx.exit = exit_not_current;
        }
    });
}

} // namespace pgmig::cli
