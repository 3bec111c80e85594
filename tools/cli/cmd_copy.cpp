// copy-data: moves the rows of one database into another at the same revision.

#include "backup.hpp"
#include "context.hpp"
#include "copy_data.hpp"

#include <fmt/format.h>

#include <ostream>

namespace pgmig::cli {

void add_copy_command(CLI::App& app, context& ctx) {
    auto args = std::make_shared<copy_options>();
    auto* cmd = app.add_subcommand(
        "copy-data", "copy every table's rows from --from into the --url database, both at the "
                     "same revision (an empty target is upgraded to it first)");
    cmd->add_option("--from", args->source, "connection string of the database to copy from")
        ->required();
    cmd->add_option("-j,--jobs", args->jobs, "tables copied at once")->check(CLI::Range(1, 64));
    cmd->callback([&ctx, args] {
        copy_options options = *args;
        options.target = ctx.connection_string();
        options.schema = ctx.schema;
        copy_summary s = copy_data(ctx.set(), options, [&ctx](const std::string& line) {
            if (!ctx.quiet) {
                ctx.err << "copied " << line << '\n';
            }
        });
        ctx.err << fmt::format("copy-data: {} table{} copied ({} already complete), {} rows, {} "
                               "in {:.2f} s; row counts match\n",
                               s.tables, s.tables == 1 ? "" : "s", s.skipped, s.rows,
                               human_size(s.bytes), s.seconds);
    });
}

} // namespace pgmig::cli
