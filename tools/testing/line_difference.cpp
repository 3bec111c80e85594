#include "line_difference.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace pgmig::testing {
namespace {

/// Lines this long or shorter are shown whole.
constexpr std::size_t whole_line = 160;
/// Characters of context either side of the differing part.
constexpr std::size_t context = 40;

/// The line with every date/time literal PostgreSQL froze into a definition replaced by a
/// placeholder: `'now'::timestamp` in a view is stored as the moment the view was created.
std::string without_frozen_times(const std::string& line) {
    static const std::regex frozen(
        R"('\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}(:\d{2})?)?)?'::(timestamp|date|time)[a-z ]*)");
    return std::regex_replace(line, frozen, "<time>");
}

std::string excerpt(const std::string& line, std::size_t from, std::size_t to) {
    std::string out = from > 0 ? "..." : "";
    out += line.substr(from, to - from);
    out += to < line.size() ? "..." : "";
    return out;
}

} // namespace

std::string describe_change(const std::string& before, const std::string& after) {
    std::string text;
    if (std::max(before.size(), after.size()) <= whole_line) {
        text = fmt::format("    - {}\n    + {}\n", before, after);
    } else {
        std::size_t prefix = 0;
        const std::size_t shortest = std::min(before.size(), after.size());
        while (prefix < shortest && before[prefix] == after[prefix]) {
            ++prefix;
        }
        std::size_t suffix = 0;
        while (suffix < shortest - prefix &&
               before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix]) {
            ++suffix;
        }
        const std::size_t from = prefix > context ? prefix - context : 0;
        text = fmt::format(
            "    - {}\n    + {}\n",
            excerpt(before, from, std::min(before.size(), before.size() - suffix + context)),
            excerpt(after, from, std::min(after.size(), after.size() - suffix + context)));
        text += fmt::format("      ({} characters; they differ from character {} on)\n",
                            before.size(), prefix + 1);
    }
    if (without_frozen_times(before) == without_frozen_times(after)) {
        text += "      (only a date/time literal differs: a value like 'now' or current_date "
                "written as a literal in a definition is frozen when the object is created; "
                "write now() or CURRENT_DATE, which stay calls)\n";
    }
    return text;
}

} // namespace pgmig::testing
