#include <pgmig/commands.hpp>
#include <pgmig/connection.hpp>
#include <pgmig/error.hpp>
#include <pgmig/schema_replay.hpp>
#include <pgmig/scratch_database.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace pgmig::schema {
namespace {

source_error file_error(const fs::path& file, std::string message) {
    return source_error(
        {diagnostic{severity::error, {file.string(), 0, 0}, std::move(message), "schema-source"}});
}

} // namespace

model replayed_model(const revision_set& set, const std::string& server_url,
                     const std::vector<std::string>& targets) {
    scratch_database db(server_url, set.name() + "_replay");
    command_options options;
    options.url = db.url();
    for (const auto& target : targets) {
        (void)upgrade(set, target, options);
    }
    connection conn = connection::open(db.url(), "pgmig-schema");
    return read_model(conn, scope_of(set.settings()));
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
            throw file_error(file, fmt::format("the desired schema does not apply: {}", e.what()));
        }
    }
    return read_model(conn);
}

model empty_model(const std::string& server_url) {
    scratch_database db(server_url, "empty");
    connection conn = connection::open(db.url(), "pgmig-schema");
    return read_model(conn);
}

desired_comparison compare_with_desired(const revision_set& set, const std::string& server_url,
                                        const std::vector<fs::path>& files) {
    model head = replayed_model(set, server_url, {"heads"});
    model desired = desired_model(files, server_url);
    desired_comparison out;
    out.lines =
        compare(schema_snapshot{render_lines(head)}, schema_snapshot{render_lines(desired)});
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
        out += c.sql + ";\n";
    }
    return out;
}

} // namespace pgmig::schema
