#pragma once

#include <pgmig/revision.hpp>

#include <string>
#include <vector>

namespace pgmig {

/// One step of a plan, with the version-table rows it replaces.
struct plan_step {
    const revision* rev = nullptr;
    direction dir = direction::upgrade;
    std::vector<std::string> rows_removed; ///< version-table rows deleted with this step
    std::vector<std::string> rows_added;   ///< version-table rows inserted with this step
};

/// An ordered list of steps from one state of the version table to another.
struct plan {
    direction dir = direction::upgrade;
    std::vector<plan_step> steps;
    std::vector<std::string> rows_before;
    std::vector<std::string> rows_after;

    [[nodiscard]] bool empty() const { return steps.empty(); }
};

} // namespace pgmig
