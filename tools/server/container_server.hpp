#pragma once

#include <string>

namespace pgmig::server {

struct container_options {
    std::string engine;  ///< docker or podman; empty: the first of them that answers
    std::string image;   ///< default PGMIG_TEST_IMAGE, else postgres:16
    std::string network; ///< publish (default: -p 127.0.0.1::5432) or host (--network host)
};

/// A running throw-away PostgreSQL container.
struct container_info {
    std::string engine;
    std::string id;
    std::string url; ///< includes the generated password: for the state file, never for output
};

/// docker or podman, whichever answers `<cli> info` (preferring `preferred`); empty if none.
[[nodiscard]] std::string find_engine(const std::string& preferred = {});

/// Starts the official image's contract (POSTGRES_PASSWORD, `-c` settings) with the data on a
/// tmpfs and fsync off, and waits until it accepts a connection. Removes the container again
/// if it does not come up.
[[nodiscard]] container_info start_container(const container_options& options);

/// Removes the container and everything in it.
void remove_container(const std::string& engine, const std::string& id);

} // namespace pgmig::server
