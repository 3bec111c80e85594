// revision, merge: write new revision files into the set's source directory.

#include "context.hpp"

#include <pgmig/commands.hpp>
#include <pgmig/detail/checksum.hpp>
#include <pgmig/detail/numbers.hpp>
#include <pgmig/schema_replay.hpp>
#include <pgmig/scratch_database.hpp>
#include <pgmig/status.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <regex>

namespace fs = std::filesystem;

namespace pgmig::cli {
namespace {

/// 12 lowercase hex digits, like Alembic's revision ids.
std::string new_revision_id() {
    std::random_device device;
    std::mt19937_64 engine((static_cast<std::uint64_t>(device()) << 32U) ^ device());
    return fmt::format("{:012x}", engine() & 0xFFFFFFFFFFFFULL);
}

std::string slug(const std::string& message) {
    std::string out;
    for (char c : message) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
        if (out.size() >= 40) {
            break;
        }
    }
    while (!out.empty() && out.back() == '_') {
        out.pop_back();
    }
    return out.empty() ? "revision" : out;
}

/// `0007_add_orders.sql` when the folder numbers its files, else `<id>_add_orders.sql`.
fs::path file_name(const fs::path& dir, const std::string& id, const std::string& message) {
    static const std::regex numbered(R"(^(\d+)_.*)");
    long next = 0;
    std::size_t width = 4;
    bool all_numbered = true;
    bool any = false;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        auto ext = entry.path().extension();
        if (ext != ".sql" && ext != ".cpp") {
            continue;
        }
        any = true;
        std::smatch m;
        std::string name = entry.path().filename().string();
        if (std::regex_match(name, m, numbered)) {
            next = std::max(next, detail::parse_number<long>(m[1].str(), "a number") + 1);
            width = std::max(width, m[1].str().size());
        } else {
            all_numbered = false;
        }
    }
    std::string stem = slug(message);
    if (!any || all_numbered) {
        return dir / fmt::format("{:0{}}_{}.sql", any ? next : 1, width, stem);
    }
    return dir / fmt::format("{}_{}.sql", id, stem);
}

/// What goes between the sections of a new revision: empty for a revision to fill in by hand.
struct revision_body {
    std::string upgrade;
    std::string downgrade;
    std::string note; ///< a comment above the sections
};

/// A revision file as written.
struct written_revision {
    std::string id;
    fs::path path;
    std::string text;
};

/// Writes the file and says so.
written_revision write_revision(context& ctx, const fs::path& dir, const std::string& message,
                                const std::vector<std::string>& revises,
                                const std::vector<std::string>& labels,
                                const std::vector<std::string>& depends_on, bool transaction_off,
                                const revision_body& body = {}) {
    const std::string id = new_revision_id();
    fs::create_directories(dir);
    fs::path path = file_name(dir, id, message);
    if (fs::exists(path)) {
        throw error(fmt::format("{} already exists", path.string()));
    }
    auto list = [](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& i : items) {
            out += (out.empty() ? "" : " ") + i;
        }
        return out;
    };
    std::string text = fmt::format("-- pgmig:revision {}\n", id);
    if (!revises.empty()) {
        text += fmt::format("-- pgmig:revises {}\n", list(revises));
    }
    text += fmt::format("-- pgmig:message {}\n", message);
    if (!labels.empty()) {
        text += fmt::format("-- pgmig:branch-labels {}\n", list(labels));
    }
    if (!depends_on.empty()) {
        text += fmt::format("-- pgmig:depends-on {}\n", list(depends_on));
    }
    if (transaction_off) {
        text += "-- pgmig:transaction off\n";
    }
    text += body.note.empty() ? "" : "\n" + body.note;
    text += fmt::format("\n-- pgmig:upgrade\n{}\n\n-- pgmig:downgrade\n{}\n", body.upgrade,
                        body.downgrade);
    std::ofstream out(path);
    out << text;
    if (!out) {
        throw error(fmt::format("cannot write {}", path.string()));
    }
    if (ctx.json) {
        ctx.print_json({{"revision", id}, {"path", path.string()}, {"revises", revises}});
    } else {
        ctx.out << fmt::format("Generating {} ... done\n", path.string());
        ctx.out << "Rebuild to include it: a DIRECTORY set picks new files up by itself.\n";
    }
    return {id, path, text};
}

/// The revision that takes the set's head to the desired schema, and back.
revision_body autogenerate(context& ctx, const std::vector<std::string>& sources,
                           const std::string& dev_url) {
    std::vector<fs::path> paths(sources.begin(), sources.end());
    if (paths.empty()) {
        throw usage_error("--autogenerate needs the desired schema: --schema-sources DIR|FILE... "
                          "(the build's db_autogenerate target passes the set's SCHEMA_SOURCES)");
    }
    auto files = schema::schema_files(paths);
    schema::desired_comparison c =
        schema::compare_with_desired(ctx.set(), ctx.scratch_server(dev_url), files);
    std::size_t reviews = static_cast<std::size_t>(
        std::count_if(c.upgrade.begin(), c.upgrade.end(),
                      [](const schema::change& change) { return !change.review.empty(); }));
    revision_body body{schema::render_script(c.upgrade), schema::render_script(c.downgrade), {}};
    if (reviews > 0) {
        body.note = fmt::format("-- Written by `revision --autogenerate`: {} statement{} marked "
                                "REVIEW need a person's decision before this runs.\n",
                                reviews, reviews == 1 ? "" : "s");
    }
    return body;
}

/// adopt's baseline: the file's sections and the statements in them.
struct baseline {
    revision_body body;
    std::vector<schema::change> upgrade;
    std::vector<schema::change> downgrade;
};

/// adopt: the live database's schema as the set's first revision, proven on a scratch database
/// before it is written.
baseline adopt(context& ctx, const std::string& dev_url) {
    if (!ctx.schema.empty()) {
        // The model names every object with its schema: a tenant's baseline would create the
        // objects in that tenant's schema for every tenant.
        throw usage_error(
            "adopt writes a set's first revision with schema-qualified names, so it cannot adopt "
            "a tenant; adopt a database (or a copy) whose tables are in public, then stamp each "
            "tenant with `--schema <tenant> stamp <revision>`");
    }
    if (!ctx.set().graph().heads().empty()) {
        throw usage_error(fmt::format(
            "adopt writes the first revision of a set, and {} already has revisions; write the "
            "next one with `revision -m` or `revision --autogenerate`",
            ctx.set().name()));
    }
    connection conn = connection::open(ctx.connection_string(), ctx.set().name() + "-migrate");
    if (database_status status = inspect(conn, ctx.set()); !status.rows.empty()) {
        throw state_error("the database is already at revisions of this set; adopt is for a "
                          "database pgmig has not migrated");
    }
    std::string server = ctx.scratch_server(dev_url);
    schema::model live = schema::read_model(conn, scope_of(ctx.set().settings()));
    schema::model empty = schema::empty_model(server);
    auto up = schema::diff(empty, live);
    if (up.empty()) {
        throw usage_error("the database's schema is empty: there is nothing to adopt; start "
                          "with `revision -m MESSAGE`");
    }
    auto down = schema::diff(live, empty);
    if (std::string failed = schema::prove(empty, live, up, down, server); !failed.empty()) {
        throw state_error(fmt::format("cannot adopt: the revision written from the schema does "
                                      "not rebuild it on a scratch database, so nothing was "
                                      "written; {}",
                                      failed));
    }
    return {{schema::render_script(up), schema::render_script(down),
             "-- Written by `adopt` from the schema of an existing database: the baseline.\n"},
            std::move(up),
            std::move(down)};
}

/// The revision the build will compile from the file adopt wrote: the same id, message and
/// statements, and the checksum of the same text, so that what stamp records now is what the
/// rebuilt set embeds.
revision baseline_revision(const written_revision& file, const std::string& message,
                           const baseline& b) {
    revision rev;
    rev.id = file.id;
    rev.message = message;
    rev.where = {file.path.string(), 1};
    auto statements = [](const std::vector<schema::change>& changes) {
        std::vector<statement> out;
        for (const auto& c : changes) {
            if (!c.sql.empty()) {
                out.push_back({c.sql});
            }
        }
        return out;
    };
    rev.upgrade = statements(b.upgrade);
    rev.downgrade = statements(b.downgrade);
    rev.checksum = detail::revision_checksum(file.text);
    return rev;
}

} // namespace

void add_revision_commands(CLI::App& app, context& ctx) {
    struct revision_args {
        std::string message;
        std::vector<std::string> heads;
        std::vector<std::string> labels;
        std::vector<std::string> depends_on;
        std::string directory;
        bool transaction_off = false;
        bool autogenerate = false;
        std::vector<std::string> schema_sources;
        std::string dev_url;
    };
    auto args = std::make_shared<revision_args>();
    auto* revision = app.add_subcommand("revision", "write a new, empty revision file");
    revision->add_option("-m,--message", args->message, "what the revision does");
    revision->add_option("--head", args->heads,
                         "revision(s) to build on (default: the single head)");
    revision->add_option("--branch-label", args->labels, "label for a new branch");
    revision->add_option("--depends-on", args->depends_on, "revisions to apply before it");
    revision->add_option("--directory", args->directory,
                         "where to write it (default: the set's source directory)");
    revision->add_flag("--transaction-off", args->transaction_off,
                       "run it outside a transaction (CREATE INDEX CONCURRENTLY)");
    revision->add_flag("--autogenerate", args->autogenerate,
                       "write the statements that take the head to the desired schema, and back");
    revision->add_option("--schema-sources", args->schema_sources,
                         "the desired schema: SQL files, or directories of them");
    add_dev_url_option(*revision, args->dev_url);
    revision->callback([&ctx, args] {
        std::string message = ctx.target_or(args->message, "MSG", "");
        const revision_graph& g = ctx.set().graph();
        std::vector<std::string> revises;
        if (!args->heads.empty()) {
            for (const auto& h : args->heads) {
                revises.push_back(h == "base" ? std::string() : g.resolve(h).id);
            }
            revises.erase(std::remove(revises.begin(), revises.end(), ""), revises.end());
        } else {
            auto heads = g.heads();
            if (heads.size() > 1) {
                std::string names;
                for (const auto* h : heads) {
                    names += (names.empty() ? "" : ", ") + h->id;
                }
                throw graph_error(fmt::format("there are {} heads ({}); name the one to build on "
                                              "with --head, or merge them first with `merge -m "
                                              "MESSAGE heads`",
                                              heads.size(), names));
            }
            for (const auto* h : heads) {
                revises.push_back(h->id);
            }
        }
        fs::path dir = args->directory.empty() ? fs::path(ctx.set().settings().source_dir)
                                               : fs::path(args->directory);
        if (!args->autogenerate) {
            write_revision(ctx, dir, message, revises, args->labels, args->depends_on,
                           args->transaction_off);
            return;
        }
        revision_body body = autogenerate(ctx, args->schema_sources, args->dev_url);
        if (body.upgrade.empty()) {
            if (ctx.json) {
                ctx.print_json({{"revision", nullptr}, {"changes", 0}});
            } else {
                ctx.out << "No changes in schema detected.\n";
            }
            return;
        }
        write_revision(ctx, dir, message, revises, args->labels, args->depends_on,
                       args->transaction_off, body);
    });

    struct merge_args {
        std::string message;
        std::vector<std::string> revisions;
        std::string directory;
    };
    auto margs = std::make_shared<merge_args>();
    auto* merge = app.add_subcommand("merge", "write a revision that merges heads");
    merge->add_option("-m,--message", margs->message, "what the merge joins");
    merge->add_option("revisions", margs->revisions, "revisions to merge, or `heads`")->required();
    merge->add_option("--directory", margs->directory, "where to write it");
    merge->callback([&ctx, margs] {
        std::string message = ctx.target_or(margs->message, "MSG", "merge");
        const revision_graph& g = ctx.set().graph();
        std::vector<std::string> revises;
        for (const auto& r : margs->revisions) {
            if (r == "heads") {
                for (const auto* h : g.heads()) {
                    revises.push_back(h->id);
                }
            } else {
                revises.push_back(g.resolve(r).id);
            }
        }
        std::sort(revises.begin(), revises.end());
        revises.erase(std::unique(revises.begin(), revises.end()), revises.end());
        if (revises.size() < 2) {
            throw graph_error("a merge needs at least two revisions to join");
        }
        fs::path dir = margs->directory.empty() ? fs::path(ctx.set().settings().source_dir)
                                                : fs::path(margs->directory);
        write_revision(ctx, dir, message, revises, {}, {}, false);
    });

    struct adopt_args {
        std::string message;
        std::string directory;
        std::string dev_url;
    };
    auto aargs = std::make_shared<adopt_args>();
    auto* adopt_cmd = app.add_subcommand(
        "adopt", "write the first revision from an existing database's schema, proven on a "
                 "scratch database");
    adopt_cmd->add_option("-m,--message", aargs->message, "the revision's message")
        ->default_str("baseline");
    adopt_cmd->add_option("--directory", aargs->directory, "where to write it");
    add_dev_url_option(*adopt_cmd, aargs->dev_url);
    adopt_cmd->callback([&ctx, aargs] {
        std::string message = ctx.target_or(aargs->message, "MSG", "baseline");
        baseline b = adopt(ctx, aargs->dev_url);
        fs::path dir = aargs->directory.empty() ? fs::path(ctx.set().settings().source_dir)
                                                : fs::path(aargs->directory);
        written_revision file = write_revision(ctx, dir, message, {}, {}, {}, false, b.body);
        // The database already has what the baseline creates: it is stamped at it, as a
        // rebuilt <set>-migrate would do with `stamp`, without running anything.
        revision_set adopted(ctx.set().settings(), {baseline_revision(file, message, b)});
        try {
            (void)stamp(adopted, file.id, ctx.options());
        } catch (const error& e) {
            throw state_error(fmt::format("{} was written, but the database could not be "
                                          "stamped at it: {}; rebuild, then run `{}-migrate "
                                          "stamp {}`",
                                          file.path.string(), e.what(), ctx.set().name(), file.id));
        }
        if (!ctx.json) {
            ctx.out << fmt::format("Stamped the database at {} (nothing ran on it). Rebuild, "
                                   "and the set's next revision starts from there.\n",
                                   file.id);
        }
    });
}

} // namespace pgmig::cli
