#include "revision_reader.hpp"

#include <pgmig/detail/checksum.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <map>

namespace pgmig::compiler {
namespace {

constexpr std::array header_directives{
    "revision",    "revises",          "message",        "branch-labels",
    "depends-on",  "transaction",      "lock-timeout",   "statement-timeout",
    "lint-ignore", "tested-from-here", "safety-assured",
};
constexpr std::array section_directives{"upgrade", "downgrade"};

std::string_view trim(std::string_view s) {
    const auto* ws = " \t\f\v";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) {
        return {};
    }
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::vector<std::string> tokens(std::string_view s) {
    std::vector<std::string> out;
    std::string current;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == ',') {
            if (!current.empty()) {
                out.push_back(std::move(current));
                current.clear();
            }
        } else {
            current += c;
        }
    }
    if (!current.empty()) {
        out.push_back(std::move(current));
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

/// PostgreSQL's duration syntax as lock_timeout accepts it: a number and an optional unit.
bool valid_duration(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) != 0)) {
        ++i;
    }
    if (i == 0) {
        return false;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        std::size_t digits = i;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) != 0)) {
            ++i;
        }
        if (i == digits) {
            return false;
        }
    }
    auto unit = trim(s.substr(i));
    constexpr std::array units{"", "us", "ms", "s", "min", "h", "d"};
    return std::find(units.begin(), units.end(), unit) != units.end();
}

struct directive {
    std::string name;
    std::string value;
};

/// `-- pgmig:name value` (or `// pgmig:` in C++ files); nullopt for any other line.
std::optional<directive> parse_directive(std::string_view line, source_kind kind) {
    auto s = trim(line);
    std::string_view lead = kind == source_kind::sql ? "--" : "//";
    if (!s.starts_with(lead)) {
        return std::nullopt;
    }
    s = trim(s.substr(2));
    if (!s.starts_with("pgmig:")) {
        return std::nullopt;
    }
    s = trim(s.substr(6));
    directive d;
    std::size_t i = 0;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') {
        ++i;
    }
    d.name = std::string(s.substr(0, i));
    d.value = std::string(trim(s.substr(i)));
    return d;
}

/// A C++ line that invokes PGMIG_REVISION (not in a // comment).
bool registers_cpp_revision(std::string_view line) {
    auto at = line.find("PGMIG_REVISION(");
    if (at == std::string_view::npos) {
        return false;
    }
    auto comment = line.find("//");
    return comment == std::string_view::npos || comment > at;
}

class reader {
public:
    reader(std::string_view path, source_kind kind) : m_kind(kind) {
        m_out.meta.where.file = std::string(path);
    }

    revision_source run(std::string_view text) {
        std::string normalized = detail::normalize_text(text);
        if (auto problem = find_text_problem(normalized)) {
            int line =
                1 + static_cast<int>(std::count(
                        normalized.begin(),
                        normalized.begin() + static_cast<std::ptrdiff_t>(problem->offset), '\n'));
            error(line, problem->message, "encoding");
            return std::move(m_out);
        }
        std::string_view rest = normalized;
        int line_number = 0;
        while (!rest.empty() || line_number == 0) {
            ++line_number;
            auto eol = rest.find('\n');
            std::string_view line = rest.substr(0, eol);
            rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
            take_line(line, line_number);
            if (rest.empty()) {
                break;
            }
        }
        finish(line_number);
        return std::move(m_out);
    }

private:
    enum class state { header, upgrade, downgrade, ignored };

    void error(int line, std::string message, std::string code = "malformed-directive") {
        m_out.diagnostics.push_back(
            {severity::error, {m_out.meta.where.file, line}, std::move(message), std::move(code)});
    }

    section_text* current_section() {
        switch (m_state) {
        case state::upgrade:
            return &m_out.upgrade;
        case state::downgrade:
            return &m_out.downgrade;
        case state::header:
        case state::ignored:
            break;
        }
        return nullptr;
    }

    void take_line(std::string_view line, int n) {
        auto d = parse_directive(line, m_kind);
        if (!d) {
            if (m_state == state::ignored) {
                return;
            }
            if (section_text* section = current_section()) {
                section->text.append(line);
                section->text += '\n';
            } else if (m_kind == source_kind::sql) {
                check_header_line(line, n);
            } else if (!m_registers_cpp) {
                m_registers_cpp = registers_cpp_revision(line);
            }
            return;
        }
        if (d->name.empty()) {
            error(n, "directive name missing after 'pgmig:'");
            return;
        }
        bool is_section = std::find(section_directives.begin(), section_directives.end(),
                                    d->name) != section_directives.end();
        bool is_header = std::find(header_directives.begin(), header_directives.end(), d->name) !=
                         header_directives.end();
        if (!is_section && !is_header) {
            unknown_directive(*d, n);
        } else if (is_section) {
            open_section(*d, n);
        } else if (d->name == "safety-assured" && current_section() != nullptr) {
            // Above a statement: it settles a rule for that statement. The line stays in the
            // section as the comment it is, so statements keep their line numbers.
            section_assurance(*d, n);
            current_section()->text.append(line);
            current_section()->text += '\n';
        } else if (m_state != state::header && m_kind == source_kind::sql) {
            // Metadata after SQL would be easy to miss when reading the file.
            error(n, fmt::format("directive '{}' belongs in the header, before -- pgmig:upgrade",
                                 d->name));
        } else {
            header(*d, n);
        }
    }

    void check_header_line(std::string_view line, int n) {
        auto s = trim(line);
        if (m_in_block_comment) {
            m_in_block_comment = s.find("*/") == std::string_view::npos;
            return;
        }
        if (s.empty() || s.starts_with("--")) {
            return;
        }
        if (s.starts_with("/*")) {
            m_in_block_comment = s.find("*/", 2) == std::string_view::npos;
            return;
        }
        if (!m_reported_header_sql) {
            m_reported_header_sql = true;
            error(n, "SQL before the upgrade section; statements go after '-- pgmig:upgrade'",
                  "misplaced-sql");
        }
    }

    void unknown_directive(const directive& d, int n) {
        std::string best;
        std::size_t best_distance = 4;
        for (auto known : header_directives) {
            if (auto dist = edit_distance(d.name, known); dist < best_distance) {
                best_distance = dist;
                best = known;
            }
        }
        for (auto known : section_directives) {
            if (auto dist = edit_distance(d.name, known); dist < best_distance) {
                best_distance = dist;
                best = known;
            }
        }
        error(n,
              best.empty() ? fmt::format("unknown directive 'pgmig:{}'", d.name)
                           : fmt::format("unknown directive 'pgmig:{}'; did you mean 'pgmig:{}'?",
                                         d.name, best),
              "unknown-directive");
    }

    void open_section(const directive& d, int n) {
        if (m_kind == source_kind::cpp) {
            error(n,
                  fmt::format("C++ revisions have no '{}' section: define {}(pgmig::operations&) "
                              "in the revision type",
                              d.name, d.name));
            return;
        }
        bool up = d.name == "upgrade";
        section_text& section = up ? m_out.upgrade : m_out.downgrade;
        if (section.present) {
            error(n,
                  fmt::format("second '{}' section (the first starts on line {})", d.name,
                              section.directive_line),
                  "duplicate-section");
            m_state = state::ignored; // its text would only repeat the same complaints
            return;
        }
        section.present = true;
        section.directive_line = n;
        section.first_line = n + 1;
        if (up && !d.value.empty()) {
            error(n, fmt::format("unexpected text after 'pgmig:upgrade': '{}'", d.value));
        }
        if (!up && !d.value.empty()) {
            auto words = tokens(d.value);
            if (words.front() != "irreversible") {
                error(n, fmt::format("unexpected text after 'pgmig:downgrade': '{}'; write "
                                     "'-- pgmig:downgrade irreversible <reason>' for a revision "
                                     "that cannot be undone",
                                     d.value));
            } else {
                auto reason = trim(std::string_view(d.value).substr(std::strlen("irreversible")));
                if (reason.empty()) {
                    error(n, "'pgmig:downgrade irreversible' needs a reason after it");
                }
                m_out.meta.irreversible = std::string(reason);
            }
        }
        m_state = up ? state::upgrade : state::downgrade;
    }

    bool once(const directive& d, int n) {
        auto [it, inserted] = m_seen.emplace(d.name, n);
        if (!inserted) {
            error(n,
                  fmt::format("directive '{}' given twice (first on line {})", d.name, it->second),
                  "duplicate-directive");
        }
        return inserted;
    }

    std::vector<std::string> ids(const directive& d, int n, bool allow_empty) {
        auto list = tokens(d.value);
        if (list.empty() && !allow_empty) {
            error(n, fmt::format("directive '{}' needs at least one revision id", d.name));
        }
        std::vector<std::string> out;
        for (auto& id : list) {
            if (!valid_revision_id(id)) {
                error(n, fmt::format("'{}' in directive '{}' is not a valid id "
                                     "(letters, digits and _, at most 64)",
                                     id, d.name));
            } else if (std::find(out.begin(), out.end(), id) != out.end()) {
                error(n, fmt::format("'{}' is listed twice in directive '{}'", id, d.name));
            } else {
                out.push_back(std::move(id));
            }
        }
        return out;
    }

    void header(const directive& d, int n) {
        revision& meta = m_out.meta;
        if (d.name == "revision") {
            if (!once(d, n)) {
                return;
            }
            meta.where.line = n;
            auto list = tokens(d.value);
            if (list.size() != 1) {
                error(n, "directive 'revision' takes exactly one id");
            } else if (!valid_revision_id(list.front())) {
                error(n, fmt::format("'{}' is not a valid revision id (letters, digits and _, "
                                     "at most 64)",
                                     list.front()));
            } else {
                meta.id = list.front();
            }
        } else if (d.name == "revises") {
            if (once(d, n)) {
                meta.revises_line = n;
                meta.revises = ids(d, n, true);
            }
        } else if (d.name == "depends-on") {
            meta.depends_on_line = meta.depends_on_line ? meta.depends_on_line : n;
            for (auto& id : ids(d, n, false)) {
                meta.depends_on.push_back(std::move(id));
            }
        } else if (d.name == "branch-labels") {
            meta.branch_labels_line = meta.branch_labels_line ? meta.branch_labels_line : n;
            for (auto& label : ids(d, n, false)) {
                meta.branch_labels.push_back(std::move(label));
            }
        } else if (d.name == "message") {
            if (once(d, n)) {
                meta.message = d.value;
            }
        } else if (d.name == "transaction") {
            if (!once(d, n)) {
                return;
            }
            if (d.value == "off") {
                meta.transactional = false;
            } else if (d.value != "on") {
                error(n, fmt::format("directive 'transaction' takes 'on' or 'off', not '{}'",
                                     d.value));
            }
        } else if (d.name == "lock-timeout" || d.name == "statement-timeout") {
            if (!once(d, n)) {
                return;
            }
            if (!valid_duration(d.value)) {
                error(n, fmt::format("directive '{}' takes a duration such as 5s, 500ms or 1min, "
                                     "not '{}'",
                                     d.name, d.value));
            } else {
                (d.name == "lock-timeout" ? meta.lock_timeout : meta.statement_timeout) = d.value;
            }
        } else if (d.name == "tested-from-here") {
            if (!once(d, n)) {
                return;
            }
            if (!d.value.empty()) {
                error(n, fmt::format("directive 'tested-from-here' takes no value, not '{}'",
                                     d.value));
            }
            meta.tested_from_here = true;
        } else if (d.name == "safety-assured") {
            if (auto rule = assurance(d, n); !rule.empty()) {
                m_out.settled_rules.push_back(std::move(rule));
            }
        } else if (d.name == "lint-ignore") {
            for (auto& rule : tokens(d.value)) {
                m_out.lint_ignore.push_back(std::move(rule));
            }
        }
    }

    /// `safety-assured <rule> <reason>`: the rule, recorded with its reason for the history
    /// table; empty when the reason is missing.
    std::string assurance(const directive& d, int n) {
        std::string_view value = d.value;
        auto gap = std::min(value.size(), value.find_first_of(" \t"));
        std::string rule(value.substr(0, gap));
        auto reason = trim(value.substr(gap));
        if (rule.empty() || reason.empty()) {
            error(n, "'pgmig:safety-assured' takes a lint rule and the reason it is safe here: "
                     "'-- pgmig:safety-assured <rule> <reason>'");
            return {};
        }
        m_out.meta.safety_assured.push_back(fmt::format("{}: {}", rule, reason));
        m_out.assurance_lines.emplace_back(rule, n);
        return rule;
    }

    void section_assurance(const directive& d, int n) {
        if (auto rule = assurance(d, n); !rule.empty()) {
            m_out.statement_assured.push_back({n, std::move(rule)});
        }
    }

    void finish(int last_line) {
        if (m_seen.find("revision") == m_seen.end()) {
            error(1,
                  fmt::format("no revision id: add '{} pgmig:revision <id>' to the header",
                              m_kind == source_kind::sql ? "--" : "//"),
                  "missing-revision");
        }
        if (m_kind == source_kind::cpp) {
            if (!m_registers_cpp) {
                // Without it the set would fail to link, with a message about a symbol.
                error(last_line,
                      "no PGMIG_REVISION(<type>) in this C++ revision: define a type with "
                      "upgrade(pgmig::operations&) and downgrade(pgmig::operations&), then write "
                      "PGMIG_REVISION(<type>) after it",
                      "missing-registration");
            }
            return;
        }
        if (!m_out.upgrade.present) {
            error(last_line,
                  "no upgrade section: add '-- pgmig:upgrade' followed by the statements",
                  "missing-upgrade");
        }
        if (!m_out.downgrade.present) {
            error(last_line,
                  "no downgrade section: add '-- pgmig:downgrade' followed by statements that "
                  "undo the upgrade (or '-- pgmig:downgrade irreversible <reason>' in a set "
                  "registered with ALLOW_IRREVERSIBLE)",
                  "missing-downgrade");
        }
    }

    source_kind m_kind;
    revision_source m_out;
    state m_state = state::header;
    std::map<std::string, int> m_seen;
    bool m_in_block_comment = false;
    bool m_reported_header_sql = false;
    bool m_registers_cpp = false;
};

} // namespace

bool revision_source::ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const diagnostic& d) { return d.level == severity::error; });
}

revision_source read_revision(std::string_view path, std::string_view text, source_kind kind) {
    return reader(path, kind).run(text);
}

source_kind kind_of(std::string_view path) {
    return revision_file_kind_of(path) == revision_file_kind::cpp ? source_kind::cpp
                                                                  : source_kind::sql;
}

std::optional<text_problem> find_text_problem(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == 0) {
            return text_problem{i,
                                "the file contains a NUL byte, which PostgreSQL does not accept"};
        }
        std::size_t length = c < 0x80U            ? 1
                             : (c >> 5U) == 0x6U  ? 2
                             : (c >> 4U) == 0xEU  ? 3
                             : (c >> 3U) == 0x1EU ? 4
                                                  : 0;
        bool valid = length != 0 && i + length <= text.size() && !(length == 2 && c < 0xC2U);
        for (std::size_t k = 1; valid && k < length; ++k) {
            valid = (static_cast<unsigned char>(text[i + k]) & 0xC0U) == 0x80U;
        }
        if (!valid) {
            return text_problem{i, "the file is not valid UTF-8 here; save it as UTF-8"};
        }
        i += length;
    }
    return std::nullopt;
}

} // namespace pgmig::compiler
