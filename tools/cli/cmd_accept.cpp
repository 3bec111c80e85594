// accept-checksum: record that an applied revision's changed text is intended.

#include "context.hpp"

#include <fmt/format.h>

#include <ostream>

namespace pgmig::cli {

void add_accept_command(CLI::App& app, context& ctx) {
    auto ids = std::make_shared<std::vector<std::string>>();
    auto* accept = app.add_subcommand(
        "accept-checksum",
        "accept the changed text of applied revisions (recorded in the history table)");
    accept->add_option("revisions", *ids, "revisions whose change to accept, or `all`")->required();
    accept->callback([&ctx, ids] {
        auto accepted = accept_checksums(ctx.set(), *ids, ctx.options());
        if (ctx.json) {
            ctx.print_json({{"accepted", accepted}});
        } else if (accepted.empty()) {
            ctx.out << "No changed revisions to accept\n";
        } else {
            for (const auto& id : accepted) {
                ctx.out << fmt::format("Accepted the new text of {}\n", id);
            }
        }
    });
}

} // namespace pgmig::cli
