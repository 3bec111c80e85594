#pragma once

#include "process.hpp"

#include <optional>
#include <string>

namespace pgmig::server {

/// Where the PostgreSQL server programs (initdb, pg_ctl, postgres) are.
struct binaries {
    std::string bindir;
    [[nodiscard]] std::string program(const std::string& name) const { return bindir + "/" + name; }
};

/// PGMIG_PG_BINDIR if set, else the newest /usr/lib/postgresql/<major>/bin (Debian keeps the
/// server programs there, off PATH), else the directory of an `initdb` on PATH.
[[nodiscard]] binaries find_binaries();

struct cluster_options {
    std::string home;          ///< where the cluster lives (data/, log, info)
    bool throwaway = false;    ///< fsync=off and friends: fast, for data nobody keeps
    bool tcp = false;          ///< also listen on 127.0.0.1, on a free port
    bool prefer_tmpfs = false; ///< put the data on /dev/shm (throw-away servers)
    std::string template_dir;  ///< copy this initialized cluster instead of running initdb
    std::string database;      ///< create this database when missing
    /// A streaming standby of the server at this connection string (pg_basebackup -R)
    /// instead of a cluster of its own; it follows the primary and is read-only.
    std::string replica_of;
    std::string settings; ///< more postgresql.conf lines (wal_level = logical, say)
};

/// How clients reach a running local server. No passwords: the socket uses trust, and it
/// lives in a directory only the server's account can enter.
struct server_info {
    std::string url;     ///< libpq key=value string through the Unix socket
    std::string tcp_url; ///< through 127.0.0.1, when the server listens there
    std::string home;
    std::string data_dir;
    std::string socket_dir;
    int port = 5432;
    std::string log_file;
};

/// Initializes the cluster if needed and starts it if it is not running; returns how to
/// reach it. When running as root, the server runs as an unprivileged account, and a home
/// that account cannot reach is moved under /tmp (the build tree records where).
[[nodiscard]] server_info start_local(const cluster_options& options);

/// Stops the cluster under `home`; does nothing when it is not running.
void stop_local(const std::string& home, bool immediate);

/// The running cluster under `home`, or nullopt.
[[nodiscard]] std::optional<server_info> local_status(const std::string& home);

/// Stops it and deletes its files (throw-away clusters).
void remove_local(const std::string& home);

/// True when a server answers at this connection string.
[[nodiscard]] bool server_ready(const std::string& conninfo);

} // namespace pgmig::server
