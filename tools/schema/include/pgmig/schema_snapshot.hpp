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
    std::vector<std::string> only_schemas;    ///< read only these (a tenant's); empty: all
};

/// The schema of a database as sorted lines of text, one per object or property: the lines
/// of its model (schema::render_lines), which is what the generated tests compare.
///
///     column public.users.email: text not null
///     index public.users_email_idx: CREATE UNIQUE INDEX users_email_idx ON public.users ...
///
/// Objects that belong to extensions are left out (the extension stands for them); column order
/// is left out too, since PostgreSQL cannot put a column back where it was.
struct schema_snapshot {
    std::vector<std::string> lines;

    [[nodiscard]] bool operator==(const schema_snapshot& other) const = default;
};

/// Reads the snapshot in one round trip.
[[nodiscard]] schema_snapshot take_snapshot(connection& conn, const snapshot_scope& scope = {});

/// The same lines, grouped by the unit of the model they belong to (see schema::read_units),
/// for all units or only those asked for (asked-for units that no longer exist come back
/// empty). What incremental snapshots are built from; names are qualified as the connection's
/// search_path makes them.
[[nodiscard]] std::map<std::string, std::vector<std::string>>
snapshot_units(connection& conn, const snapshot_scope& scope,
               const std::vector<std::string>* units = nullptr);

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
