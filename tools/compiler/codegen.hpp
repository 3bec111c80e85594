#pragma once

#include <pgmig/revision.hpp>
#include <pgmig/revision_set.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pgmig::compiler {

/// A C++ string literal with the same bytes, split after each newline for readability. The one
/// place pgmig turns text into C++ source: the CMake module passes text to the tools instead.
[[nodiscard]] std::string cpp_string_literal(std::string_view text);

/// The generated source that embeds one revision as `pgmig::detail::embedded_revision`
/// named `symbol`, with designated initializers. For a C++ revision, `hooks_symbol` names the
/// `cpp_revision_hooks` object that the revision's own file defines.
[[nodiscard]] std::string generate_revision_source(const revision& rev, std::string_view symbol,
                                                   std::string_view hooks_symbol = {});

/// The generated index of a set: its settings and the symbols of its revisions, in order,
/// as the `pgmig::sets::<name>()` function that <pgmig/sets/<name>.hpp> declares.
[[nodiscard]] std::string generate_set_index(const set_settings& settings,
                                             const std::vector<std::string>& symbols);

/// What the set-wide graph check needs of a revision: every recorded field but the statements
/// and the code.
[[nodiscard]] nlohmann::json revision_metadata(const revision& rev);
/// Reads revision_metadata() back; throws nlohmann::json::exception when a field is missing.
[[nodiscard]] revision revision_from_metadata(const nlohmann::json& meta);

} // namespace pgmig::compiler
