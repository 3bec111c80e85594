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

int line_of_position(std::string_view text, int position) {
    if (position <= 0) {
        return 0;
    }
    int line = 1;
    int characters = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U && ++characters == position) {
            return line;
        }
        line += c == '\n' ? 1 : 0;
    }
    return line;
}

} // namespace pgmig
