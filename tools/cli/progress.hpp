#pragma once

#include <pgmig/runner.hpp>

#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

namespace pgmig::cli {

/// Prints one line per finished step, and for a step that runs long a line when it starts
/// and every ten seconds after, so a long migration never looks stuck.
class progress_printer {
public:
    progress_printer(std::ostream& err, bool quiet);
    ~progress_printer();
    progress_printer(const progress_printer&) = delete;
    progress_printer& operator=(const progress_printer&) = delete;

    void operator()(const progress_event& e);

private:
    void heartbeat();

    std::ostream& m_err;
    bool m_quiet;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
    bool m_stop = false;
    bool m_running = false;
    bool m_announced = false;
    double m_last = 0;
    std::string m_current;
    std::chrono::steady_clock::time_point m_started;
};

} // namespace pgmig::cli
