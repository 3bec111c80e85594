#pragma once

// Numbers read from text the server (or a file name) gave us. std::sto* would throw
// std::invalid_argument past pgmig's error root; these throw pgmig::error naming the text.

#include <pgmig/error.hpp>

#include <charconv>
#include <string>
#include <string_view>
#include <system_error>

namespace pgmig::detail {

/// The whole of `text` as a T (an integer or a floating-point type), in `base` for integers.
/// Throws error("value '<text>' is not <what>") otherwise.
template <typename T>
[[nodiscard]] T parse_number(std::string_view text, const char* what, int base = 10) {
    T value{};
    const char* end = text.data() + text.size();
    std::from_chars_result r{};
    if constexpr (std::is_floating_point_v<T>) {
        (void)base;
        r = std::from_chars(text.data(), end, value);
    } else {
        r = std::from_chars(text.data(), end, value, base);
    }
    if (text.empty() || r.ec != std::errc() || r.ptr != end) {
        throw error("value '" + std::string(text) + "' is not " + what);
    }
    return value;
}

} // namespace pgmig::detail
