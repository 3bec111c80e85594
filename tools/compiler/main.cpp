// pgmig-compile: the build-time compiler CMake runs for every revision file and every set.
//
//   pgmig-compile revision FILE --symbol S --output-cpp OUT.cpp --output-meta OUT.json
//   pgmig-compile graph --list METAS.txt --stamp OUT [--allow-multiple-heads]
//                       [--allow-irreversible] [--name SET] [--lint-from REV] [--released REV]
//                       [--lint-enable RULE...] [--lint-disable RULE...] [--warnings-as-errors]
//   pgmig-compile check FILE... [--allow-multiple-heads] [--allow-irreversible]
//   pgmig-compile index --name SET --symbols SYMBOLS.txt --output INDEX.cpp [settings...]
//   pgmig-compile extensions       (the revision file extensions, one per line)
//
// Diagnostics go to stderr as `file:line: error: ...`; any error makes the exit status 1.

#include "codegen.hpp"
#include "revision_compiler.hpp"
#include "set_lint.hpp"
#include "sql_splitter.hpp"

#include <pgmig/revision_graph.hpp>
#include <pgmig/revision_set.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;
using namespace pgmig;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw error(fmt::format("{}: error: cannot read file", path));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Writes through a temporary file so an interrupted build never leaves half a file.
void write_file(const std::string& path, std::string_view content) {
    fs::create_directories(fs::absolute(path).parent_path());
    std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out) {
            throw error(fmt::format("{}: error: cannot write file", temp));
        }
    }
    fs::rename(temp, path);
}

/// Prints diagnostics; true when none is an error.
bool report(const std::vector<diagnostic>& diagnostics) {
    bool ok = true;
    for (const auto& d : diagnostics) {
        std::cerr << d.format() << '\n';
        ok = ok && d.level != severity::error;
    }
    return ok;
}

/// The set's lint: prints the findings that stand and the summary; false on an error (a bad
/// option, or a finding under WARNINGS_AS_ERRORS).
bool report_set_lint(const std::vector<revision>& revisions,
                     const std::vector<compiler::lint_report>& reports,
                     const compiler::set_lint_options& options) {
    auto result = compiler::lint_set(revisions, reports, options);
    bool ok = report(result.diagnostics);
    if (!result.summary.empty()) {
        std::cerr << result.summary << '\n';
    }
    return ok;
}

/// LINT_FROM, RELEASED, LINT_ENABLE, LINT_DISABLE and WARNINGS_AS_ERRORS, for the commands
/// that judge a whole set.
void add_set_lint_options(CLI::App& command, compiler::set_lint_options& options) {
    command.add_option("--name", options.set_name, "the set's name, for messages");
    command.add_option("--lint-from", options.lint_from,
                       "first revision linted; the ones below it are not (LINT_FROM)");
    command.add_option("--released", options.released,
                       "newest revision that has shipped (RELEASED)");
    command.add_option("--lint-enable", options.enable, "rules off by default to turn on");
    command.add_option("--lint-disable", options.disable, "rules to turn off");
    command.add_flag("--warnings-as-errors", options.warnings_as_errors);
}

struct revision_command {
    std::string source;
    std::string symbol;
    std::string hooks_symbol;
    std::string output_cpp;
    std::string output_meta;
    std::string display_path;
    compiler::compile_options options;

    int run() const {
        // Stale outputs from an earlier good build must not survive a failing one.
        std::error_code ignored;
        fs::remove(output_cpp, ignored);
        fs::remove(output_meta, ignored);
        compiler::compiled_revision compiled =
            compiler::compile_revision(source, read_file(source), options);
        if (!report(compiled.diagnostics)) {
            return 1;
        }
        // The build's diagnostics name the file as given (an IDE opens it); what the program
        // embeds, prints and stores in the history table is the machine-independent path.
        revision embedded = compiled.rev;
        if (!display_path.empty()) {
            embedded.where.file = display_path;
        }
        write_file(output_cpp, compiler::generate_revision_source(embedded, symbol, hooks_symbol));
        nlohmann::json meta = compiler::revision_metadata(compiled.rev);
        meta["lint"] = compiler::lint_report_to_json(compiled.lint);
        write_file(output_meta, meta.dump(1) + "\n");
        return 0;
    }
};

struct graph_command {
    std::string list;
    std::string stamp;
    graph_options options;

    compiler::set_lint_options lint;

    int run() const {
        std::vector<revision> revisions;
        std::vector<compiler::lint_report> reports;
        std::istringstream lines(read_file(list));
        for (std::string path; std::getline(lines, path);) {
            if (!path.empty()) {
                auto meta = nlohmann::json::parse(read_file(path));
                revisions.push_back(compiler::revision_from_metadata(meta));
                reports.push_back(
                    compiler::lint_report_from_json(meta.value("lint", nlohmann::json::object())));
            }
        }
        if (!report(validate_revisions(revisions, options)) ||
            !report_set_lint(revisions, reports, lint)) {
            return 1;
        }
        write_file(stamp, fmt::format("{} revisions\n", revisions.size()));
        return 0;
    }
};

/// The set's index: written only when its text changes, so that a revision edited (which
/// reruns this command) recompiles that revision alone.
struct index_command {
    std::string symbols;
    std::string output;
    set_settings settings;
    std::vector<std::string> schema_files; ///< SCHEMA_SOURCES, where a dump's fingerprint may be

    /// The fingerprint a `schema-dump` among the files carries; two different ones are an error.
    void read_schema_fingerprint() {
        std::string from;
        for (const auto& file : schema_files) {
            auto found = find_schema_fingerprint(read_file(file));
            if (!found) {
                continue;
            }
            std::string here = fmt::format("{}:{}", file, found->line);
            if (!settings.schema_fingerprint.empty() &&
                found->fingerprint != settings.schema_fingerprint) {
                throw error(fmt::format("{}: error: a second schema fingerprint, different from "
                                        "the one at {}: keep one schema-dump in SCHEMA_SOURCES",
                                        here, from));
            }
            settings.schema_fingerprint = found->fingerprint;
            from = here;
        }
    }

    int run() {
        read_schema_fingerprint();
        std::vector<std::string> names;
        std::istringstream lines(read_file(symbols));
        for (std::string name; std::getline(lines, name);) {
            if (!name.empty()) {
                names.push_back(name);
            }
        }
        std::string text = compiler::generate_set_index(settings, names);
        std::error_code missing;
        if (fs::exists(output, missing) && read_file(output) == text) {
            return 0;
        }
        write_file(output, text);
        return 0;
    }
};

struct check_command {
    std::vector<std::string> files;
    graph_options options;
    compiler::compile_options compile;

    compiler::set_lint_options lint;

    int run() {
        bool ok = true;
        std::vector<revision> revisions;
        std::vector<compiler::lint_report> reports;
        compile.warnings_as_errors = lint.warnings_as_errors;
        for (const auto& file : files) {
            auto compiled = compiler::compile_revision(file, read_file(file), compile);
            ok = report(compiled.diagnostics) && ok;
            if (compiled.ok()) {
                revisions.push_back(std::move(compiled.rev));
                reports.push_back(std::move(compiled.lint));
            }
        }
        ok = ok && report(validate_revisions(revisions, options));
        ok = ok && report_set_lint(revisions, reports, lint);
        if (ok) {
            std::cout << fmt::format("{} revision{} checked, no errors\n", revisions.size(),
                                     revisions.size() == 1 ? "" : "s");
        }
        return ok ? 0 : 1;
    }
};

/// A file of a desired schema (SCHEMA_SOURCES): checked with the parser, as revisions are.
struct schema_command {
    std::string source;
    std::string display_path;
    std::string stamp;
    compiler::syntax_target syntax;

    int run() const {
        const std::string shown = display_path.empty() ? source : display_path;
        auto split = compiler::split_statements(read_file(source), {shown, 1, 1}, syntax);
        if (!report(split.diagnostics)) {
            return 1;
        }
        write_file(stamp, fmt::format("{} statements\n", split.statements.size()));
        return 0;
    }
};

/// POSTGRES_VERSION: the major version the SQL is written for.
void add_syntax_option(CLI::App& command, compiler::syntax_target& syntax) {
    command
        .add_option("--postgres-version", syntax.postgres_major,
                    "PostgreSQL major version the SQL targets: syntax errors become warnings "
                    "when it is newer than the build's parser")
        ->check(CLI::Range(9, 99));
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"pgmig-compile: checks revision files and generates the sources that embed them"};
    app.require_subcommand(1);

    revision_command rev;
    auto* rev_cmd = app.add_subcommand("revision", "compile one revision file");
    rev_cmd->add_option("source", rev.source, "revision file (.sql or .cpp)")->required();
    rev_cmd->add_option("--symbol", rev.symbol, "C++ name of the generated revision")->required();
    rev_cmd->add_option("--hooks-symbol", rev.hooks_symbol, "C++ name of a C++ revision's code");
    rev_cmd->add_option("--output-cpp", rev.output_cpp, "generated source")->required();
    rev_cmd->add_option("--output-meta", rev.output_meta, "metadata for the graph check")
        ->required();
    rev_cmd->add_option("--display-path", rev.display_path,
                        "the file's name in the program and the history table (default: source)");
    rev_cmd->add_flag("--warnings-as-errors", rev.options.warnings_as_errors);
    rev_cmd->add_option("--set-lock-timeout", rev.options.set_lock_timeout,
                        "the set's LOCK_TIMEOUT (for the no-lock-timeout rule)");
    add_syntax_option(*rev_cmd, rev.options.syntax);

    graph_command graph;
    auto* graph_cmd = app.add_subcommand("graph", "check a set's revision graph");
    graph_cmd->add_option("--list", graph.list, "file listing metadata files, one per line")
        ->required();
    graph_cmd->add_option("--stamp", graph.stamp, "file written when the graph is valid")
        ->required();
    graph_cmd->add_flag("--allow-multiple-heads", graph.options.allow_multiple_heads);
    graph_cmd->add_flag("--allow-irreversible", graph.options.allow_irreversible);
    add_set_lint_options(*graph_cmd, graph.lint);

    check_command check;
    auto* check_cmd = app.add_subcommand("check", "check revision files without generating code");
    check_cmd->add_option("files", check.files, "revision files")->required();
    check_cmd->add_flag("--allow-multiple-heads", check.options.allow_multiple_heads);
    check_cmd->add_flag("--allow-irreversible", check.options.allow_irreversible);
    check_cmd->add_option("--set-lock-timeout", check.compile.set_lock_timeout,
                          "the set's LOCK_TIMEOUT (for the no-lock-timeout rule)");
    add_set_lint_options(*check_cmd, check.lint);
    add_syntax_option(*check_cmd, check.compile.syntax);

    index_command index;
    auto* index_cmd = app.add_subcommand("index", "generate a set's index source");
    index_cmd->add_option("--name", index.settings.name, "the set's name")->required();
    index_cmd->add_option("--symbols", index.symbols, "file listing revision symbols, in order")
        ->required();
    index_cmd->add_option("--output", index.output, "generated source")->required();
    index_cmd->add_option("--identity", index.settings.identity,
                          "the set's name in shared state tables (default: --name)");
    index_cmd->add_option("--schema", index.settings.schema, "schema of the state tables");
    index_cmd->add_option("--version-table", index.settings.version_table);
    index_cmd->add_option("--history-table", index.settings.history_table);
    index_cmd->add_option("--source-dir", index.settings.source_dir,
                          "where `revision -m` writes new files");
    index_cmd->add_option("--lock-timeout", index.settings.lock_timeout);
    index_cmd->add_option("--statement-timeout", index.settings.statement_timeout);
    index_cmd->add_option("--lock-retries", index.settings.lock_retries)->check(CLI::Range(0, 100));
    index_cmd->add_option("--backup-dir", index.settings.backup_dir,
                          "production's default backup directory (empty: none)");
    index_cmd->add_flag("--allow-multiple-heads", index.settings.options.allow_multiple_heads);
    index_cmd->add_flag("--allow-irreversible", index.settings.options.allow_irreversible);
    index_cmd->add_option("--schema-files", index.schema_files,
                          "SCHEMA_SOURCES files: a schema-dump among them gives the set its "
                          "schema fingerprint");

    schema_command schema;
    auto* schema_cmd =
        app.add_subcommand("schema", "check a file of a desired schema (SCHEMA_SOURCES)");
    schema_cmd->add_option("source", schema.source, "SQL file")->required();
    schema_cmd->add_option("--stamp", schema.stamp, "file written when it parses")->required();
    schema_cmd->add_option("--display-path", schema.display_path, "the file's name in messages");
    add_syntax_option(*schema_cmd, schema.syntax);

    auto* extensions_cmd =
        app.add_subcommand("extensions", "print the revision file extensions, one per line");

    try {
        app.parse(argc, argv);
        if (index_cmd->parsed()) {
            return index.run();
        }
        if (schema_cmd->parsed()) {
            return schema.run();
        }
        if (extensions_cmd->parsed()) {
            for (std::string_view ext : revision_file_extensions()) {
                std::cout << ext << '\n';
            }
            return 0;
        }
        if (rev_cmd->parsed()) {
            return rev.run();
        }
        if (graph_cmd->parsed()) {
            return graph.run();
        }
        return check.run();
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "pgmig-compile: " << e.what() << '\n';
        return 1;
    }
}
