#include "fleet.hpp"

#include "context.hpp"

#include <pgmig/connection.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

namespace pgmig::cli {
namespace {

/// Runs targets [first, last) on up to `jobs` threads; false when one failed.
bool run_range(std::vector<target_outcome>& outcomes, std::size_t first, std::size_t last,
               const fleet_options& options,
               const std::function<migrate_result(const fleet_target&)>& migrate,
               const std::function<void(const target_outcome&)>& done) {
    std::atomic<std::size_t> next{first};
    std::atomic<bool> failed{false};
    std::mutex report;
    auto worker = [&] {
        for (;;) {
            if (failed && !options.keep_going) {
                return; // the running ones finish; no new one starts
            }
            std::size_t i = next++;
            if (i >= last) {
                return;
            }
            target_outcome& o = outcomes[i];
            auto start = std::chrono::steady_clock::now();
            try {
                o.result = migrate(o.target);
                o.state = target_state::ok;
            } catch (const std::exception& e) {
                o.state = target_state::failed;
                std::string what = redact_secrets(e.what(), o.target.conninfo);
                o.error = what.substr(0, what.find('\n'));
                o.exit_status = exit_status_of(e);
                failed = true;
            }
            o.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::lock_guard lock(report);
            done(o);
        }
    };
    std::vector<std::thread> threads;
    const auto n =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(options.jobs, 1)), last - first);
    for (std::size_t t = 0; t < n; ++t) {
        threads.emplace_back(worker);
    }
    for (auto& t : threads) {
        t.join();
    }
    return !failed;
}

} // namespace

std::vector<target_outcome>
run_fleet(const std::vector<fleet_target>& targets, const fleet_options& options,
          const std::function<migrate_result(const fleet_target&)>& migrate,
          const std::function<void(const target_outcome&)>& done) {
    std::vector<target_outcome> outcomes;
    for (const auto& t : targets) {
        target_outcome o;
        o.index = outcomes.size();
        o.target = t;
        o.shown = mask_password(t.conninfo) + (t.schema.empty() ? "" : " schema " + t.schema);
        outcomes.push_back(std::move(o));
    }
    const std::size_t canaries =
        std::min(targets.size(), static_cast<std::size_t>(std::max(options.canaries, 0)));
    // Canaries first: a failure among them stops everything, --keep-going or not.
    fleet_options canary_options = options;
    canary_options.keep_going = false;
    if (!run_range(outcomes, 0, canaries, canary_options, migrate, done)) {
        return outcomes;
    }
    (void)run_range(outcomes, canaries, targets.size(), options, migrate, done);
    return outcomes;
}

std::vector<std::string> parse_targets(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        auto begin = line.find_first_not_of(" \t\r");
        if (begin == std::string::npos || line[begin] == '#') {
            continue;
        }
        auto end = line.find_last_not_of(" \t\r");
        out.push_back(line.substr(begin, end - begin + 1));
    }
    return out;
}

} // namespace pgmig::cli
