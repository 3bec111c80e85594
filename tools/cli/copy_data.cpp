#include "copy_data.hpp"

#include "backup.hpp"

#include <pgmig/commands.hpp>
#include <pgmig/connection.hpp>
#include <pgmig/detail/numbers.hpp>
#include <pgmig/detail/text_array.hpp>
#include <pgmig/schema_scope.hpp>
#include <pgmig/version_store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace pgmig::cli {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

struct table {
    std::string oid;
    std::string name;    ///< quoted and qualified
    std::string columns; ///< quoted, generated columns left out (the target computes them)
    std::set<std::string> parents; ///< oids of the tables its foreign keys reference
    bool binary = true; ///< every column's type has binary I/O (aclitem has none), else text
};

/// The tables in scope, with what their foreign keys reference.
std::vector<table> tables_of(connection& conn, const snapshot_scope& scope) {
    static const std::string sql = scoped_relations_sql(
        "c.oid::bigint, format('%I.%I', n.nspname, c.relname),\n"
        "    (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute "
        "a\n"
        "     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped\n"
        "         AND a.attgenerated = ''),\n"
        "    ARRAY(SELECT DISTINCT k.confrelid::bigint::text FROM pg_constraint k\n"
        "          WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid <> c.oid),\n"
        // A type, the base of a domain, or the element of an array without send or receive.
        "    NOT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid\n"
        "        LEFT JOIN pg_type b ON b.oid = t.typbasetype\n"
        "        LEFT JOIN pg_type e ON e.oid = coalesce(nullif(b.typelem, 0), t.typelem)\n"
        "        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped\n"
        "            AND a.attgenerated = '' AND 0 IN (t.typsend::oid, t.typreceive::oid,\n"
        "                b.typsend::oid, b.typreceive::oid, e.typsend::oid, e.typreceive::oid))",
        "'r'");
    result r = conn.exec(sql + "\nORDER BY 2", scoped_relations_params(scope));
    std::vector<table> out;
    for (int i = 0; i < r.rows(); ++i) {
        table t{std::string(r.text(i, 0)),
                std::string(r.text(i, 1)),
                std::string(r.text(i, 2)),
                {},
                r.text(i, 4) == "t"};
        for (auto& p : detail::parse_text_array(r.text(i, 3))) {
            t.parents.insert(std::move(p));
        }
        out.push_back(std::move(t));
    }
    return out;
}

/// The tables with every one after the tables its foreign keys reference.
std::vector<const table*> parents_first(const std::vector<table>& tables) {
    std::set<std::string> known;
    for (const auto& t : tables) {
        known.insert(t.oid);
    }
    std::set<std::string> placed;
    std::vector<const table*> order;
    while (order.size() < tables.size()) {
        const std::size_t before = order.size();
        for (const auto& t : tables) {
            if (placed.count(t.oid) != 0) {
                continue;
            }
            bool ready = std::all_of(t.parents.begin(), t.parents.end(), [&](const auto& p) {
                return placed.count(p) != 0 || known.count(p) == 0;
            });
            if (ready) {
                order.push_back(&t);
            }
        }
        if (order.size() == before) {
            std::string cycle;
            for (const auto& t : tables) {
                if (placed.count(t.oid) == 0) {
                    cycle += (cycle.empty() ? "" : ", ") + t.name;
                }
            }
            throw error(fmt::format("copy-data: the foreign keys of {} form a cycle, so no table "
                                    "of them can be copied first; make one of the keys "
                                    "DEFERRABLE or copy them by hand",
                                    cycle));
        }
        for (std::size_t i = before; i < order.size(); ++i) {
            placed.insert(order[i]->oid);
        }
    }
    return order;
}

std::uint64_t count_rows(connection& conn, const std::string& name) {
    return detail::parse_number<std::uint64_t>(
        conn.exec(fmt::format("SELECT count(*) FROM {}", name)).text(0, 0), "a row count");
}

/// Brings an empty target to the source's revision; refuses when both have revisions that
/// differ.
void same_revision(const revision_set& set, connection& source, connection& target,
                   const copy_options& options) {
    version_store store(set.settings());
    db_state from = store.load(source);
    if (!from.initialized || from.rows.empty()) {
        throw state_error(fmt::format("copy-data: the source ({}) has no revision of {}; "
                                      "nothing to copy",
                                      source.describe(), set.name()));
    }
    db_state to = store.load(target);
    if (!to.initialized || to.rows.empty()) {
        command_options o;
        o.url = options.target;
        o.search_path = tenant_search_path(options.schema);
        for (const auto& row : from.rows) {
            (void)upgrade(set, row, o);
        }
        return;
    }
    if (to.rows != from.rows) {
        throw state_error(fmt::format(
            "copy-data: the source ({}) is at {} and the target ({}) at {}; bring both to the "
            "same revision of {} first",
            source.describe(), rows_text(from.rows), target.describe(), rows_text(to.rows),
            set.name()));
    }
}

std::string rate(double amount, double seconds) {
    return seconds > 0 ? fmt::format("{:.0f}", amount / seconds) : "-";
}

} // namespace

copy_summary copy_data(const revision_set& set, const copy_options& options,
                       const std::function<void(const std::string&)>& report) {
    const auto start = clock_type::now();
    connection source = connection::open(options.source, set.name() + "-copy");
    connection target = connection::open(options.target, set.name() + "-copy");
    same_revision(set, source, target, options);
    // Every user schema but pgmig's state tables, or one tenant's schema.
    const snapshot_scope scope = scope_of(set.settings(), options.schema);
    const std::vector<table> tables = tables_of(source, scope);
    const std::vector<const table*> order = parents_first(tables);

    copy_summary summary;
    std::mutex lock;
    std::exception_ptr failure;
    auto copy_one = [&](connection& from, connection& to, const table& t) {
        const auto began = clock_type::now();
        if (const auto have = count_rows(to, t.name); have != 0) {
            const auto want = count_rows(from, t.name);
            if (have != want) {
                throw state_error(fmt::format(
                    "copy-data: {} holds {} rows in the target and {} in the source; empty it "
                    "in the target and run copy-data again",
                    t.name, have, want));
            }
            std::lock_guard guard(lock);
            ++summary.skipped;
            report(fmt::format("{}: already complete ({} rows), skipped", t.name, have));
            return;
        }
        // One transaction: a failure leaves the table empty, and a rerun copies it again.
        (void)to.exec("BEGIN");
        const char* format = t.binary ? "binary" : "text";
        std::uint64_t rows = 0;
        std::uint64_t bytes = 0;
        try {
            rows = from.copy_into(
                to, fmt::format("COPY {} ({}) TO STDOUT (FORMAT {})", t.name, t.columns, format),
                fmt::format("COPY {} ({}) FROM STDIN (FORMAT {})", t.name, t.columns, format),
                [&](std::uint64_t moved) { bytes = moved; });
            (void)to.exec("COMMIT");
        } catch (...) {
            try {
                (void)to.exec("ROLLBACK");
            } catch (const error&) {
            }
            throw;
        }
        const double seconds = seconds_since(began);
        std::lock_guard guard(lock);
        ++summary.tables;
        summary.rows += rows;
        summary.bytes += bytes;
        report(fmt::format("{}: {} rows, {} in {:.2f} s ({} rows/s, {}/s){}", t.name, rows,
                           human_size(bytes), seconds, rate(static_cast<double>(rows), seconds),
                           human_size(static_cast<std::uintmax_t>(
                               seconds > 0 ? static_cast<double>(bytes) / seconds : 0)),
                           t.binary ? "" : " in text format: a column's type has no binary I/O"));
    };

    // Each table as soon as its parents are copied: one big table does not hold back the
    // families of small tables beside it.
    std::set<std::string> copying; // oids of the tables copied here
    for (const auto* t : order) {
        copying.insert(t->oid);
    }
    std::set<std::string> copied; // oids
    std::vector<bool> taken(order.size(), false);
    bool stop = false;
    std::mutex schedule; // guards copied, taken and stop
    std::condition_variable changed;
    auto ready = [&](const table& t) {
        return std::all_of(t.parents.begin(), t.parents.end(), [&](const auto& p) {
            return copied.count(p) != 0 || copying.count(p) == 0;
        });
    };
    // The next table to copy, waiting while the only ones left wait for a parent; null when
    // none is left or a copy failed.
    auto next_table = [&](std::unique_lock<std::mutex>& held) -> const table* {
        for (;;) {
            bool left = false;
            for (std::size_t i = 0; i < order.size() && !stop; ++i) {
                if (!taken[i]) {
                    left = true;
                    if (ready(*order[i])) {
                        taken[i] = true;
                        return order[i];
                    }
                }
            }
            if (!left || stop) {
                return nullptr;
            }
            changed.wait(held);
        }
    };
    auto worker = [&] {
        try {
            connection from = connection::open(options.source, set.name() + "-copy");
            connection to = connection::open(options.target, set.name() + "-copy");
            std::unique_lock held(schedule);
            while (const table* t = next_table(held)) {
                held.unlock();
                copy_one(from, to, *t);
                held.lock();
                copied.insert(t->oid);
                changed.notify_all();
            }
        } catch (...) {
            {
                std::lock_guard guard(lock);
                if (!failure) {
                    failure = std::current_exception();
                }
            }
            std::lock_guard guard(schedule);
            stop = true;
            changed.notify_all();
        }
    };
    std::vector<std::thread> threads;
    const auto n =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(options.jobs, 1)), order.size());
    for (std::size_t k = 0; k < n; ++k) {
        threads.emplace_back(worker);
    }
    for (auto& t : threads) {
        t.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }

    // Sequences (identity columns' included) continue where the source's are.
    result sequences =
        source.exec(scoped_relations_sql("format('%I.%I', n.nspname, c.relname)", "'S'"),
                    scoped_relations_params(scope));
    for (int i = 0; i < sequences.rows(); ++i) {
        const std::string name(sequences.text(i, 0));
        result at = source.exec(fmt::format("SELECT last_value, is_called FROM {}", name));
        (void)target.exec(fmt::format("SELECT setval({}, {}, {})", quote_literal(name),
                                      at.text(0, 0), at.text(0, 1) == "t" ? "true" : "false"));
    }

    // Every table holds what the source holds.
    std::vector<std::string> differ;
    for (const auto& t : tables) {
        auto have = count_rows(target, t.name);
        auto want = count_rows(source, t.name);
        if (have != want) {
            differ.push_back(
                fmt::format("{} ({} rows in the target, {} in the source)", t.name, have, want));
        }
    }
    if (!differ.empty()) {
        throw state_error(fmt::format("copy-data: row counts differ after the copy: {}; was "
                                      "either database written meanwhile?",
                                      fmt::join(differ, ", ")));
    }
    summary.seconds = seconds_since(start);
    return summary;
}

} // namespace pgmig::cli
