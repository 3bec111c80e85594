// history (the revision graph, newest first, as alembic history) and log (the history table).

#include "context.hpp"
#include "format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <set>

namespace pgmig::cli {
namespace {

/// Revisions between two ends of `-r A:B`, both included; an end may be base, head(s),
/// current or a revision.
std::vector<const revision*> select_range(context& ctx, const std::string& range,
                                          const std::vector<std::string>& current) {
    const revision_graph& g = ctx.set().graph();
    std::string lower = "base";
    std::string upper = "heads";
    if (!range.empty()) {
        auto colon = range.find(':');
        if (colon == std::string::npos) {
            throw graph_error(
                fmt::format("-r takes FROM:TO (either may be empty), not '{}'", range));
        }
        lower = colon == 0 ? "base" : range.substr(0, colon);
        upper = colon + 1 == range.size() ? "heads" : range.substr(colon + 1);
    }
    auto ends = [&](const std::string& which) -> std::vector<std::string> {
        if (which == "current") {
            return current;
        }
        if (which == "heads" || which == "head") {
            std::vector<std::string> heads;
            for (const auto* h : g.heads()) {
                heads.push_back(h->id);
            }
            return heads;
        }
        return {g.resolve(which).id};
    };
    std::vector<std::string> below = g.applied(ends(upper));
    std::set<std::string> chosen(below.begin(), below.end());
    if (lower != "base") {
        auto above = g.descendants(ends(lower));
        std::set<std::string> upper_half(above.begin(), above.end());
        for (auto it = chosen.begin(); it != chosen.end();) {
            it = upper_half.count(*it) ? std::next(it) : chosen.erase(it);
        }
    }
    std::vector<const revision*> out;
    for (const auto* r : g.topological()) {
        if (chosen.count(r->id)) {
            out.push_back(r);
        }
    }
    std::reverse(out.begin(), out.end()); // newest first, as alembic prints
    return out;
}

} // namespace

void add_history_commands(CLI::App& app, context& ctx) {
    struct history_args {
        std::string range;
        bool indicate_current = false;
    };
    auto args = std::make_shared<history_args>();
    auto* history = app.add_subcommand("history", "list revisions, newest first");
    history->add_option("-r,--rev-range", args->range,
                        "FROM:TO, each base, heads, current or a revision (default base:heads)");
    history->add_flag("-i,--indicate-current", args->indicate_current,
                      "mark the revisions the database is at (connects)");
    history->callback([&ctx, args] {
        std::vector<std::string> current;
        bool needs_db = args->indicate_current || args->range.find("current") != std::string::npos;
        if (needs_db) {
            connection conn =
                connection::open(ctx.connection_string(), ctx.set().name() + "-migrate");
            current = inspect(conn, ctx.set()).rows;
        }
        std::set<std::string> marked(current.begin(), current.end());
        const revision_graph& g = ctx.set().graph();
        auto revisions = select_range(ctx, args->range, current);
        if (ctx.json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto* r : revisions) {
                auto j = revision_json(g, *r);
                j["is_current"] = marked.count(r->id) > 0;
                list.push_back(std::move(j));
            }
            ctx.print_json(list);
            return;
        }
        for (const auto* r : revisions) {
            ctx.out << (ctx.verbose ? detail_block(g, *r, marked) + "\n"
                                    : history_line(g, *r, marked) + "\n");
        }
    });

    auto limit = std::make_shared<int>(50);
    auto* log =
        app.add_subcommand("log", "show the history table: every step applied, newest first");
    log->add_option("-n,--limit", *limit, "rows to show (default 50)");
    log->callback([&ctx, limit] {
        auto entries = read_log(ctx.set(), *limit, ctx.options());
        if (ctx.json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& e : entries) {
                list.push_back({{"id", e.id},
                                {"revision", e.revision},
                                {"direction", e.direction},
                                {"checksum", e.checksum},
                                {"message", e.message},
                                {"started_at", e.started_at},
                                {"finished_at", e.finished_at},
                                {"duration_ms", e.duration_ms},
                                {"db_user", e.db_user},
                                {"tool_version", e.tool_version},
                                {"note", e.note}});
            }
            ctx.print_json(list);
            return;
        }
        for (const auto& e : entries) {
            std::string state = e.finished_at.empty()
                                    ? fmt::format(" (unfinished: {} of {} statements)",
                                                  e.statements_done, e.statements_total.value_or(0))
                                    : fmt::format(" ({:.0f} ms)", e.duration_ms);
            ctx.out << fmt::format("{} {:<9} {}{} by {}{}{}{}\n", e.started_at, e.direction,
                                   e.revision, state, e.db_user, e.message.empty() ? "" : ", ",
                                   e.message, e.note.empty() ? "" : " [" + e.note + "]");
        }
    });
}

} // namespace pgmig::cli
