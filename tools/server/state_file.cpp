#include "state_file.hpp"

#include <pgmig/error.hpp>

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace pgmig::server {

std::map<std::string, std::string> read_key_values(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw error(fmt::format("cannot read {}", path));
    }
    std::map<std::string, std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (auto eq = line.find('='); eq != std::string::npos) {
            out[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    return out;
}

void write_key_values(const std::string& path, const std::map<std::string, std::string>& values) {
    fs::create_directories(fs::absolute(path).parent_path());
    const std::string temp = path + ".tmp";
    { std::ofstream create(temp, std::ios::trunc); }
    fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
    {
        std::ofstream out(temp, std::ios::trunc);
        for (const auto& [k, v] : values) {
            out << k << '=' << v << '\n';
        }
        if (!out) {
            throw error(fmt::format("cannot write {}", temp));
        }
    }
    fs::rename(temp, path);
}

server_state server_state::read(const std::string& path) {
    std::map<std::string, std::string> values;
    try {
        values = read_key_values(path);
    } catch (const error&) {
        throw error(fmt::format("no server state in {} (did the server fixture fail?)", path));
    }
    if (!values.count("provider") || !values.count("url")) {
        throw error(fmt::format("{} is not a state file written by `pgmig-server start`", path));
    }
    server_state s;
    s.provider = values["provider"];
    s.url = values["url"];
    s.tcp_url = values["tcp_url"];
    s.home = values["home"];
    s.throwaway = values["throwaway"] == "1";
    s.log_file = values["log_file"];
    s.engine = values["engine"];
    s.container = values["container"];
    const std::string& ms = values["ready_ms"];
    (void)std::from_chars(ms.data(), ms.data() + ms.size(), s.ready_ms);
    return s;
}

void server_state::write(const std::string& path) const {
    write_key_values(path, {{"provider", provider},
                            {"url", url},
                            {"tcp_url", tcp_url},
                            {"home", home},
                            {"throwaway", throwaway ? "1" : "0"},
                            {"log_file", log_file},
                            {"engine", engine},
                            {"container", container},
                            {"ready_ms", std::to_string(ready_ms)}});
}

} // namespace pgmig::server
