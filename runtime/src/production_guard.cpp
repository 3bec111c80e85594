#include <pgmig/commands.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace pgmig {

production_guard production_guard::from_environment() {
    const char* environment = std::getenv("ENVIRONMENT");
    const char* confirm = std::getenv("CONFIRM_PRODUCTION_MIGRATION");
    std::string env = environment != nullptr ? environment : "";
    std::string lower = env;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    production_guard guard;
    guard.production = lower == "production" || lower == "prod";
    guard.confirmed = confirm != nullptr && std::string_view(confirm) == "true";
    guard.name = "ENVIRONMENT=" + env;
    return guard;
}

void production_guard::check(std::string_view action) const {
    if (production && !confirmed) {
        throw guard_error(fmt::format(
            "{}: refusing to {} without CONFIRM_PRODUCTION_MIGRATION=true", name, action));
    }
}

} // namespace pgmig
