#include <pgmig/detail/text_array.hpp>
#include <pgmig/error.hpp>

namespace pgmig::detail {

namespace {

void append_quoted(std::string& out, std::string_view item) {
    out += '"';
    for (char c : item) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
}

} // namespace

std::string format_text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        append_quoted(out, items[i]);
    }
    return out + "}";
}

std::string format_nullable_text_array(const std::vector<std::optional<std::string>>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        if (items[i]) {
            append_quoted(out, *items[i]);
        } else {
            out += "NULL";
        }
    }
    return out + "}";
}

std::vector<std::string> parse_text_array(std::string_view text) {
    std::vector<std::string> out;
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
        throw error("malformed array value from the server");
    }
    std::size_t i = 1;
    const std::size_t end = text.size() - 1;
    while (i < end) {
        std::string item;
        if (text[i] == '"') {
            for (++i; i < end && text[i] != '"'; ++i) {
                if (text[i] == '\\' && i + 1 < end) {
                    ++i;
                }
                item += text[i];
            }
            ++i; // closing quote
        } else {
            while (i < end && text[i] != ',') {
                item += text[i++];
            }
            if (item == "NULL") {
                item.clear();
            }
        }
        out.push_back(std::move(item));
        if (i < end && text[i] == ',') {
            ++i;
        }
    }
    return out;
}

} // namespace pgmig::detail
