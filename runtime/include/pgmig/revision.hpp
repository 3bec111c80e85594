#pragma once

#include <pgmig/error.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pgmig {

class operations;

/// One SQL statement of a revision section, with the line it starts on in the source file.
struct statement {
    std::string sql;
    int line = 0;
};

/// The code of a C++ revision: what the build compiled from its `.cpp` file.
struct cpp_revision_hooks {
    void (*upgrade)(operations&) = nullptr;
    /// Null when the revision derives its downgrade from reversible helpers.
    void (*downgrade)(operations&) = nullptr;
    bool auto_reversible = false;
};

/// Where pgmig's knowledge of a revision comes from.
enum class revision_origin {
    embedded, ///< compiled into this build
    recorded, ///< not known to this build; rebuilt from the history table (applied by a newer one)
};

/// One revision: metadata, both sections and where they came from.
struct revision {
    std::string id;
    std::vector<std::string> revises; ///< parents; several make a merge, none a root
    std::vector<std::string>
        depends_on; ///< ids or branch labels applied first (Alembic depends_on)
    std::vector<std::string> branch_labels;
    std::string message;

    source_location where; ///< the file and the line of its `revision` directive
    int revises_line = 0;  ///< lines of the directives, for messages about them
    int depends_on_line = 0;
    int branch_labels_line = 0;

    bool transactional = true;     ///< false for `-- pgmig:transaction off`
    std::string lock_timeout;      ///< PostgreSQL duration text ("5s"); empty: the set's default
    std::string statement_timeout; ///< likewise

    std::vector<statement> upgrade;
    std::vector<statement> downgrade;
    /// Set when the downgrade is `irreversible <reason>`: the reason.
    std::optional<std::string> irreversible;

    std::string checksum; ///< "<algorithm>:<hex>" over the normalized source text

    const cpp_revision_hooks* cpp = nullptr; ///< set for C++ revisions
    revision_origin origin = revision_origin::embedded;

    [[nodiscard]] bool is_cpp() const { return cpp != nullptr; }
    [[nodiscard]] bool is_merge() const { return revises.size() > 1; }
    [[nodiscard]] bool reversible() const { return !irreversible.has_value(); }
};

} // namespace pgmig
