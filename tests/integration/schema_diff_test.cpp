// The diff, proven on a real server over a corpus of schema pairs (schema_pairs/*.sql): with
// A applied to one database and B to another, the upgrade diff(A, B) run on the first must
// make it read back as B, and the downgrade diff(B, A) as A again. Equality is checked twice,
// by the model and by the generated tests' snapshot, which reads the catalogs on its own.

#include "support.hpp"

#include <pgmig/schema_diff.hpp>
#include <pgmig/schema_model.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
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

// Pairs made by mutation: B is a base schema with a few random changes applied (each in a
// savepoint, kept when it applies); the seed makes each case the same on every run.
constexpr const char* mutation_base = R"SQL(
CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE,
                    name text, age int DEFAULT 18, bio text);
CREATE TABLE orders (id serial PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE,
                     total numeric(10, 2) NOT NULL DEFAULT 0, state status NOT NULL DEFAULT 'new',
                     note text);
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE TABLE audit (at timestamptz DEFAULT now(), what text);
CREATE VIEW user_orders AS SELECT u.email, o.total, o.state FROM users u JOIN orders o ON o.user_id = u.id;
CREATE FUNCTION order_count(uid bigint) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM orders WHERE user_id = uid $$;
)SQL";

const std::vector<std::string> mutations = {
    "ALTER TABLE users ADD COLUMN nickname varchar(30)",
    "ALTER TABLE users DROP COLUMN bio",
    "ALTER TABLE users ALTER COLUMN age TYPE bigint",
    "ALTER TABLE users ALTER COLUMN name SET NOT NULL",
    "ALTER TABLE users ALTER COLUMN age DROP DEFAULT",
    "ALTER TABLE users RENAME COLUMN name TO full_name",
    "CREATE INDEX users_age_idx ON users (age) WHERE age > 0",
    "DROP INDEX orders_user_idx",
    "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0)",
    "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey",
    "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2)",
    "ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'none'",
    "ALTER TYPE status ADD VALUE 'archived'",
    "CREATE TABLE tags (id int PRIMARY KEY, name text UNIQUE, user_id bigint REFERENCES users)",
    "DROP VIEW user_orders",
    "CREATE OR REPLACE VIEW user_orders AS SELECT u.email, o.total, o.state, o.note FROM users u "
    "JOIN orders o ON o.user_id = u.id",
    "COMMENT ON TABLE users IS 'people'",
    "COMMENT ON COLUMN orders.total IS 'in cents'",
    "CREATE SEQUENCE order_no START 1000",
    "ALTER TABLE orders ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY own_orders ON orders USING (user_id > 0)",
    "CREATE FUNCTION log_it() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit "
    "(what) VALUES (TG_OP); RETURN NEW; END $$",
    "CREATE TRIGGER orders_log AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION log_it()",
    "DROP TABLE audit CASCADE",
    "DROP FUNCTION order_count(bigint)",
    "CREATE OR REPLACE FUNCTION order_count(uid bigint) RETURNS bigint LANGUAGE sql STABLE AS $$ "
    "SELECT count(*) + 0 FROM orders WHERE user_id = uid $$",
    "CREATE SCHEMA reports",
    "CREATE MATERIALIZED VIEW reports.totals AS SELECT state, sum(total) AS total FROM orders "
    "GROUP BY state",
    "ALTER TABLE users ADD COLUMN score int GENERATED ALWAYS AS (coalesce(age, 0) * 2) STORED",
    "CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%')",
};

class SchemaDiffMutation : public ::testing::TestWithParam<int> {};

TEST_P(SchemaDiffMutation, UpgradeReachesTheMutantAndDowngradeComesBack) {
    std::mt19937 rng(static_cast<unsigned>(GetParam()));
    scoped_database a;
    scoped_database b;
    connection ca = a.connect();
    connection cb = b.connect();
    ca.exec(mutation_base);
    cb.exec(mutation_base);
    std::vector<std::string> applied;
    for (int i = 0; i < 5; ++i) {
        const std::string& m = mutations[rng() % mutations.size()];
        cb.exec("BEGIN");
        try {
            cb.exec(m);
            cb.exec("COMMIT");
            applied.push_back(m);
        } catch (const std::exception&) {
            cb.exec("ROLLBACK"); // does not apply after the others: skipped
        }
    }
    schema::model from = schema::read_model(ca);
    schema::model to = schema::read_model(cb);
    std::string mutated = fmt::format("mutations:\n{}\n", fmt::join(applied, ";\n"));
    ASSERT_NE(from, to) << mutated;
    std::cout << fmt::format("seed {}: {} mutations\n", GetParam(), applied.size());
    auto up = schema::diff(from, to);
    ASSERT_NO_THROW(apply_changes(ca, up)) << mutated << script(up);
    auto reached = schema::render_lines(schema::read_model(ca));
    EXPECT_EQ(reached, schema::render_lines(to))
        << difference(reached, schema::render_lines(to)) << mutated << script(up);
    EXPECT_EQ(take_snapshot(ca).lines, take_snapshot(cb).lines) << mutated << script(up);
    auto down = schema::diff(to, from);
    ASSERT_NO_THROW(apply_changes(ca, down)) << mutated << script(down);
    auto back = schema::render_lines(schema::read_model(ca));
    EXPECT_EQ(back, schema::render_lines(from))
        << difference(back, schema::render_lines(from)) << mutated << script(down);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SchemaDiffMutation, ::testing::Range(1, 21));

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
