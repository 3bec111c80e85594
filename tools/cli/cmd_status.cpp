// current, check: where the database stands.

#include "context.hpp"
#include "format.hpp"

#include <pgmig/startup.hpp>

#include <fmt/format.h>

#include <ostream>

namespace pgmig::cli {
namespace {

nlohmann::json status_json(const database_status& s, const startup_report& report) {
    nlohmann::json drifted = nlohmann::json::array();
    for (const auto& d : s.drifted) {
        drifted.push_back({{"revision", d.id},
                           {"file", d.file},
                           {"recorded", d.recorded},
                           {"embedded", d.embedded}});
    }
    nlohmann::json interrupted = nlohmann::json::array();
    for (const auto& i : s.interrupted) {
        interrupted.push_back({{"revision", i.revision},
                               {"direction", to_string(i.dir)},
                               {"statements_done", i.statements_done}});
    }
    return {{"condition", to_string(report.condition)},
            {"up_to_date", report.ok()},
            {"summary", s.summary()},
            {"initialized", s.initialized},
            {"current", s.rows},
            {"heads", s.heads},
            {"pending", s.pending},
            {"unknown", s.unknown},
            {"drifted", drifted},
            {"interrupted", interrupted},
            {"migrator", s.migrator ? nlohmann::json{{"pid", s.migrator->pid},
                                                     {"application", s.migrator->application}}
                                    : nlohmann::json()}};
}

} // namespace

void add_status_commands(CLI::App& app, context& ctx) {
    auto* current = app.add_subcommand("current", "show the revisions the database is at");
    current->callback([&ctx] {
        connection conn = connection::open(ctx.connection_string(), ctx.set.name() + "-migrate");
        startup_report report = check_database(conn, ctx.set);
        const database_status& s = report.status;
        if (ctx.json) {
            ctx.print_json(status_json(s, report));
            return;
        }
        if (ctx.verbose) {
            ctx.out << fmt::format("Current revision(s) for {}:\n", conn.describe());
        }
        const revision_graph& g = ctx.set.graph();
        for (const auto& row : s.rows) {
            const revision* r = g.find(row);
            if (r == nullptr) {
                ctx.out << fmt::format("{} (not in this build)\n", row);
            } else if (ctx.verbose) {
                ctx.out << detail_block(g, *r) << '\n';
            } else {
                ctx.out << row << tags(g, *r) << '\n';
            }
        }
        for (const auto& d : s.drifted) {
            ctx.out << fmt::format("{} (checksum changed since it was applied: {})\n", d.id,
                                   d.file);
        }
        for (const auto& i : s.interrupted) {
            ctx.out << fmt::format(
                "{} ({} {} after {} statement{})\n", i.revision,
                s.migrator ? fmt::format("being applied by pid {}: in its", s.migrator->pid)
                           : std::string("interrupted"),
                to_string(i.dir), i.statements_done, i.statements_done == 1 ? "" : "s");
        }
        if (ctx.verbose || !report.ok()) {
            ctx.err << s.summary() << '\n';
        }
    });

    auto* check = app.add_subcommand(
        "check", "exit 0 when the database is at the heads, else 9 with the reason");
    check->callback([&ctx] {
        connection conn = connection::open(ctx.connection_string(), ctx.set.name() + "-migrate");
        startup_report report = check_database(conn, ctx.set);
        if (ctx.json) {
            ctx.print_json(status_json(report.status, report));
        } else if (report.ok()) {
            ctx.out << "No upgrade needed: " << report.status.summary() << '\n';
        } else {
            ctx.err << ctx.set.name() << "-migrate: " << report.status.summary() << '\n';
        }
        ctx.exit = report.ok() ? exit_ok : exit_not_current;
    });
}

} // namespace pgmig::cli
