#pragma once

#include <pgmig/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

class operations;

/// Which way a revision runs.
enum class direction { upgrade, downgrade };

[[nodiscard]] const char* to_string(direction d);

/// Version-table rows for messages: "a1, b2", or "base" when there are none.
[[nodiscard]] std::string rows_text(const std::vector<std::string>& rows);

/// True for `[A-Za-z0-9_]{1,64}`, the form of revision ids and branch labels.
[[nodiscard]] bool valid_revision_id(std::string_view id);
/// True for a character of that alphabet.
[[nodiscard]] bool is_revision_id_char(char c);

/// What a revision file holds, by its name.
enum class revision_file_kind { none, sql, cpp };

/// `.sql` files are SQL revisions; `.cpp`, `.cc` and `.cxx` files are C++ revisions; anything
/// else is not a revision. The CMake module keeps the same list for DIRECTORY globs, and a test
/// checks the two against `pgmig-compile extensions`.
[[nodiscard]] revision_file_kind revision_file_kind_of(std::string_view path);
/// The extensions above, with their dots.
[[nodiscard]] const std::vector<std::string_view>& revision_file_extensions();

/// One SQL statement of a revision section, with the line it starts on in the source file.
struct statement {
    std::string sql;
    int line = 0;
    /// Cannot run inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...): in a
    /// `transaction off` revision it cannot commit together with the record of its completion.
    bool autocommit = false;
    /// For CREATE INDEX CONCURRENTLY, the index it builds, qualified as written: an interrupted
    /// build leaves it invalid, and a resumed run rebuilds it.
    std::string builds_index = {};
    /// What the build found it locks on an existing table, for `--sql --annotate`:
    /// "ACCESS EXCLUSIVE on users, rewrites it"; empty when it locks none.
    std::string locks = {};
};

/// The code of a C++ revision: what the build compiled from its `.cpp` file.
struct cpp_revision_hooks {
    void (*upgrade)(operations&) = nullptr;
    /// Null when the revision derives its downgrade from reversible helpers.
    void (*downgrade)(operations&) = nullptr;
    bool auto_reversible = false;
};

/// For a revision rebuilt from the history table: whether its stored downgrade SQL matches the
/// checksum stored with it.
enum class stored_sql_check {
    not_stored, ///< an embedded revision
    verified,
    unverified, ///< stored by a pgmig that kept no checksum
    mismatch,   ///< edited since it was stored: never run
};

/// Where pgmig's knowledge of a revision comes from.
enum class revision_origin {
    embedded, ///< compiled into this build
    recorded, ///< not known to this build; rebuilt from the history table (applied by a newer one)
};

/// One revision: metadata, both sections and where they came from.
///
/// The fields the build records are listed once, in for_each_recorded_field below; the
/// generated C++ data (detail::embedded_revision, same names, same order), the JSON summary the
/// graph check reads, and the conversions between them all walk that list.
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

    bool transactional = true; ///< false for `-- pgmig:transaction off`
    /// `-- pgmig:tested-from-here`: the generated tests prove this revision and what follows,
    /// not what lies below it (old history whose downgrades never worked).
    bool tested_from_here = false;
    std::string lock_timeout;      ///< PostgreSQL duration text ("5s"); empty: the set's default
    std::string statement_timeout; ///< likewise
    /// `-- pgmig:safety-assured <rule> <reason>`, as "rule: reason": lint findings the author
    /// settled, kept in the history table with the revision.
    std::vector<std::string> safety_assured;

    std::vector<statement> upgrade;
    std::vector<statement> downgrade;
    /// Set when the downgrade is `irreversible <reason>`: the reason.
    std::optional<std::string> irreversible;

    std::string checksum; ///< "<algorithm>:<hex>" over the normalized source text

    const cpp_revision_hooks* cpp = nullptr;            ///< set for C++ revisions
    revision_origin origin = revision_origin::embedded; ///< not recorded: known where it is read
    stored_sql_check stored_sql = stored_sql_check::not_stored; ///< for recorded revisions

    [[nodiscard]] bool is_cpp() const { return cpp != nullptr; }
    [[nodiscard]] bool is_merge() const { return revises.size() > 1; }
    [[nodiscard]] bool reversible() const { return !irreversible.has_value(); }
};

/// Calls `visit(name, field...)` for every recorded field of one record or of several side by
/// side (to convert between them), in declaration order. A new field is added to `revision`,
/// to `detail::embedded_revision` and here; every form derived from the record follows.
template <typename Visit, typename... Records>
void for_each_recorded_field(Visit&& visit, Records&... records) {
    visit("id", records.id...);
    visit("revises", records.revises...);
    visit("depends_on", records.depends_on...);
    visit("branch_labels", records.branch_labels...);
    visit("message", records.message...);
    visit("where", records.where...);
    visit("revises_line", records.revises_line...);
    visit("depends_on_line", records.depends_on_line...);
    visit("branch_labels_line", records.branch_labels_line...);
    visit("transactional", records.transactional...);
    visit("tested_from_here", records.tested_from_here...);
    visit("lock_timeout", records.lock_timeout...);
    visit("statement_timeout", records.statement_timeout...);
    visit("safety_assured", records.safety_assured...);
    visit("upgrade", records.upgrade...);
    visit("downgrade", records.downgrade...);
    visit("irreversible", records.irreversible...);
    visit("checksum", records.checksum...);
    visit("cpp", records.cpp...);
}

} // namespace pgmig
