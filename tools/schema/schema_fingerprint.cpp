#include <pgmig/detail/checksum.hpp>
#include <pgmig/schema_fingerprint.hpp>
#include <pgmig/scratch_database.hpp>

#include <fmt/format.h>

namespace pgmig::schema {
namespace {

/// "(PostgreSQL 15)": the part of a fingerprint that says where it was computed.
std::string major_of(int server_version) {
    return fmt::format("(PostgreSQL {})", server_version / 10000);
}

} // namespace

std::string fingerprint(const model& m, int server_version) {
    std::string text;
    for (const auto& line : render_lines(m)) {
        text += line;
        text += '\n';
    }
    return fmt::format("sha256:{} {}", detail::sha256_hex(text), major_of(server_version));
}

live_schema_report check_live_schema(connection& conn, const revision_set& set) {
    live_schema_report r;
    r.expected = set.settings().schema_fingerprint;
    r.actual = fingerprint(read_model(conn, scope_of(set.settings())), conn.server_version());
    if (r.expected.empty()) {
        r.message = fmt::format("the build of {} has no schema fingerprint: put a file written "
                                "by `{}-migrate schema-dump` in its SCHEMA_SOURCES",
                                set.name(), set.name());
    } else if (!r.expected.ends_with(major_of(conn.server_version()))) {
        r.message = fmt::format("the schema fingerprint of {} was taken on another major "
                                "version ({}) than the server's {}: they cannot be compared",
                                set.name(), r.expected, major_of(conn.server_version()));
    } else if (r.expected == r.actual) {
        r.match = schema_match::matches;
        r.message = fmt::format("the schema is the one {} builds ({})", set.name(), r.actual);
    } else {
        r.match = schema_match::differs;
        r.message = fmt::format("the schema is not the one {} builds (fingerprint {}, expected "
                                "{}): `{}-migrate drift` lists how it differs from what the "
                                "applied revisions build",
                                set.name(), r.actual, r.expected, set.name());
    }
    return r;
}

} // namespace pgmig::schema
