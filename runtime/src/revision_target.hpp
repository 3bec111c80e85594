#pragma once

// The target grammar of upgrade, downgrade and stamp: `[label@][base][+N|-N]`. Text only; what a
// target means in a graph is the planner's job (planner.cpp).

#include <string>
#include <string_view>

namespace pgmig::detail {

/// A target split into its parts: `[label@][base][+N|-N]`.
struct parsed_target {
    std::string text;
    std::string label;
    std::string base;
    int steps = 0; ///< signed; meaningful when relative
    bool relative = false;
};

/// Splits a target; throws graph_error naming it when it is not of the grammar.
[[nodiscard]] parsed_target parse_target(std::string_view text);

} // namespace pgmig::detail
