#include <pgmig/startup.hpp>

#include <fmt/format.h>

namespace pgmig {

startup_report check_database(connection& conn, const revision_set& set) {
    startup_report report;
    report.status = inspect(conn, set);
    report.condition = report.status.condition();
    report.message = fmt::format("database {} for revision set {}: {}", conn.describe(), set.name(),
                                 report.status.summary());
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
