#pragma once

// Alembic's way of printing revisions: "9b0d3c1a2f44 -> 4f1c2a9b7e10 (head), Add users table".

#include <pgmig/revision_graph.hpp>

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace pgmig::cli {

/// " (auth) (head) (branchpoint) (mergepoint) (current)" as they apply.
[[nodiscard]] std::string tags(const revision_graph& g, const revision& r,
                               const std::set<std::string>& current = {});
/// "<base> -> 4f1c2a9b7e10 (head), Add users table"
[[nodiscard]] std::string history_line(const revision_graph& g, const revision& r,
                                       const std::set<std::string>& current = {});
/// The multi-line description `show` and `--verbose` print.
[[nodiscard]] std::string detail_block(const revision_graph& g, const revision& r,
                                       const std::set<std::string>& current = {});
[[nodiscard]] nlohmann::json revision_json(const revision_graph& g, const revision& r);
[[nodiscard]] std::string parents_text(const revision& r);

} // namespace pgmig::cli
