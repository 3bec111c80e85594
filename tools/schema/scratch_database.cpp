#include <pgmig/connection.hpp>
#include <pgmig/scratch_database.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <random>

#include <unistd.h>

namespace pgmig {

scratch_database::scratch_database(const std::string& server_url, std::string_view purpose,
                                   std::ostream* log, bool keep)
    : m_server(server_url), m_log(log), m_keep(keep) {
    std::random_device rd;
    m_name = fmt::format("pgmig_{}_{}_{:06x}", purpose.substr(0, 40), getpid(), rd() & 0xFFFFFFU);
    std::transform(m_name.begin(), m_name.end(), m_name.begin(), [](unsigned char c) {
        return std::isalnum(c) != 0 ? static_cast<char>(std::tolower(c)) : '_';
    });
    connection admin = connection::open(m_server, "pgmig-scratch");
    admin.exec(
        fmt::format("CREATE DATABASE {} TEMPLATE template0", admin.quote_identifier(m_name)));
    m_url = with_database(m_server, m_name);
}

scratch_database::~scratch_database() {
    if (m_keep) {
        if (m_log != nullptr) {
            *m_log << fmt::format("kept database {}\n", m_name);
        }
        return;
    }
    try {
        connection admin = connection::open(m_server, "pgmig-scratch");
        admin.exec(
            fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", admin.quote_identifier(m_name)));
    } catch (const error& e) {
        if (m_log != nullptr) {
            *m_log << fmt::format("warning: could not drop scratch database {}: {}\n", m_name,
                                  e.what());
        }
    }
}

} // namespace pgmig
