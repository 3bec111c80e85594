#pragma once

// Throw-away databases on a server: where the generated tests run revisions, and where the
// schema tools replay them or normalize a desired schema, as Atlas's dev database does.

#include <pgmig/revision_set.hpp>
#include <pgmig/schema_scope.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

namespace pgmig {

/// A database created from template0 on the server `server_url` reaches (any database there;
/// the role needs CREATEDB), dropped, forcibly, when this goes out of scope.
class scratch_database {
public:
    /// `purpose` goes into the name, `pgmig_<purpose>_<pid>_<random>`; `log` receives a
    /// warning if the database cannot be dropped, or its name when kept.
    scratch_database(const std::string& server_url, std::string_view purpose,
                     std::ostream* log = nullptr, bool keep = false);
    ~scratch_database();
    scratch_database(const scratch_database&) = delete;
    scratch_database& operator=(const scratch_database&) = delete;

    [[nodiscard]] const std::string& name() const { return m_name; }
    /// The server's connection string with this database in it.
    [[nodiscard]] const std::string& url() const { return m_url; }

private:
    std::string m_server;
    std::string m_name;
    std::string m_url;
    std::ostream* m_log;
    bool m_keep;
};

} // namespace pgmig
