// heads, branches, show: the revision graph as the build embeds it; no connection needed.

#include "context.hpp"
#include "format.hpp"

#include <fmt/format.h>

#include <ostream>

namespace pgmig::cli {

void add_graph_commands(CLI::App& app, context& ctx) {
    auto* heads = app.add_subcommand("heads", "list the heads of the revision graph");
    heads->callback([&ctx] {
        const revision_graph& g = ctx.set().graph();
        if (ctx.json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto* h : g.heads()) {
                list.push_back(revision_json(g, *h));
            }
            ctx.print_json(list);
            return;
        }
        for (const auto* h : g.heads()) {
            ctx.out << (ctx.verbose ? detail_block(g, *h) + "\n" : h->id + tags(g, *h) + "\n");
        }
    });

    auto* branches = app.add_subcommand("branches", "list branch points and where they lead");
    branches->callback([&ctx] {
        const revision_graph& g = ctx.set().graph();
        nlohmann::json list = nlohmann::json::array();
        for (const auto* r : g.topological()) {
            if (!g.is_branch_point(*r)) {
                continue;
            }
            if (ctx.json) {
                auto j = revision_json(g, *r);
                nlohmann::json children = nlohmann::json::array();
                for (const auto* c : g.children(*r)) {
                    children.push_back(c->id);
                }
                j["children"] = children;
                list.push_back(std::move(j));
                continue;
            }
            ctx.out << fmt::format("{}{}, {}\n", r->id, tags(g, *r), r->message);
            for (const auto* c : g.children(*r)) {
                ctx.out << fmt::format("    -> {}{}, {}\n", c->id, tags(g, *c), c->message);
            }
        }
        if (ctx.json) {
            ctx.print_json(list);
        }
    });

    auto rev = std::make_shared<std::string>();
    auto* show = app.add_subcommand("show", "describe one revision");
    show->add_option("revision", *rev, "an id, a unique prefix, a label, head")->required();
    show->callback([&ctx, rev] {
        const revision_graph& g = ctx.set().graph();
        const revision* chosen = nullptr;
        if (*rev == "head") {
            auto hs = g.heads();
            if (hs.size() != 1) {
                throw graph_error(
                    fmt::format("there are {} heads; show one of them by id", hs.size()));
            }
            chosen = hs.front();
        } else {
            chosen = &g.resolve(*rev);
        }
        const revision& r = *chosen;
        if (ctx.json) {
            auto j = revision_json(g, r);
            nlohmann::json up = nlohmann::json::array();
            nlohmann::json down = nlohmann::json::array();
            for (const auto& s : r.upgrade) {
                up.push_back({{"line", s.line}, {"sql", s.sql}});
            }
            for (const auto& s : r.downgrade) {
                down.push_back({{"line", s.line}, {"sql", s.sql}});
            }
            j["upgrade"] = up;
            j["downgrade"] = down;
            ctx.print_json(j);
            return;
        }
        ctx.out << detail_block(g, r);
        if (ctx.verbose && !r.is_cpp()) {
            for (const auto* section : {&r.upgrade, &r.downgrade}) {
                ctx.out << (section == &r.upgrade ? "\n-- upgrade\n" : "\n-- downgrade\n");
                for (const auto& s : *section) {
                    ctx.out << fmt::format("-- line {}\n{};\n", s.line, s.sql);
                }
            }
        }
    });
}

} // namespace pgmig::cli
