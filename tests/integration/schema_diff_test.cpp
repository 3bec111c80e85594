// The diff, proven on a real server over a corpus of schema pairs (schema_pairs/*.sql): with
// A applied to one database and B to another, the upgrade diff(A, B) run on the first must
// make it read back as B, and the downgrade diff(B, A) as A again. Equality is checked twice,
// by the model and by the generated tests' snapshot, which reads the catalogs on its own.

#include "support.hpp"

#include <pgmig/schema_diff.hpp>
#include <pgmig/schema_model.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::HasSubstr;

namespace {

struct schema_pair {
    std::string name;
    std::string from;
    std::string to;
};

/// A corpus file: a comment, then `-- from`, A's SQL, `-- to`, B's SQL.
schema_pair read_pair(const std::filesystem::path& file) {
    std::ifstream in(file);
    schema_pair p{file.stem().string(), {}, {}};
    std::string line;
    std::string* into = nullptr;
    while (std::getline(in, line)) {
        if (line == "-- from") {
            into = &p.from;
        } else if (line == "-- to") {
            into = &p.to;
        } else if (into != nullptr) {
            *into += line + "\n";
        }
    }
    return p;
}

std::vector<std::string> corpus() {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(SCHEMA_PAIRS_DIR)) {
        if (e.path().extension() == ".sql") {
            names.push_back(e.path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

void apply_changes(connection& conn, const std::vector<schema::change>& changes) {
    conn.exec("BEGIN");
    for (const auto& c : changes) {
        try {
            conn.exec(c.sql);
        } catch (const std::exception& e) {
            conn.exec("ROLLBACK");
            throw std::runtime_error(fmt::format("{}\nin: {}", e.what(), c.sql));
        }
    }
    conn.exec("COMMIT");
}

std::string script(const std::vector<schema::change>& changes) {
    std::string out;
    for (const auto& c : changes) {
        out += c.sql + ";" + (c.review.empty() ? "" : "  -- review: " + c.review) + "\n";
    }
    return out;
}

/// The lines one side has that the other lacks, for failure messages.
std::string difference(const std::vector<std::string>& got, const std::vector<std::string>& want) {
    snapshot_diff d = compare(schema_snapshot{got}, schema_snapshot{want});
    return d.text();
}

class SchemaDiff : public ::testing::TestWithParam<std::string> {};

TEST_P(SchemaDiff, UpgradeReachesTheTargetAndDowngradeComesBack) {
    schema_pair p = read_pair(std::filesystem::path(SCHEMA_PAIRS_DIR) / (GetParam() + ".sql"));
    scoped_database a;
    scoped_database b;
    connection ca = a.connect();
    connection cb = b.connect();
    if (!p.from.empty()) {
        ca.exec(p.from);
    }
    if (!p.to.empty()) {
        cb.exec(p.to);
    }
    schema::model from = schema::read_model(ca);
    schema::model to = schema::read_model(cb);
    std::vector<std::string> from_snapshot = take_snapshot(ca).lines;
    std::vector<std::string> to_snapshot = take_snapshot(cb).lines;
    ASSERT_NE(from, to) << "the pair does not differ";
    auto nothing = schema::diff(from, from);
    EXPECT_TRUE(nothing.empty()) << script(nothing);

    auto up = schema::diff(from, to);
    ASSERT_NO_THROW(apply_changes(ca, up)) << script(up);
    auto reached = schema::render_lines(schema::read_model(ca));
    EXPECT_EQ(reached, schema::render_lines(to))
        << difference(reached, schema::render_lines(to)) << "upgrade:\n"
        << script(up);
    auto snapshot = take_snapshot(ca).lines;
    EXPECT_EQ(snapshot, to_snapshot) << difference(snapshot, to_snapshot) << script(up);

    auto down = schema::diff(to, from);
    ASSERT_NO_THROW(apply_changes(ca, down)) << script(down);
    auto back = schema::render_lines(schema::read_model(ca));
    EXPECT_EQ(back, schema::render_lines(from))
        << difference(back, schema::render_lines(from)) << "downgrade:\n"
        << script(down);
    snapshot = take_snapshot(ca).lines;
    EXPECT_EQ(snapshot, from_snapshot) << difference(snapshot, from_snapshot) << script(down);
}

INSTANTIATE_TEST_SUITE_P(Corpus, SchemaDiff, ::testing::ValuesIn(corpus()),
                         [](const auto& info) { return info.param; });

schema::model model_of(const std::string& sql) {
    scoped_database db;
    connection conn = db.connect();
    conn.exec(sql);
    return schema::read_model(conn);
}

TEST(SchemaDiffReview, WhatLosesDataOrMayFailIsMarkedForReview) {
    auto from = model_of("CREATE TABLE t (id int, old_name text, n int, v varchar(5))");
    auto to = model_of("CREATE TABLE t (id int NOT NULL, new_name text, n bigint, v varchar(5), "
                       "must text NOT NULL)");
    auto changes = schema::diff(from, to);
    auto review_of = [&](const std::string& sql_part) {
        for (const auto& c : changes) {
            if (c.sql.find(sql_part) != std::string::npos) {
                return c.review;
            }
        }
        return std::string("no such statement: ") + sql_part + "\n" + script(changes);
    };
    EXPECT_THAT(review_of("DROP COLUMN old_name"), HasSubstr("probably renamed to new_name"));
    EXPECT_THAT(review_of("DROP COLUMN old_name"), HasSubstr("RENAME COLUMN old_name TO new_name"));
    EXPECT_THAT(review_of("TYPE bigint"), HasSubstr("check the USING conversion"));
    EXPECT_THAT(review_of("id SET NOT NULL"), HasSubstr("fails if public.t.id holds NULLs"));
    EXPECT_THAT(review_of("ADD COLUMN must"), HasSubstr("NOT NULL without a default"));
    EXPECT_EQ(review_of("ADD COLUMN new_name"), "");
    auto dropped = schema::diff(to, model_of(""));
    ASSERT_FALSE(dropped.empty());
    EXPECT_THAT(dropped.front().review, HasSubstr("drops table public.t and its rows"));
}

} // namespace
