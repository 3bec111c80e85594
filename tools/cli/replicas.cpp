#include "replicas.hpp"

#include <pgmig/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <thread>
#include <vector>

namespace pgmig::cli {

replicas_caught_up wait_for_replicas(connection& conn, std::chrono::milliseconds timeout) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    // The insert position: with asynchronous commit the run's last commit may not be written
    // yet, and standbys receive it once it is.
    const std::string target(conn.exec("SELECT pg_current_wal_insert_lsn()").text(0, 0));
    // Physical standbys only: a logical walsender is connected to a database.
    const std::string standbys =
        "SELECT coalesce(nullif(r.application_name, ''), 'pid ' || r.pid) || ' (' ||\n"
        "           coalesce(host(r.client_addr), 'local socket') || ')',\n"
        "       r.replay_lsn IS NULL, coalesce(r.replay_lsn >= $1::pg_lsn, false),\n"
        "       coalesce(pg_size_pretty(pg_wal_lsn_diff($1::pg_lsn, r.replay_lsn)), '?')\n"
        "FROM pg_stat_replication r JOIN pg_stat_activity a ON a.pid = r.pid\n"
        "WHERE a.datname IS NULL ORDER BY 1";
    std::chrono::milliseconds pause{5};
    for (;;) {
        result r = conn.exec(standbys, {target});
        std::vector<std::string> behind;
        for (int i = 0; i < r.rows(); ++i) {
            if (r.text(i, 1) == "t") {
                throw error(fmt::format(
                    "--wait-for-replicas: the role {} cannot see how far standby {} has "
                    "replayed; grant it pg_monitor (GRANT pg_monitor TO ...)",
                    conn.exec("SELECT current_user").text(0, 0), r.text(i, 0)));
            }
            if (r.text(i, 2) != "t") {
                behind.push_back(fmt::format("{} ({} behind)", r.text(i, 0), r.text(i, 3)));
            }
        }
        const double seconds = std::chrono::duration<double>(clock::now() - start).count();
        if (behind.empty()) {
            return {r.rows(), seconds};
        }
        if (clock::now() - start >= timeout) {
            throw error(fmt::format(
                "the run is committed, but after {} s {} of {} standby{} had not replayed "
                "it: {}. A query on a standby that holds a table the run locked holds replay "
                "back (see docs/operations.md); run again to wait again",
                std::chrono::duration<double>(timeout).count(), behind.size(), r.rows(),
                r.rows() == 1 ? "" : "s", fmt::join(behind, ", ")));
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
}

} // namespace pgmig::cli
