#include "progress.hpp"

#include "format.hpp"

#include <fmt/format.h>

#include <ostream>

namespace pgmig::cli {
namespace {

std::string duration(double ms) {
    return ms < 1000 ? fmt::format("{:.0f} ms", ms) : fmt::format("{:.1f} s", ms / 1000);
}

/// "[2/5] upgrade 4f1c2a9b7e10 -> 9b0d3c1a2f44, Index e-mails"
std::string describe(const progress_event& e) {
    const revision& r = *e.step->rev;
    std::string from = e.step->dir == direction::upgrade ? parents_text(r) : r.id;
    std::string to = e.step->dir == direction::upgrade ? r.id : parents_text(r);
    return fmt::format("[{}/{}] {} {} -> {}{}{}", e.index + 1, e.total, to_string(e.step->dir),
                       from, to, r.message.empty() ? "" : ", ", r.message);
}

} // namespace

progress_printer::progress_printer(std::ostream& err, bool quiet) : m_err(err), m_quiet(quiet) {
    m_thread = std::thread([this] { heartbeat(); });
}

progress_printer::~progress_printer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void progress_printer::operator()(const progress_event& e) {
    std::lock_guard lock(m_mutex);
    switch (e.what) {
    case progress_event::kind::step_started:
        m_current = describe(e);
        m_started = std::chrono::steady_clock::now();
        m_announced = false;
        m_running = true;
        break;
    case progress_event::kind::step_finished:
        m_running = false;
        if (!m_quiet) {
            m_err << fmt::format("{} ({})\n", describe(e), duration(e.elapsed_ms)) << std::flush;
        }
        break;
    case progress_event::kind::statement_finished:
        if (!m_quiet) {
            if (!m_announced) { // the step's line comes before its statements'
                m_err << fmt::format("{} ...\n", m_current);
                m_announced = true;
                m_last = 0;
            }
            m_err << fmt::format("  {} done ({})\n", e.text, duration(e.elapsed_ms)) << std::flush;
        }
        break;
    case progress_event::kind::note:
        m_err << "note: " << e.text << '\n' << std::flush;
        break;
    }
}

void progress_printer::heartbeat() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait_for(lock, std::chrono::milliseconds(250));
        if (!m_running || m_quiet) {
            continue;
        }
        auto seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        if (!m_announced && seconds >= 1) {
            m_err << fmt::format("{} ... running\n", m_current) << std::flush;
            m_announced = true;
            m_last = seconds;
        } else if (m_announced && seconds - m_last >= 10) {
            m_err << fmt::format("  still running ({:.0f} s)\n", seconds) << std::flush;
            m_last = seconds;
        }
    }
}

} // namespace pgmig::cli
