#pragma once

// How a finding shows one snapshot line that changed: whole when it is short, else only the
// part that differs with some context, since a view or function definition of 1,500
// characters that differs in a few is unreadable twice in full.

#include <string>

namespace pgmig::testing {

/// The `    - ...` and `    + ...` lines (each ending in a newline) for a line that changed,
/// shortened to the differing part when the lines are long, and a note when the only
/// difference is a date/time literal frozen when the object was created.
[[nodiscard]] std::string describe_change(const std::string& before, const std::string& after);

} // namespace pgmig::testing
