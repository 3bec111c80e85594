#pragma once

// `upgrade --wait-for-replicas SECONDS`: after the run, wait until every streaming standby of
// the database has replayed it, so that services reading from standbys see the new schema.

#include <pgmig/connection.hpp>

#include <chrono>
#include <string>

namespace pgmig::cli {

/// How the standbys caught up.
struct replicas_caught_up {
    int standbys = 0; ///< physical standbys streaming from the database
    double seconds = 0;
};

/// Waits until every physical standby streaming from the server `conn` is connected to has
/// replayed the WAL written so far (logical subscribers are not standbys, and are left out).
/// Throws error naming each standby still behind, and by how much, when `timeout` passes;
/// and when the role cannot see the standbys' positions (it needs pg_monitor).
[[nodiscard]] replicas_caught_up wait_for_replicas(connection& conn,
                                                   std::chrono::milliseconds timeout);

} // namespace pgmig::cli
