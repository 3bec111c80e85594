#pragma once

#include <pgmig/connection.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// What a snapshot leaves out: the set's own bookkeeping.
struct snapshot_scope {
    std::vector<std::string>
        skip_relations;                    ///< qualified and quoted, e.g. "public"."pgmig_version"
    std::vector<std::string> skip_schemas; ///< schema objects (not their contents) to leave out
    std::vector<std::string> exclude_schemas; ///< schemas left out with everything in them
};

/// The schema of a database as sorted lines of text, one per object or property:
///
///     column public.users.email: text not null
///     index public.users_email_idx: CREATE UNIQUE INDEX users_email_idx ON public.users ...
///
/// Covers schemas, tables, columns (type, default, nullability, identity and generated
/// columns, collation), constraints, indexes, sequences, views and materialized views,
/// functions and procedures, triggers, enum, domain, composite and range types,
/// extensions, comments, row-level security and policies, and privileges. Objects that belong
/// to extensions are left out (the extension stands for them); column order is left out too,
/// since PostgreSQL cannot put a column back where it was.
struct schema_snapshot {
    std::vector<std::string> lines;

    [[nodiscard]] bool operator==(const schema_snapshot& other) const = default;
};

/// Reads the snapshot in one query.
[[nodiscard]] schema_snapshot take_snapshot(connection& conn, const snapshot_scope& scope = {});

/// The same lines, grouped by the object they belong to ("rel:<oid>" for a table with its
/// columns, constraints, indexes, triggers, policies and privileges; "proc:", "type:", "ns:",
/// "ext:"), for all units or only those asked for (asked-for units that no longer exist come
/// back empty). What incremental snapshots are built from.
[[nodiscard]] std::map<std::string, std::vector<std::string>>
snapshot_units(connection& conn, const snapshot_scope& scope,
               const std::vector<std::string>* units = nullptr);

/// An SQL expression for the unit (as in snapshot_units) that the catalog object
/// (`classid`, `objid`: SQL expressions) belongs to; NULL for objects outside any unit.
[[nodiscard]] std::string unit_of_object_sql(std::string_view classid, std::string_view objid);

/// An md5 of the snapshot, computed by the server: cheap to compare when nothing changed.
[[nodiscard]] std::string snapshot_digest(connection& conn, const snapshot_scope& scope = {});

/// The lines two snapshots do not share.
struct snapshot_diff {
    std::vector<std::string> removed; ///< in the first, not the second
    std::vector<std::string> added;   ///< in the second, not the first

    [[nodiscard]] bool empty() const { return removed.empty() && added.empty(); }
    /// A unified-diff-like listing: "- line" and "+ line".
    [[nodiscard]] std::string text() const;
};

[[nodiscard]] snapshot_diff compare(const schema_snapshot& before, const schema_snapshot& after);

/// The object a snapshot line is about, "index public.users_email_idx", for messages.
[[nodiscard]] std::string object_of(const std::string& line);

} // namespace pgmig
