#include <pgmig/detail/checksum.hpp>
#include <pgmig/schema_fingerprint.hpp>
#include <pgmig/scratch_database.hpp>

#include <fmt/format.h>

#include <string_view>

namespace pgmig::schema {
namespace {

/// Bumped whenever render_lines changes what it writes for the same schema, so that a
/// fingerprint of older lines is told apart from a schema that changed.
constexpr int lines_format = 2;

/// "(PostgreSQL 15, lines 2)": the part of a fingerprint that says how it was computed.
std::string origin_of(int server_version) {
    return fmt::format("(PostgreSQL {}, lines {})", server_version / 10000, lines_format);
}

/// "PostgreSQL 15" of a fingerprint, or empty.
std::string major_in(std::string_view fingerprint) {
    auto at = fingerprint.find("(PostgreSQL ");
    if (at == std::string_view::npos) {
        return "";
    }
    auto end = fingerprint.find_first_of(",)", at);
    return std::string(fingerprint.substr(at + 1, end - at - 1));
}

} // namespace

bool same_major(std::string_view a, std::string_view b) {
    return !major_in(a).empty() && major_in(a) == major_in(b);
}

std::string fingerprint(const model& m, int server_version) {
    std::string text;
    for (const auto& line : render_lines(m)) {
        text += line;
        text += '\n';
    }
    return fmt::format("sha256:{} {}", detail::sha256_hex(text), origin_of(server_version));
}

live_schema_report check_live_schema(connection& conn, const revision_set& set) {
    live_schema_report r;
    r.expected = set.settings().schema_fingerprint;
    r.actual = fingerprint(read_model(conn, scope_of(set.settings())), conn.server_version());
    if (r.expected.empty()) {
        r.message = fmt::format("the build of {} has no schema fingerprint: put a file written "
                                "by `{}-migrate schema-dump` in its SCHEMA_SOURCES",
                                set.name(), set.name());
    } else if (!r.expected.ends_with(origin_of(conn.server_version()))) {
        r.message = fmt::format(
            "the schema fingerprint of {} ({}) was taken on another major version, or by a pgmig "
            "that wrote its lines differently, than this one would take ({}): they cannot be "
            "compared; write the schema-dump again",
            set.name(), r.expected, origin_of(conn.server_version()));
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
