#pragma once

#include <pgmig/revision.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace pgmig::compiler {

/// A C++ string literal with the same bytes, split after each newline for readability.
[[nodiscard]] std::string cpp_string_literal(std::string_view text);

/// The generated source that embeds one revision as `pgmig::detail::embedded_revision`
/// named `symbol`. For a C++ revision, `hooks_symbol` names the `cpp_revision_hooks`
/// object that the revision's own file defines.
[[nodiscard]] std::string generate_revision_source(const revision& rev, std::string_view symbol,
                                                   std::string_view hooks_symbol = {});

/// What the set-wide graph check needs of a revision: everything but the statements.
[[nodiscard]] nlohmann::json revision_metadata(const revision& rev);
[[nodiscard]] revision revision_from_metadata(const nlohmann::json& meta);

} // namespace pgmig::compiler
