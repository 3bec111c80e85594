#include "revision_compiler.hpp"

#include "lock_levels.hpp"
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

/// Statements of a section; nullopt when the section does not parse. Lint errors join the
/// diagnostics; findings and facts go to `lint`.
std::optional<std::vector<statement>>
split_section(const std::string& file, const section_text& section, const lint_scope& scope,
              const syntax_target& syntax, std::vector<diagnostic>& out, lint_report& lint) {
    split_result split = split_statements(section.text, {file, section.first_line}, syntax);
    out.insert(out.end(), split.diagnostics.begin(), split.diagnostics.end());
    if (has_errors(split.diagnostics)) {
        return std::nullopt;
    }
    lint_report report = lint_statements(split.statements, scope);
    out.insert(out.end(), report.errors.begin(), report.errors.end());
    lint.findings.insert(lint.findings.end(), report.findings.begin(), report.findings.end());
    lint.facts.insert(lint.facts.end(), report.facts.begin(), report.facts.end());
    for (const auto& [rule, n] : report.settled) {
        lint.settled[rule] += n;
    }
    std::vector<statement> statements;
    statements.reserve(split.statements.size());
    for (auto& s : split.statements) {
        s.stmt.locks = describe(locks_of(s.tree, scope.postgres_major)); // for --sql --annotate
        statements.push_back(std::move(s.stmt));
    }
    return statements;
}

/// A duration that turns the timeout off ("0", "0s", "0ms").
bool turns_off(const std::string& duration) {
    return !duration.empty() && duration.find_first_of("123456789") == std::string::npos;
}

/// Whether a lock timeout is in force while the revision runs: its own, else the set's, else
/// pgmig's default for a revision in a transaction (see runner).
bool lock_timeout_in_force(const revision& rev, const std::string& set_wide) {
    if (!rev.lock_timeout.empty()) {
        return !turns_off(rev.lock_timeout);
    }
    if (!set_wide.empty()) {
        return !turns_off(set_wide);
    }
    return rev.transactional;
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

    auto check_rule_name = [&](const std::string& rule, int line, const char* directive) {
        if (!is_lint_rule(rule)) {
            out.diagnostics.push_back({severity::warning,
                                       {file, line},
                                       fmt::format("{} names unknown rule '{}'", directive, rule),
                                       "unknown-lint-rule"});
        }
    };
    for (const auto& rule : source.lint_ignore) {
        check_rule_name(rule, 0, "lint-ignore");
    }
    for (const auto& [rule, line] : source.assurance_lines) {
        check_rule_name(rule, line, "safety-assured");
    }
    lint_scope scope{.file = file,
                     .upgrade = true,
                     .transactional = out.rev.transactional,
                     .postgres_major = options.syntax.postgres_major != 0
                                           ? options.syntax.postgres_major
                                           : parser_major_version(),
                     .lock_timeout = lock_timeout_in_force(out.rev, options.set_lock_timeout),
                     .settled = source.lint_ignore,
                     .assured = source.statement_assured};
    scope.settled.insert(scope.settled.end(), source.settled_rules.begin(),
                         source.settled_rules.end());
    if (source.upgrade.present) {
        auto upgrade =
            split_section(file, source.upgrade, scope, options.syntax, out.diagnostics, out.lint);
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
            split_section(file, source.downgrade, scope, options.syntax, out.diagnostics, out.lint);
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
