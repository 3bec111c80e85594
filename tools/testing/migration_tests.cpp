#include "migration_tests.hpp"

#include "line_difference.hpp"
#include "lock_trace.hpp"
#include "snapshot_tracker.hpp"
#include "sql_splitter.hpp"

#include <pgmig/connection.hpp>
#include <pgmig/runner.hpp>
#include <pgmig/schema_snapshot.hpp>
#include <pgmig/scratch_database.hpp>
#include <pgmig/version_store.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace pgmig::testing {
namespace {

using clock_type = std::chrono::steady_clock;

std::ostream& out(const test_options& o) {
    return *o.out;
}

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// Applies plans on one connection with pgmig's own runner, keeping track of the version rows.
class walker {
public:
    walker(const revision_set& set, const std::string& url)
        : m_set(set), m_conn(connection::open(url, set.name() + "-test")), m_store(set.settings()) {
        std::vector<sql_command> commands{{"BEGIN", {}}};
        for (auto& c : m_store.create_tables()) {
            commands.push_back(std::move(c));
        }
        commands.push_back({"COMMIT", {}});
        if (auto failure = m_conn.pipeline(commands)) {
            throw failure->error;
        }
    }

    /// Runs the plan; with `trace`, records what it locks (see lock_trace).
    void go(const plan& p, bool trace = false) {
        std::vector<const revision*> applied;
        for (const auto& id : graph().applied(m_rows)) {
            applied.push_back(graph().find(id));
        }
        runner r(m_conn, m_store,
                 {.default_lock_timeout = m_set.settings().lock_timeout,
                  .default_statement_timeout = m_set.settings().statement_timeout,
                  .digest = applied_digest(applied),
                  .before_commit = trace ? lock_trace::probe_sql() : std::string()});
        r.run(p, {});
        m_rows = p.rows_after;
    }

    [[nodiscard]] const revision_graph& graph() const { return m_set.graph(); }
    [[nodiscard]] const std::vector<std::string>& rows() const { return m_rows; }
    [[nodiscard]] connection& conn() { return m_conn; }

private:
    const revision_set& m_set;
    connection m_conn;
    version_store m_store;
    std::vector<std::string> m_rows;
};

/// Findings about one difference, one per object: "index public.i left behind by ...".
std::string describe(const snapshot_diff& diff, const std::string& left_behind,
                     const std::string& lost, const std::string& changed) {
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> by_object;
    for (const auto& l : diff.removed) {
        by_object[object_of(l)].first.push_back(l);
    }
    for (const auto& l : diff.added) {
        by_object[object_of(l)].second.push_back(l);
    }
    std::string text;
    for (const auto& [object, lines] : by_object) {
        const auto& [before, after] = lines;
        if (before.empty()) {
            text += fmt::format("{} {}\n", object, left_behind);
        } else if (after.empty()) {
            text += fmt::format("{} {}\n", object, lost);
        } else {
            text += fmt::format("{} {}\n", object, changed);
        }
        if (before.size() == 1 && after.size() == 1) {
            text += describe_change(before.front(), after.front());
            continue;
        }
        for (const auto& l : before) {
            text += "    - " + l + "\n";
        }
        for (const auto& l : after) {
            text += "    + " + l + "\n";
        }
    }
    return text;
}

std::string step_error(const std::exception& e) {
    std::string what = e.what();
    return what.substr(0, what.find("\ncompleted")); // keep the first, locating line(s)
}

/// The data checks of one revision: files named by a prefix of its id.
class data_checks {
public:
    data_checks(const std::string& dir, const revision_graph& graph) {
        if (dir.empty() || !fs::is_directory(dir)) {
            return;
        }
        for (const auto& entry : fs::directory_iterator(dir)) {
            std::string name = entry.path().filename().string();
            for (const char* suffix : {".before.sql", ".after_up.sql", ".after_down.sql"}) {
                if (name.size() > std::string_view(suffix).size() && name.ends_with(suffix)) {
                    std::string prefix =
                        name.substr(0, name.size() - std::string_view(suffix).size());
                    const revision& r = graph.resolve(prefix);
                    m_files[{r.id, suffix}] = entry.path().string();
                }
            }
        }
    }

    /// Runs the file for this revision and moment, if there is one. Seeds just run; checks
    /// must each return one row whose first value is true.
    void run(connection& conn, const revision& rev, const char* suffix, bool assertions,
             const std::string& moment) const {
        auto it = m_files.find({rev.id, suffix});
        if (it == m_files.end()) {
            return;
        }
        std::ifstream in(it->second);
        std::stringstream text;
        text << in.rdbuf();
        auto split = compiler::split_statements(text.str(), {it->second, 1});
        if (!split.diagnostics.empty()) {
            throw test_failure(split.diagnostics.front().format());
        }
        for (const auto& s : split.statements) {
            result r;
            try {
                r = conn.exec(s.stmt.sql);
            } catch (const database_error& e) {
                throw test_failure(fmt::format("{}:{}: data check failed {} of {}: {}", it->second,
                                               s.stmt.line, moment, rev.id, e.what()));
            }
            if (!assertions) {
                continue;
            }
            bool ok = r.rows() == 1 && r.columns() >= 1 && r.text(0, 0) == "t";
            if (!ok) {
                throw test_failure(fmt::format(
                    "{}:{}: data check failed {} of {}: `{}` returned {} instead of true",
                    it->second, s.stmt.line, moment, rev.id, s.stmt.sql,
                    r.rows() == 0 ? std::string("no row") : fmt::format("'{}'", r.text(0, 0))));
            }
        }
    }

private:
    std::map<std::pair<std::string, std::string>, std::string> m_files;
};

std::vector<const revision*> floors_of(const revision_graph& g) {
    std::vector<const revision*> out;
    for (const auto* r : g.topological()) {
        if (r->irreversible) {
            out.push_back(r);
        }
    }
    return out;
}

} // namespace

namespace {

/// Where proof starts: STAIRWAY_FROM's revision and those marked `tested-from-here`, each with
/// how it was given, for the notes that name them.
std::vector<std::pair<std::string, std::string>> proof_floors(const revision_graph& g,
                                                              const test_options& options) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!options.proven_from.empty()) {
        out.emplace_back(g.resolve(options.proven_from).id,
                         options.proven_from + " (STAIRWAY_FROM)");
    }
    for (const auto* r : g.topological()) {
        if (r->tested_from_here) {
            out.emplace_back(r->id, r->id + " (tested-from-here)");
        }
    }
    return out;
}

/// The revisions the floors need, which are applied but not proven. Empty without floors.
std::set<std::string> below_proof(const revision_graph& g,
                                  const std::vector<std::pair<std::string, std::string>>& floors) {
    std::set<std::string> out;
    for (const auto& [floor, how] : floors) {
        for (const auto& id : g.applied({floor})) {
            if (id != floor) {
                out.insert(id);
            }
        }
    }
    return out;
}

std::string describe_floors(const std::vector<std::pair<std::string, std::string>>& floors) {
    std::vector<std::string> parts;
    for (const auto& [floor, how] : floors) {
        parts.push_back(how);
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

} // namespace

std::vector<expectation> parse_expectations(std::string_view text, std::string_view origin) {
    std::vector<expectation> out;
    std::vector<diagnostic> problems;
    int n = 0;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        ++n;
        if (auto hash = line.find('#'); hash != std::string::npos) {
            line.erase(hash);
        }
        std::istringstream words(line);
        std::string name;
        if (!(words >> name)) {
            continue;
        }
        expectation e;
        e.origin = fmt::format("{}:{}", origin, n);
        // `table app.users` and `column users.email` say which kind a dotted name is.
        std::string kind;
        if (name == "table" || name == "column") {
            kind = name;
            if (!(words >> name)) {
                problems.push_back({severity::error,
                                    {std::string(origin), n},
                                    fmt::format("'{}' needs a name after it", kind),
                                    "expectation"});
                continue;
            }
        }
        std::vector<std::string> parts;
        std::string piece;
        std::istringstream dotted(name);
        while (std::getline(dotted, piece, '.')) {
            parts.push_back(piece);
        }
        if (parts.empty() || parts.size() > 3 ||
            std::any_of(parts.begin(), parts.end(),
                        [](const std::string& p) { return p.empty(); })) {
            problems.push_back(
                {severity::error,
                 {std::string(origin), n},
                 fmt::format("'{}' is not table, table.column or schema.table.column", name),
                 "expectation"});
            continue;
        }
        // schema.table.column, table.column or table: a two-part name is table.column, unless
        // introduced by `table`.
        if (kind == "table") {
            if (parts.size() > 2) {
                problems.push_back({severity::error,
                                    {std::string(origin), n},
                                    fmt::format("'{}' is not table or schema.table", name),
                                    "expectation"});
                continue;
            }
            e.schema = parts.size() == 2 ? parts[0] : "";
            e.table = parts.back();
        } else if (parts.size() == 3) {
            e.schema = parts[0];
            e.table = parts[1];
            e.column = parts[2];
        } else {
            e.table = parts[0];
            e.column = parts.size() == 2 ? parts[1] : "";
        }
        std::string rest;
        std::getline(words, rest);
        auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(" \t"));
            s.erase(s.find_last_not_of(" \t") + 1);
            return s;
        };
        rest = trim(rest);
        std::string lower = rest;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower.ends_with("not null")) {
            e.nullable = false;
            rest = trim(rest.substr(0, rest.size() - 8));
        } else if (lower == "null" || lower.ends_with(" null")) {
            e.nullable = true;
            rest = trim(rest.substr(0, rest.size() - 4));
        }
        e.type = rest;
        if (e.column.empty() && (!e.type.empty() || e.nullable)) {
            problems.push_back({severity::error,
                                {std::string(origin), n},
                                "a type or nullability needs a column: write table.column type",
                                "expectation"});
            continue;
        }
        out.push_back(std::move(e));
    }
    if (!problems.empty()) {
        throw source_error(std::move(problems));
    }
    return out;
}

void test_graph(const revision_set& set, const test_options& options) {
    const revision_graph& g = set.graph();
    auto problems = validate_revisions(set.revisions(), set.settings().options);
    for (const revision& r : set.revisions()) {
        if (!r.is_cpp() && !r.irreversible && r.downgrade.empty() && !r.upgrade.empty()) {
            problems.push_back({severity::error, r.where,
                                fmt::format("revision {} has no downgrade", r.id),
                                "missing-downgrade"});
        }
    }
    if (!problems.empty()) {
        throw source_error(std::move(problems));
    }
    auto heads = g.heads();
    out(options) << fmt::format("{} revisions, {} head{}", set.revisions().size(), heads.size(),
                                heads.size() == 1 ? "" : "s");
    for (const auto* h : heads) {
        out(options) << ' ' << h->id;
    }
    out(options) << '\n';
    for (const auto* f : floors_of(g)) {
        out(options) << fmt::format(
            "floor: {} is irreversible ({}); the tests do not go below it\n", f->id,
            *f->irreversible);
    }
}

namespace {

/// The stairway's database: a scratch database, the walker that migrates it, and the tracker
/// of its schema. Re-created after a finding, so the next revision starts from a clean state.
struct stairway_database {
    stairway_database(const revision_set& set, const test_options& options, int generation)
        : db(options.server,
             set.name() + "_stairway" + (generation > 0 ? fmt::format("_{}", generation) : ""),
             options.out, options.keep_database),
          w(set, db.url()), snapshots(connection::open(db.url(), set.name() + "-snapshots")),
          tracker(snapshots, scope_of(set.settings())) {
        triggers = tracker.install_triggers();
        tracker.load();
    }

    scratch_database db;
    walker w;
    connection snapshots;
    snapshot_tracker tracker;
    bool triggers = false;
};

/// Every finding of a test, numbered; the test fails at its end with all of them, or as soon
/// as there are `limit` (0: no limit).
class findings {
public:
    findings(const test_options& options, std::string test)
        : m_options(options), m_test(std::move(test)) {}

    /// Records one; true when the test should stop here.
    bool add(const std::string& text) {
        m_texts.push_back(text);
        out(m_options) << fmt::format("finding {}: {}\n", m_texts.size(), text);
        return m_options.max_findings > 0 && m_texts.size() >= m_options.max_findings;
    }

    /// Throws test_failure with every finding, and `also` (revisions not tried, say).
    void fail_if_any(const std::string& also = {}) const {
        if (m_texts.empty()) {
            return;
        }
        if (m_texts.size() == 1 && also.empty()) {
            throw test_failure(m_texts.front());
        }
        std::string text = fmt::format(
            "{} finding{} in the {}{}:", m_texts.size(), m_texts.size() == 1 ? "" : "s", m_test,
            m_options.max_findings > 0 && m_texts.size() >= m_options.max_findings
                ? " (stopped at --max-findings)"
                : "");
        for (std::size_t i = 0; i < m_texts.size(); ++i) {
            text += fmt::format("\n[{}] {}", i + 1, m_texts[i]);
        }
        throw test_failure(text + also);
    }

private:
    const test_options& m_options;
    std::string m_test;
    std::vector<std::string> m_texts;
};

} // namespace

void test_roundtrip(const revision_set& set, const test_options& options) {
    scratch_database db(options.server, set.name() + "_roundtrip", options.out,
                        options.keep_database);
    walker w(set, db.url());
    const revision_graph& g = w.graph();
    snapshot_scope scope = scope_of(set.settings());
    // With irreversible revisions, "base" is as low as they let a downgrade go.
    std::vector<std::string> floor_rows;
    for (const auto* f : floors_of(g)) {
        floor_rows.push_back(f->id);
    }
    const auto floors = proof_floors(g, options);
    std::set<std::string> unproven = below_proof(g, floors);
    floor_rows.insert(floor_rows.end(), unproven.begin(), unproven.end());
    if (!floor_rows.empty()) {
        floor_rows = g.rows_for(g.applied(floor_rows));
        w.go(g.plan_to(w.rows(), floor_rows));
        out(options) << fmt::format(
            "floor: the round trip goes down to {} ({})\n", fmt::join(floor_rows, ", "),
            unproven.empty() ? "irreversible revisions"
                             : "proof starts at " + describe_floors(floors));
    }
    const std::string bottom =
        floor_rows.empty() ? std::string("base") : fmt::format("{}", fmt::join(floor_rows, ", "));
    auto step = [&](const plan& p, const std::string& what) {
        try {
            w.go(p);
        } catch (const error& e) {
            throw test_failure(fmt::format("{} failed: {}", what, step_error(e)));
        }
    };
    auto start = clock_type::now();
    schema_snapshot empty = take_snapshot(w.conn(), scope);
    step(g.plan_upgrade(w.rows(), "heads"), "upgrade to heads");
    schema_snapshot first = take_snapshot(w.conn(), scope);
    out(options) << fmt::format("upgrade to heads: {} objects\n", first.lines.size());
    step(g.plan_to(w.rows(), floor_rows), "downgrade to " + bottom);
    schema_snapshot down = take_snapshot(w.conn(), scope);
    // A schema left different goes on to the second upgrade, so that one run reports both.
    findings found(options, "round trip");
    if (auto diff = compare(empty, down); !diff.empty()) {
        if (found.add(fmt::format(
                "after downgrade to {}, the schema is not what it was before the upgrade:\n{}",
                bottom,
                describe(diff, "left behind by downgrade to " + bottom,
                         "missing after downgrade to " + bottom +
                             " (it existed before the upgrade)",
                         "changed after upgrade and downgrade to " + bottom)))) {
            found.fail_if_any();
        }
    }
    try {
        step(g.plan_upgrade(w.rows(), "heads"), "the second upgrade to heads");
    } catch (const test_failure& f) {
        (void)found.add(f.what());
        found.fail_if_any();
    }
    schema_snapshot second = take_snapshot(w.conn(), scope);
    if (auto diff = compare(first, second); !diff.empty()) {
        (void)found.add(fmt::format(
            "the second upgrade to heads gives a different schema from the first:\n{}",
            describe(diff, "appears only after the second upgrade",
                     "appears only after the first upgrade", "differs between the two upgrades")));
    }
    found.fail_if_any();
    out(options) << fmt::format("round trip passed in {:.2f} s\n", seconds_since(start));
}

void test_stairway(const revision_set& set, const test_options& options) {
    const revision_graph& g = set.graph();
    data_checks checks(options.data_dir, g);
    int generation = 0;
    auto state = std::make_unique<stairway_database>(set, options, generation);
    if (!state->triggers) {
        out(options)
            << "note: cannot install event triggers (not a superuser); every step reads the "
               "whole schema, which is slower\n";
    }
    auto start = clock_type::now();
    // Where the time goes: migrating, and reading what the migrations changed.
    double migrating = 0;
    double reading = 0;
    auto go = [&](const plan& p, bool trace = false) {
        auto t = clock_type::now();
        state->w.go(p, trace);
        migrating += seconds_since(t);
    };
    // What each revision's first upgrade locked among the tables that existed before it.
    lock_trace locks(set.settings());
    std::string lock_report = fmt::format(
        "# pgmig lock trace of set {}: each revision's upgrade, the tables that existed before "
        "it, the strongest lock it held on each, and whether it rewrote the table\n",
        set.name());
    auto refresh = [&] {
        auto t = clock_type::now();
        state->tracker.refresh();
        reading += seconds_since(t);
    };
    auto order = g.topological();
    std::size_t walked = 0;
    findings found(options, "stairway");
    // Revisions that cannot be applied (their own upgrade or one they need failed).
    std::set<std::string> blocked;
    std::set<std::string> failed_upgrades;
    // After a finding, a fresh database walked up to `index` (inclusive, or exclusive when that
    // revision's upgrade failed), running the seeds as the stairway did.
    auto recreate = [&](std::size_t index, bool include_last) {
        state.reset(); // drops the old database first (unless it is kept)
        state = std::make_unique<stairway_database>(set, options, ++generation);
        for (std::size_t k = 0; k < index + (include_last ? 1 : 0); ++k) {
            const revision* r = order[k];
            if (blocked.count(r->id) != 0) {
                continue;
            }
            checks.run(state->w.conn(), *r, ".before.sql", false, "before the upgrade");
            go(g.plan_upgrade(state->w.rows(), r->id));
        }
        refresh();
    };
    const auto floors = proof_floors(g, options);
    const std::set<std::string> unproven = below_proof(g, floors);
    if (!unproven.empty()) {
        out(options) << fmt::format(
            "floor: proof starts at {}; {} older revision{} applied, not taken down\n",
            describe_floors(floors), unproven.size(), unproven.size() == 1 ? "" : "s");
    }
    for (std::size_t index = 0; index < order.size(); ++index) {
        const revision* rev = order[index];
        const std::string id = rev->id;
        if (blocked.count(id) != 0) {
            continue;
        }
        if (unproven.count(id) != 0) {
            try {
                checks.run(state->w.conn(), *rev, ".before.sql", false, "before the upgrade");
                go(g.plan_upgrade(state->w.rows(), id));
            } catch (const error& e) {
                throw test_failure(fmt::format(
                    "upgrade of {} (below where proof starts) failed: {}", id, step_error(e)));
            }
            refresh();
            continue;
        }
        bool applied = false;
        try {
            walker& w = state->w;
            snapshot_tracker& tracker = state->tracker;
            checks.run(w.conn(), *rev, ".before.sql", false, "before the upgrade");
            plan up = g.plan_upgrade(w.rows(), id);
            int before = tracker.checkpoint();
            locks.before(w.conn());
            try {
                go(up, true);
            } catch (const error& e) {
                throw test_failure(fmt::format("upgrade of {} failed: {}", id, step_error(e)));
            }
            applied = true;
            auto taken = locks.after(w.conn());
            for (const auto& l : taken) {
                lock_report +=
                    fmt::format("{} {} {}{}\n", id, l.table, l.mode.empty() ? "-" : l.mode,
                                l.rewritten ? " rewritten" : "");
            }
            refresh();
            ++walked;
            if (auto problem = judge_locks(*rev, taken, options.locks); !problem.empty()) {
                if (found.add(problem)) {
                    break;
                }
            }
            if (rev->irreversible) {
                out(options) << fmt::format("floor: {} is irreversible ({}); not downgraded\n", id,
                                            *rev->irreversible);
                tracker.release(before);
                continue;
            }
            checks.run(w.conn(), *rev, ".after_up.sql", true, "after the upgrade");
            int after_up = tracker.checkpoint();
            try {
                go(g.plan_downgrade(w.rows(), id + "-1"));
            } catch (const error& e) {
                throw test_failure(fmt::format("downgrade of {} failed: {}", id, step_error(e)));
            }
            refresh();
            if (auto diff = tracker.changes_since(before); !diff.empty()) {
                throw test_failure(
                    fmt::format("downgrade of {} does not restore the schema:\n{}", id,
                                describe(diff, "left behind by downgrade of " + id,
                                         "missing after downgrade of " + id +
                                             " (it existed before the upgrade)",
                                         "changed by upgrade and downgrade of " + id)));
            }
            checks.run(w.conn(), *rev, ".after_down.sql", true, "after the downgrade");
            try {
                go(up);
            } catch (const error& e) {
                throw test_failure(
                    fmt::format("upgrade of {} cannot be applied again after its downgrade: {}", id,
                                step_error(e)));
            }
            refresh();
            if (auto diff = tracker.changes_since(after_up); !diff.empty()) {
                throw test_failure(fmt::format(
                    "upgrade of {} gives a different schema the second time:\n{}", id,
                    describe(diff, "appears only the second time", "appears only the first time",
                             "differs between the two upgrades")));
            }
            tracker.release(before);
            tracker.release(after_up);
        } catch (const test_failure& f) {
            if (found.add(f.what())) {
                break;
            }
            if (!applied) {
                failed_upgrades.insert(id);
                for (const auto& d : g.descendants({id})) {
                    blocked.insert(d);
                }
            }
            try {
                recreate(index, applied);
            } catch (const error& e) {
                found.fail_if_any(fmt::format(
                    "\nthe stairway stopped after revision {}: a fresh database could not be "
                    "brought back to it: {}",
                    id, step_error(e)));
            }
        }
    }
    std::string not_tried;
    if (blocked.size() > failed_upgrades.size()) {
        std::vector<std::string> skipped;
        for (const auto* r : order) {
            if (blocked.count(r->id) != 0 && failed_upgrades.count(r->id) == 0) {
                skipped.push_back(r->id);
            }
        }
        not_tried = fmt::format("\nnot tried (their upgrade, or one they need, failed): {}",
                                fmt::join(skipped, ", "));
    }
    if (!options.locks_report.empty()) {
        std::ofstream(options.locks_report) << lock_report;
    }
    found.fail_if_any(not_tried);
    double seconds = seconds_since(start);
    auto per_revision = [&](double part) {
        return walked ? part * 1000 / static_cast<double>(walked) : 0.0;
    };
    out(options) << fmt::format(
        "stairway passed: {} revisions up, down and up in {:.2f} s ({:.1f} ms per revision{}: "
        "{:.1f} migrating, {:.1f} reading the schema, {:.1f} the rest)\n",
        walked, seconds, per_revision(seconds),
        state->tracker.incremental() ? "" : ", full snapshots", per_revision(migrating),
        per_revision(reading), per_revision(seconds - migrating - reading));
}

void test_expectations(const revision_set& set, const test_options& options) {
    scratch_database db(options.server, set.name() + "_expect", options.out, options.keep_database);
    walker w(set, db.url());
    try {
        w.go(w.graph().plan_upgrade(w.rows(), "heads"));
    } catch (const error& e) {
        throw test_failure(fmt::format("upgrade to heads failed: {}", step_error(e)));
    }
    static const std::map<std::string, std::string> aliases{
        {"int", "integer"},
        {"int4", "integer"},
        {"int8", "bigint"},
        {"int2", "smallint"},
        {"bool", "boolean"},
        {"varchar", "character varying"},
        {"char", "character"},
        {"float8", "double precision"},
        {"float4", "real"},
        {"timestamptz", "timestamp with time zone"},
        {"timestamp", "timestamp without time zone"},
        {"timetz", "time with time zone"},
        {"time", "time without time zone"},
        {"decimal", "numeric"},
    };
    std::vector<std::string> failures;
    for (const auto& e : options.expectations) {
        std::string what = e.column.empty() ? fmt::format("table {}", e.table)
                                            : fmt::format("column {}.{}", e.table, e.column);
        if (e.column.empty()) {
            result r = w.conn().exec(
                "SELECT 1 FROM information_schema.tables WHERE table_name = $1 "
                "AND ($2 = '' OR table_schema = $2) AND table_schema NOT IN ('pg_catalog', "
                "'information_schema')",
                {e.table, e.schema});
            if (r.rows() == 0) {
                failures.push_back(fmt::format(
                    "{}: expected {}: it does not exist after upgrade to heads", e.origin, what));
            }
            continue;
        }
        result r = w.conn().exec(
            "SELECT data_type, udt_name, is_nullable FROM information_schema.columns "
            "WHERE table_name = $1 AND column_name = $2 AND ($3 = '' OR table_schema = $3) "
            "AND table_schema NOT IN ('pg_catalog', 'information_schema')",
            {e.table, e.column, e.schema});
        if (r.rows() == 0) {
            failures.push_back(fmt::format(
                "{}: expected {}: it does not exist after upgrade to heads", e.origin, what));
            continue;
        }
        if (!e.type.empty()) {
            std::string want = e.type;
            std::transform(want.begin(), want.end(), want.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (auto a = aliases.find(want); a != aliases.end()) {
                want = a->second;
            }
            std::string data_type(r.text(0, 0));
            std::string udt(r.text(0, 1));
            if (want != data_type && want != udt) {
                failures.push_back(fmt::format("{}: expected {} to be {}, it is {}", e.origin, what,
                                               e.type, data_type));
            }
        }
        if (e.nullable) {
            bool nullable = r.text(0, 2) == "YES";
            if (nullable != *e.nullable) {
                failures.push_back(fmt::format("{}: expected {} to be {}, it is {}", e.origin, what,
                                               *e.nullable ? "nullable" : "not null",
                                               nullable ? "nullable" : "not null"));
            }
        }
    }
    if (!failures.empty()) {
        std::string text;
        for (const auto& f : failures) {
            text += f + "\n";
        }
        throw test_failure(fmt::format("{} expectation{} not met:\n{}", failures.size(),
                                       failures.size() == 1 ? "" : "s", text));
    }
    out(options) << fmt::format("{} expectation{} met\n", options.expectations.size(),
                                options.expectations.size() == 1 ? "" : "s");
}

} // namespace pgmig::testing
