// current, check: where the database stands.

#include "context.hpp"
#include "format.hpp"

#include <pgmig/schema_fingerprint.hpp>
#include <pgmig/startup.hpp>

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <ostream>

namespace pgmig::cli {
namespace {

/// What `alembic current` would show: the applied revisions no applied revision revises, then
/// rows this build does not know.
std::vector<std::string> current_revisions(const revision_graph& g,
                                           const std::vector<std::string>& rows) {
    std::vector<std::string> known;
    std::vector<std::string> unknown;
    for (const auto& row : rows) {
        (g.find(row) != nullptr ? known : unknown).push_back(row);
    }
    std::vector<std::string> out = g.current(known);
    out.insert(out.end(), unknown.begin(), unknown.end());
    return out;
}

nlohmann::json status_json(const revision_graph& g, const database_status& s,
                           const startup_report& report) {
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
            {"current", current_revisions(g, s.rows)},
            {"rows", s.rows},
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
        connection conn = connection::open(ctx.connection_string(), ctx.set().name() + "-migrate");
        startup_report report = check_database(conn, ctx.set());
        const database_status& s = report.status;
        if (ctx.json) {
            ctx.print_json(status_json(ctx.set().graph(), s, report));
            return;
        }
        if (ctx.verbose) {
            ctx.out << fmt::format("Current revision(s) for {}:\n", conn.describe());
        }
        const revision_graph& g = ctx.set().graph();
        for (const auto& id : current_revisions(g, s.rows)) {
            const revision* r = g.find(id);
            if (r == nullptr) {
                ctx.out << fmt::format("{} (not in this build)\n", id);
            } else if (ctx.verbose) {
                ctx.out << detail_block(g, *r) << '\n';
            } else {
                ctx.out << id << tags(g, *r) << '\n';
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

    auto schema_too = std::make_shared<bool>(false);
    auto* check = app.add_subcommand(
        "check", "exit 0 when the database is at the heads, else 9 with the reason");
    check->add_flag("--schema", *schema_too,
                    "also compare the live schema with the fingerprint the build embeds (from "
                    "a schema-dump in SCHEMA_SOURCES); 2 when there is none to compare with");
    check->callback([&ctx, schema_too] {
        connection conn = connection::open(ctx.connection_string(), ctx.set().name() + "-migrate");
        startup_report report = check_database(conn, ctx.set());
        std::optional<schema::live_schema_report> schema;
        if (*schema_too && report.ok()) {
            schema = schema::check_live_schema(conn, ctx.set());
        }
        bool ok = report.ok() && (!schema || schema->match == schema::schema_match::matches);
        if (ctx.json) {
            nlohmann::json j = status_json(ctx.set().graph(), report.status, report);
            if (schema) {
                j["schema"] = {{"matches", schema->match == schema::schema_match::matches},
                               {"expected", schema->expected},
                               {"actual", schema->actual},
                               {"message", schema->message}};
            }
            ctx.print_json(j);
        } else if (!report.ok()) {
            ctx.err << ctx.set().name() << "-migrate: " << report.status.summary() << '\n';
        } else if (schema && !ok) {
            ctx.err << ctx.set().name() << "-migrate: " << schema->message << '\n';
        } else {
            ctx.out << "No upgrade needed: " << report.status.summary() << '\n';
            if (schema) {
                ctx.out << "Schema: " << schema->message << '\n';
            }
        }
        ctx.exit = !report.ok() ? exit_not_current
                   : schema && schema->match == schema::schema_match::not_comparable ? exit_usage
                   : ok                                                              ? exit_ok
                        : exit_not_current;
    });
}

} // namespace pgmig::cli
