#pragma once

// Which part of a database is the set's: what schema reads, copies and traces leave out
// (pgmig's state tables) and, for a tenant, the only schema they look at.

#include <pgmig/connection.hpp>
#include <pgmig/revision_set.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pgmig {

/// What a schema read of a set's database leaves out: the set's version and history tables,
/// and the line of the schema pgmig created for them (its contents still count).
[[nodiscard]] snapshot_scope scope_of(const set_settings& settings);
/// The same, and with a `tenant` schema (`--schema`) nothing outside it.
[[nodiscard]] snapshot_scope scope_of(const set_settings& settings, const std::string& tenant);

/// A query for the relations of the kinds `relkinds` (SQL, e.g. "'r', 'p'") that `scope`
/// covers, in user schemas: `select_list` over `c` (pg_class) and `n` (pg_namespace). Run it
/// with scoped_relations_params(scope).
[[nodiscard]] std::string scoped_relations_sql(std::string_view select_list,
                                               std::string_view relkinds);
[[nodiscard]] std::vector<param> scoped_relations_params(const snapshot_scope& scope);

} // namespace pgmig
