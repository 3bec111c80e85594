// dev-server start|stop|status: the development server kept under the build tree.

#include "context.hpp"
#include "local_server.hpp"

#include <fmt/format.h>

#include <ostream>

namespace pgmig::cli {

void add_dev_server_commands(CLI::App& app, context& ctx) {
    auto* dev = app.add_subcommand("dev-server", "the development server (needs --dev-server DIR)");
    dev->require_subcommand(1);
    auto need_dir = [&ctx] {
        if (ctx.dev_server.empty()) {
            throw error("dev-server needs --dev-server DIR (the CMake targets pass it)");
        }
    };
    dev->add_subcommand("start", "start it (creating it first)")->callback([&ctx, need_dir] {
        need_dir();
        server::cluster_options options;
        options.home = ctx.dev_server;
        options.database = ctx.set.name();
        auto info = server::start_local(options);
        ctx.out << fmt::format(
            "Development server running\n  data: {}\n  log: {}\n  connect: psql \"{}\"\n",
            info.data_dir, info.log_file, info.url);
    });
    dev->add_subcommand("stop", "stop it (its data stays)")->callback([&ctx, need_dir] {
        need_dir();
        bool running = server::local_status(ctx.dev_server).has_value();
        server::stop_local(ctx.dev_server, false);
        ctx.out << (running ? "Development server stopped\n"
                            : "Development server was not running\n");
    });
    dev->add_subcommand("status", "say whether it runs and where it lives")
        ->callback([&ctx, need_dir] {
            need_dir();
            auto info = server::local_status(ctx.dev_server);
            if (!info) {
                ctx.out << fmt::format("Development server in {} is not running\n", ctx.dev_server);
                return;
            }
            ctx.out << fmt::format(
                "Development server running\n  data: {}\n  log: {}\n  connect: psql \"{}\"\n",
                info->data_dir, info->log_file, info->url);
        });
}

} // namespace pgmig::cli
