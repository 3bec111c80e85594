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

process_result run_process(const std::vector<std::string>& argv, const process_options& options) {
    int pipe_fds[2] = {-1, -1};
    if (options.capture && pipe(pipe_fds) != 0) {
        throw error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    }
    pid_t pid = fork();
    if (pid < 0) {
        throw error(fmt::format("cannot start {}: {}", argv.front(), std::strerror(errno)));
    }
    if (pid == 0) {
        if (options.capture) {
            dup2(pipe_fds[1], STDOUT_FILENO);
            dup2(pipe_fds[1], STDERR_FILENO);
            close(pipe_fds[0]);
            close(pipe_fds[1]);
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
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
        }
        close_range(3, ~0U, 0);
        if (chdir(options.cwd.c_str()) != 0) {
            (void)chdir("/");
        }
        for (const auto& [name, value] : options.env) {
            setenv(name.c_str(), value.c_str(), 1);
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
    process_result out;
    if (options.capture) {
        close(pipe_fds[1]);
        char buffer[4096];
        ssize_t n = 0;
        while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
            if (n > 0) {
                out.output.append(buffer, static_cast<std::size_t>(n));
            }
        }
        close(pipe_fds[0]);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return out;
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
