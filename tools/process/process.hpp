#pragma once

// Child processes, the one place pgmig forks and execs: the server programs, container engines,
// the command `pgmig-server dev run` wraps, pg_dump for the CLI's backups, and the programs
// tests start.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

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

/// What becomes of a child's output.
enum class output_mode {
    merged,   ///< stdout and stderr together in process_result::output
    separate, ///< stdout in output, stderr in error
    inherit,  ///< the caller's terminal
    discard,  ///< /dev/null
};

struct process_result {
    int exit_code = -1; ///< 128 + signal when killed
    std::string output;
    std::string error; ///< with output_mode::separate
};

struct process_options {
    std::optional<account> as = {}; ///< drop to this account in the child
    std::string cwd = "/";          ///< a directory the account can enter; empty: ours
    output_mode output = output_mode::merged;
    /// Environment changes for the child (how secrets reach it without showing in `ps`); a
    /// variable without a value is removed.
    std::vector<std::pair<std::string, std::optional<std::string>>> env = {};
};

/// Runs a program (no shell, searched on PATH) and waits for it.
[[nodiscard]] process_result run_process(const std::vector<std::string>& argv,
                                         const process_options& options = {});

/// Starts a program without waiting (output_mode::inherit or discard); returns its pid.
[[nodiscard]] pid_t start_process(const std::vector<std::string>& argv,
                                  const process_options& options = {});
/// Waits for a started program; its exit code, or 128 + signal.
[[nodiscard]] int wait_process(pid_t pid);

/// Creates a directory (and parents) and hands it to the account, mode 0700.
void make_private_directory(const std::string& path, const std::optional<account>& owner);

/// True when the account can reach `path`: every ancestor directory is searchable for it.
[[nodiscard]] bool reachable_by(const std::string& path, const std::optional<account>& who);

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
[[nodiscard]] int free_loopback_port();

} // namespace pgmig::server
