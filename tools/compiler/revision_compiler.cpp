#include "revision_compiler.hpp"

#include "sql_lint.hpp"
#include "sql_splitter.hpp"

#include <pgmig/detail/checksum.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace pgmig::compiler {
namespace {

bool has_errors(const std::vector<diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
}

/// Statements of a section; nullopt when the section does not parse.
std::optional<std::vector<statement>>
split_section(const std::string& file, const section_text& section, const lint_scope& scope,
              const syntax_target& syntax, std::vector<diagnostic>& out) {
    split_result split = split_statements(section.text, {file, section.first_line}, syntax);
    out.insert(out.end(), split.diagnostics.begin(), split.diagnostics.end());
    if (has_errors(split.diagnostics)) {
        return std::nullopt;
    }
    auto findings = lint_statements(split.statements, scope);
    out.insert(out.end(), findings.begin(), findings.end());
    std::vector<statement> statements;
    statements.reserve(split.statements.size());
    for (auto& s : split.statements) {
        statements.push_back(std::move(s.stmt));
    }
    return statements;
}

/// Applies WARNINGS_AS_ERRORS and puts diagnostics in file order.
compiled_revision finish(compiled_revision out, const compile_options& options) {
    if (options.warnings_as_errors) {
        for (auto& d : out.diagnostics) {
            if (d.level == severity::warning && d.code != "newer-syntax") {
                d.level = severity::error;
                d.message += " (warnings are errors in this set: WARNINGS_AS_ERRORS)";
            }
        }
    }
    std::stable_sort(
        out.diagnostics.begin(), out.diagnostics.end(),
        [](const diagnostic& a, const diagnostic& b) { return a.where.line < b.where.line; });
    return out;
}

} // namespace

bool compiled_revision::ok() const {
    return !has_errors(diagnostics);
}

compiled_revision compile_revision(std::string_view path, std::string_view text,
                                   const compile_options& options) {
    revision_source source = read_revision(path, text, kind_of(path));
    compiled_revision out;
    out.rev = std::move(source.meta);
    out.rev.checksum = detail::revision_checksum(text);
    out.diagnostics = std::move(source.diagnostics);
    const std::string file(path);

    for (const auto& rule : source.lint_ignore) {
        const auto& known = lint_rules();
        if (std::find(known.begin(), known.end(), rule) == known.end()) {
            out.diagnostics.push_back({severity::warning,
                                       {file, 0},
                                       fmt::format("lint-ignore names unknown rule '{}'", rule),
                                       "unknown-lint-rule"});
        }
    }
    lint_scope scope{file, true, out.rev.transactional, source.lint_ignore};
    if (source.upgrade.present) {
        auto upgrade = split_section(file, source.upgrade, scope, options.syntax, out.diagnostics);
        out.rev.upgrade = upgrade.value_or(std::vector<statement>{});
        // A new file from `revision -m` starts empty; applying it would record a revision that
        // did nothing. Merges change nothing by design.
        if (upgrade && upgrade->empty() && !out.rev.is_merge()) {
            out.diagnostics.push_back(
                {severity::warning,
                 {file, source.upgrade.directive_line},
                 fmt::format("empty upgrade: revision {} changes nothing; write its statements, "
                             "or delete the file",
                             out.rev.id.empty() ? "?" : out.rev.id),
                 "empty-upgrade"});
        }
    }
    if (source.downgrade.present) {
        scope.upgrade = false;
        auto downgrade =
            split_section(file, source.downgrade, scope, options.syntax, out.diagnostics);
        if (!downgrade) {
            return finish(std::move(out), options);
        }
        out.rev.downgrade = std::move(*downgrade);
        const source_location at{file, source.downgrade.directive_line};
        if (out.rev.irreversible && !out.rev.downgrade.empty()) {
            out.diagnostics.push_back({severity::error, at,
                                       "an irreversible downgrade must not contain statements",
                                       "irreversible-with-statements"});
        }
        // A revision that changes nothing (a merge, say) has nothing to undo.
        if (!out.rev.irreversible && out.rev.downgrade.empty() && !out.rev.upgrade.empty()) {
            out.diagnostics.push_back(
                {severity::error, at,
                 fmt::format("empty downgrade: revision {} changes the database but its downgrade "
                             "has no statements; write statements that undo the upgrade",
                             out.rev.id.empty() ? "?" : out.rev.id),
                 "empty-downgrade"});
        }
    }
    return finish(std::move(out), options);
}

} // namespace pgmig::compiler
