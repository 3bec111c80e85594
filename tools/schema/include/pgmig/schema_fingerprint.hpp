#pragma once

// A schema in one line: what `schema-dump` writes at the top of its file, what the build embeds
// from such a file among SCHEMA_SOURCES, and what a live database is checked against at start-up
// (where reading the version rows alone cannot tell that someone changed the schema by hand, or
// stamped a database its revisions never built).
//
//     auto conn = pgmig::connection::open(url);
//     auto schema = pgmig::schema::check_live_schema(conn, pgmig::sets::app_db());
//     if (schema.match == pgmig::schema::schema_match::differs) { log(schema.message); ... }

#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/schema_model.hpp>

#include <string>
#include <string_view>

namespace pgmig::schema {

/// `sha256:<hex> (PostgreSQL 15, lines 2)`: a digest of the model's lines, the major version of
/// the server that printed them (definitions may print differently on another major version)
/// and the format of the lines; fingerprints of another origin are never compared.
[[nodiscard]] std::string fingerprint(const model& m, int server_version);
/// True when two fingerprints were taken on the same major version (whatever their lines'
/// format): then a difference means the schema or pgmig's lines changed, and a committed
/// schema-dump is to be written again.
[[nodiscard]] bool same_major(std::string_view a, std::string_view b);

enum class schema_match {
    matches,
    differs,
    not_comparable, ///< no fingerprint in the build, or one of another major or lines format
};

struct live_schema_report {
    schema_match match = schema_match::not_comparable;
    std::string expected; ///< the build's fingerprint
    std::string actual;   ///< the live database's
    std::string message;  ///< one line, fit for a log
};

/// Reads the live schema (leaving out the set's own tables) and compares its fingerprint with
/// the one the build embeds. Reads only; about as costly as reading the model. Meant for a
/// database at the set's heads (check_database says so): the fingerprint is the heads'.
[[nodiscard]] live_schema_report check_live_schema(connection& conn, const revision_set& set);

} // namespace pgmig::schema
