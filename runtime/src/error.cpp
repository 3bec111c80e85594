#include <pgmig/error.hpp>

#include <fmt/format.h>

namespace pgmig {
namespace {

const char* label(severity s) {
    switch (s) {
    case severity::error:
        return "error";
    case severity::warning:
        return "warning";
    case severity::note:
        return "note";
    }
    return "error";
}

std::string summarize(const std::vector<diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        if (!out.empty()) {
            out += '\n';
        }
        out += d.format();
    }
    return out;
}

} // namespace

std::string diagnostic::format() const {
    std::string tag = code.empty() ? "" : fmt::format(" [{}]", code);
    if (!where.known()) {
        return fmt::format("{}: {}{}", label(level), message, tag);
    }
    if (where.line <= 0) {
        return fmt::format("{}: {}: {}{}", where.file, label(level), message, tag);
    }
    if (where.column > 0) {
        return fmt::format("{}:{}:{}: {}: {}{}", where.file, where.line, where.column, label(level),
                           message, tag);
    }
    return fmt::format("{}:{}: {}: {}{}", where.file, where.line, label(level), message, tag);
}

source_error::source_error(std::vector<diagnostic> diagnostics)
    : error(summarize(diagnostics)), m_diagnostics(std::move(diagnostics)) {}

} // namespace pgmig
