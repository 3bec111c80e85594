#include "revision_target.hpp"

#include <pgmig/revision.hpp>

#include <fmt/format.h>

#include <charconv>

namespace pgmig::detail {

parsed_target parse_target(std::string_view text) {
    parsed_target t;
    t.text = std::string(text);
    if (text.empty()) {
        throw graph_error("empty target: give a revision id, head, heads, base, +N or -N");
    }
    if (auto at = text.find('@'); at != std::string_view::npos) {
        t.label = std::string(text.substr(0, at));
        text.remove_prefix(at + 1);
        if (t.label.empty()) {
            throw graph_error(
                fmt::format("target '{}': nothing before '@'; write label@head", t.text));
        }
    }
    if (auto sign = text.find_last_of("+-"); sign != std::string_view::npos) {
        auto digits = text.substr(sign + 1);
        int n = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n <= 0) {
            throw graph_error(fmt::format(
                "target '{}': a relative step is +N or -N with N a positive number", t.text));
        }
        t.relative = true;
        t.steps = text[sign] == '+' ? n : -n;
        text = text.substr(0, sign);
    }
    t.base = std::string(text);
    for (char c : t.base) {
        if (!is_revision_id_char(c)) {
            throw graph_error(fmt::format("target '{}' is not a revision, head, heads, base, "
                                          "label@head, +N or -N",
                                          t.text));
        }
    }
    return t;
}

} // namespace pgmig::detail
