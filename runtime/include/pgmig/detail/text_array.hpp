#pragma once

// PostgreSQL's text form of one-dimensional text[] values: how pgmig passes arrays as
// parameters and reads them back without a JSON library in the runtime.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail {

/// `{"a","b c"}`: every element quoted, so no element is ever mistaken for NULL.
[[nodiscard]] std::string format_text_array(const std::vector<std::string>& items);

/// The same with NULL elements: `{"a",NULL}`.
[[nodiscard]] std::string
format_nullable_text_array(const std::vector<std::optional<std::string>>& items);

/// Reads `{a,"b c",NULL}` (NULL elements become empty strings).
[[nodiscard]] std::vector<std::string> parse_text_array(std::string_view text);

} // namespace pgmig::detail
