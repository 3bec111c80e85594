#include "process.hpp"

#include <pgmig/error.hpp>

#include <fmt/format.h>
#include <linux/close_range.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace pgmig::server {

std::optional<account> server_account() {
    if (geteuid() != 0) {
        return std::nullopt;
    }
    const char* configured = std::getenv("PGMIG_SERVER_USER");
    std::string name = configured != nullptr && *configured != '\0' ? configured : "postgres";
    struct passwd* pw = getpwnam(name.c_str());
    if (pw == nullptr) {
        throw error(fmt::format(
            "PostgreSQL refuses to run as root, and there is no user '{}' to run it as; create "
            "one (the postgresql package creates 'postgres') or set PGMIG_SERVER_USER",
            name));
    }
    return account{name, pw->pw_uid, pw->pw_gid};
}

namespace {

void pipe_or_throw(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    }
}

/// Forks and execs; in the child, `out` and `err` (or -1) become stdout and stderr.
pid_t spawn(const std::vector<std::string>& argv, const process_options& options, int out,
            int err) {
    if (argv.empty()) {
        throw error("no program to run");
    }
    pid_t pid = fork();
    if (pid < 0) {
        throw error(fmt::format("cannot start {}: {}", argv.front(), std::strerror(errno)));
    }
    if (pid != 0) {
        return pid;
    }
    int devnull = open("/dev/null", O_RDWR);
    if (options.output == output_mode::discard) {
        out = err = devnull;
    }
    if (out >= 0) {
        dup2(out, STDOUT_FILENO);
    }
    if (err >= 0) {
        dup2(err, STDERR_FILENO);
    }
    if (options.as) {
        if (initgroups(options.as->name.c_str(), options.as->gid) != 0 ||
            setgid(options.as->gid) != 0 || setuid(options.as->uid) != 0) {
            std::fprintf(stderr, "cannot switch to user %s: %s\n", options.as->name.c_str(),
                         std::strerror(errno));
            _exit(126);
        }
    }
    // Nothing the caller has open may leak into the child: pg_ctl's server outlives us,
    // and an inherited pipe would keep whoever reads it (ninja, a shell) waiting forever.
    if (devnull >= 0 && options.output != output_mode::inherit) {
        dup2(devnull, STDIN_FILENO);
    }
    close_range(3, ~0U, 0);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
        (void)chdir("/");
    }
    for (const auto& [name, value] : options.env) {
        if (value) {
            setenv(name.c_str(), value->c_str(), 1);
        } else {
            unsetenv(name.c_str());
        }
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
}

/// Reads both pipes until both close, whichever the child fills first.
void drain(int out_fd, std::string& out, int err_fd, std::string& err) {
    std::vector<pollfd> fds;
    fds.push_back({out_fd, POLLIN, 0});
    if (err_fd >= 0) {
        fds.push_back({err_fd, POLLIN, 0});
    }
    std::size_t open_fds = fds.size();
    char buffer[4096];
    while (open_fds > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (auto& p : fds) {
            if (p.fd < 0 || p.revents == 0) {
                continue;
            }
            ssize_t n = read(p.fd, buffer, sizeof buffer);
            if (n > 0) {
                (p.fd == out_fd ? out : err).append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close(p.fd);
                p.fd = -1;
                --open_fds;
            }
        }
    }
}

} // namespace

process_result run_process(const std::vector<std::string>& argv, const process_options& options) {
    process_result result;
    if (options.output == output_mode::inherit || options.output == output_mode::discard) {
        result.exit_code = wait_process(start_process(argv, options));
        return result;
    }
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    pipe_or_throw(out);
    const bool separate = options.output == output_mode::separate;
    if (separate) {
        pipe_or_throw(err);
    }
    pid_t pid = 0;
    try {
        pid = spawn(argv, options, out[1], separate ? err[1] : out[1]);
    } catch (...) {
        for (int fd : {out[0], out[1], err[0], err[1]}) {
            if (fd >= 0) {
                close(fd);
            }
        }
        throw;
    }
    close(out[1]);
    if (separate) {
        close(err[1]);
    }
    drain(out[0], result.output, separate ? err[0] : -1, result.error);
    result.exit_code = wait_process(pid);
    return result;
}

pid_t start_process(const std::vector<std::string>& argv, const process_options& options) {
    if (options.output != output_mode::inherit && options.output != output_mode::discard) {
        throw error("start_process: a started program's output is inherited or discarded");
    }
    return spawn(argv, options, -1, -1);
}

int wait_process(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void make_private_directory(const std::string& path, const std::optional<account>& owner) {
    fs::create_directories(path);
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
    if (owner && chown(path.c_str(), owner->uid, owner->gid) != 0) {
        throw error(
            fmt::format("cannot give {} to user {}: {}", path, owner->name, std::strerror(errno)));
    }
}

bool reachable_by(const std::string& path, const std::optional<account>& who) {
    if (!who) {
        return true;
    }
    fs::path p = fs::absolute(path);
    for (fs::path dir = p.parent_path(); !dir.empty(); dir = dir.parent_path()) {
        struct stat st {};
        if (stat(dir.c_str(), &st) == 0) {
            bool ok = (st.st_uid == who->uid && (st.st_mode & S_IXUSR)) ||
                      (st.st_gid == who->gid && (st.st_mode & S_IXGRP)) || (st.st_mode & S_IXOTH);
            if (!ok) {
                return false;
            }
        }
        if (dir == dir.root_path()) {
            break;
        }
    }
    return true;
}

int free_loopback_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        throw error("cannot find a free TCP port on 127.0.0.1");
    }
    int port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

} // namespace pgmig::server
