#include <pgmig/commands.hpp>
#include <pgmig/connection.hpp>
#include <pgmig/error.hpp>
#include <pgmig/schema_fingerprint.hpp>
#include <pgmig/schema_replay.hpp>
#include <pgmig/scratch_database.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

namespace fs = std::filesystem;

namespace pgmig::schema {
namespace {

source_error file_error(const fs::path& file, std::string message, int line = 0) {
    return source_error({diagnostic{
        severity::error, {file.string(), line, 0}, std::move(message), "schema-source"}});
}

} // namespace

model replayed_model(const revision_set& set, const std::string& server_url,
                     const std::vector<std::string>& targets, const std::string& tenant) {
    scratch_database db(server_url, set.name() + "_replay");
    command_options options;
    options.url = db.url();
    options.search_path = tenant_search_path(tenant);
    for (const auto& target : targets) {
        (void)upgrade(set, target, options);
    }
    connection conn = connection::open(db.url(), "pgmig-schema");
    return read_model(conn, scope_of(set.settings(), tenant));
}

int server_version_of(const std::string& server_url) {
    return connection::open(server_url, "pgmig-schema").server_version();
}

std::vector<fs::path> schema_files(const std::vector<fs::path>& sources) {
    std::vector<fs::path> out;
    for (const auto& source : sources) {
        std::vector<fs::path> found;
        if (fs::is_directory(source)) {
            for (const auto& e : fs::recursive_directory_iterator(source)) {
                if (e.is_regular_file() && e.path().extension() == ".sql") {
                    found.push_back(e.path());
                }
            }
            std::sort(found.begin(), found.end());
        } else if (fs::is_regular_file(source)) {
            found.push_back(source);
        }
        if (found.empty()) {
            throw file_error(source, "no SQL file of the desired schema there");
        }
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

model desired_model(const std::vector<fs::path>& files, const std::string& server_url) {
    scratch_database db(server_url, "desired");
    connection conn = connection::open(db.url(), "pgmig-schema");
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) {
            throw file_error(file, "cannot read it");
        }
        try {
            (void)conn.exec_all(text.str());
        } catch (const database_error& e) {
            throw file_error(file, fmt::format("the desired schema does not apply: {}", e.what()),
                             line_of_position(text.str(), e.info().position));
        }
    }
    return read_model(conn);
}

model empty_model(const std::string& server_url) {
    scratch_database db(server_url, "empty");
    connection conn = connection::open(db.url(), "pgmig-schema");
    return read_model(conn);
}

namespace {

/// Runs the changes in one transaction; the failing statement's error, or empty.
std::string apply(connection& conn, const std::vector<change>& changes) {
    conn.exec("BEGIN");
    for (const auto& c : changes) {
        if (c.sql.empty()) {
            return fmt::format("a statement is left to write by hand: {}", c.review);
        }
        try {
            conn.exec(c.sql);
        } catch (const database_error& e) {
            conn.exec("ROLLBACK");
            return fmt::format("{}\nin: {}", e.what(), c.sql);
        }
    }
    conn.exec("COMMIT");
    return {};
}

std::string differences(connection& conn, const model& expected, const char* step) {
    snapshot_diff d = compare(expected, read_model(conn));
    return d.empty()
               ? std::string()
               : fmt::format("after the {}, these differ (- expected, + got):\n{}", step, d.text());
}

} // namespace

std::string prove(const model& before, const model& after, const std::vector<change>& up,
                  const std::vector<change>& down, const std::string& server_url) {
    scratch_database db(server_url, "proof");
    connection conn = connection::open(db.url(), "pgmig-schema");
    model empty = read_model(conn);
    for (const auto& [changes, expected, step] :
         {std::tuple{diff(empty, before), &before, "setup"}, std::tuple{up, &after, "upgrade"},
          std::tuple{down, &before, "downgrade"}}) {
        if (std::string failed = apply(conn, changes); !failed.empty()) {
            return fmt::format("the {} failed: {}", step, failed);
        }
        if (std::string d = differences(conn, *expected, step); !d.empty()) {
            return d;
        }
    }
    return {};
}

desired_comparison compare_with_desired(const revision_set& set, const std::string& server_url,
                                        const std::vector<fs::path>& files) {
    model head = replayed_model(set, server_url, {"heads"});
    model desired = desired_model(files, server_url);
    desired_comparison out;
    out.head_fingerprint = fingerprint(head, server_version_of(server_url));
    out.lines = compare(head, desired);
    out.upgrade = diff(head, desired);
    out.downgrade = diff(desired, head);
    return out;
}

std::string render_script(const std::vector<change>& changes) {
    std::string out;
    for (const auto& c : changes) {
        if (!c.review.empty()) {
            out += "-- REVIEW: " + c.review + "\n";
        }
        if (!c.sql.empty()) {
            out += c.sql + ";\n";
        }
    }
    return out;
}

} // namespace pgmig::schema
