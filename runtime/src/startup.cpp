#include <pgmig/startup.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pgmig {

const char* to_string(database_condition c) {
    switch (c) {
    case database_condition::up_to_date:
        return "up to date";
    case database_condition::behind:
        return "behind";
    case database_condition::ahead:
        return "ahead";
    case database_condition::unknown_revision:
        return "unknown revision";
    case database_condition::checksum_drift:
        return "checksum drift";
    case database_condition::interrupted:
        return "interrupted";
    }
    return "unknown";
}

startup_report check_database(connection& conn, const revision_set& set) {
    startup_report report;
    report.status = inspect(conn, set);
    const database_status& s = report.status;
    bool unrecorded = std::any_of(s.unknown.begin(), s.unknown.end(), [&](const std::string& id) {
        return std::none_of(s.recorded.begin(), s.recorded.end(),
                            [&](const revision& r) { return r.id == id; });
    });
    if (unrecorded) {
        report.condition = database_condition::unknown_revision;
    } else if (!s.unknown.empty()) {
        report.condition = database_condition::ahead;
    } else if (!s.interrupted.empty()) {
        report.condition = database_condition::interrupted;
    } else if (!s.drifted.empty()) {
        report.condition = database_condition::checksum_drift;
    } else if (!s.pending.empty()) {
        report.condition = database_condition::behind;
    }
    report.message = fmt::format("database {} for revision set {}: {}", conn.describe(), set.name(),
                                 s.summary());
    return report;
}

void require_up_to_date(connection& conn, const revision_set& set) {
    startup_report report = check_database(conn, set);
    if (!report.ok()) {
        throw state_error(report.message);
    }
}

startup_report ensure_up_to_date(connection& conn, const revision_set& set,
                                 const command_options& options) {
    startup_report report = check_database(conn, set);
    if (report.condition == database_condition::behind) {
        (void)upgrade(conn, set, "heads", options);
        report = check_database(conn, set);
    }
    if (!report.ok()) {
        throw state_error(report.message);
    }
    return report;
}

} // namespace pgmig
