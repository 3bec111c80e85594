#pragma once

// The files the server tool keeps: `key=value` lines. One owner reads and writes the format;
// `server_state` is what `pgmig-server start --state FILE` records about the server it started,
// which the test fixtures, the test tools and the benchmarks read (scripts through
// `pgmig-server url --state FILE`).

#include <map>
#include <string>

namespace pgmig::server {

/// Reads `key=value` lines; throws error when the file cannot be read.
[[nodiscard]] std::map<std::string, std::string> read_key_values(const std::string& path);
/// Writes `key=value` lines through a temporary file, readable by the owner only (values may
/// hold passwords).
void write_key_values(const std::string& path, const std::map<std::string, std::string>& values);

/// A server started for tests: how to reach it and how to stop it.
struct server_state {
    std::string provider; ///< local, container or url
    std::string url;      ///< may hold a password (container servers): never printed
    std::string tcp_url;  ///< local servers listening on 127.0.0.1 too
    std::string home;     ///< local servers: the cluster's directory
    bool throwaway = false;
    std::string log_file;
    std::string engine;    ///< container servers: docker or podman
    std::string container; ///< container servers: the container's id
    int ready_ms = 0;      ///< how long the server took to accept connections

    /// Throws error naming the file when it is missing or not a state file.
    [[nodiscard]] static server_state read(const std::string& path);
    void write(const std::string& path) const;
};

} // namespace pgmig::server
