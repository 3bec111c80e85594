#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pgmig::server {

/// An unprivileged account to run PostgreSQL as, when pgmig itself runs as root.
struct account {
    std::string name;
    unsigned uid = 0;
    unsigned gid = 0;
};

/// The account to run server binaries as: nullopt when not root (run as ourselves);
/// PGMIG_SERVER_USER or `postgres` when root. Throws error when root and no such user exists.
[[nodiscard]] std::optional<account> server_account();

struct process_result {
    int exit_code = -1;
    std::string output; ///< stdout and stderr together
};

struct process_options {
    std::optional<account> as; ///< drop to this account in the child
    std::string cwd = "/";     ///< a directory the account can enter
    bool capture = true;       ///< collect output (else inherit the terminal)
    /// Extra environment for the child: how secrets reach it without showing in `ps`.
    std::vector<std::pair<std::string, std::string>> env = {};
};

/// Runs a program (no shell) and waits for it.
[[nodiscard]] process_result run_process(const std::vector<std::string>& argv,
                                         const process_options& options = {});

/// Creates a directory (and parents) and hands it to the account, mode 0700.
void make_private_directory(const std::string& path, const std::optional<account>& owner);

/// True when the account can reach `path`: every ancestor directory is searchable for it.
[[nodiscard]] bool reachable_by(const std::string& path, const std::optional<account>& who);

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
[[nodiscard]] int free_loopback_port();

} // namespace pgmig::server
