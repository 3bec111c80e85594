#include <pgmig/revision.hpp>

#include <algorithm>

namespace pgmig {

const char* to_string(direction d) {
    return d == direction::upgrade ? "upgrade" : "downgrade";
}

std::string rows_text(const std::vector<std::string>& rows) {
    if (rows.empty()) {
        return "base";
    }
    std::string out;
    for (const auto& r : rows) {
        out += (out.empty() ? "" : ", ") + r;
    }
    return out;
}

bool is_revision_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool valid_revision_id(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), is_revision_id_char);
}

const std::vector<std::string_view>& revision_file_extensions() {
    static const std::vector<std::string_view> extensions{".sql", ".cpp", ".cc", ".cxx"};
    return extensions;
}

revision_file_kind revision_file_kind_of(std::string_view path) {
    for (std::string_view ext : revision_file_extensions()) {
        if (path.size() > ext.size() && path.ends_with(ext)) {
            return ext == ".sql" ? revision_file_kind::sql : revision_file_kind::cpp;
        }
    }
    return revision_file_kind::none;
}

} // namespace pgmig
