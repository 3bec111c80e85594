// The schema model read from a real server: every kind of object, in PostgreSQL's own canonical
// text, so that equal schemas give equal models however they were written.

#include "support.hpp"

#include <pgmig/schema_fingerprint.hpp>
#include <pgmig/schema_model.hpp>
#include <pgmig/scratch_database.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

schema::model model_of(const std::string& sql, const snapshot_scope& scope = {}) {
    scoped_database db;
    connection conn = db.connect();
    if (!sql.empty()) {
        conn.exec(sql);
    }
    return schema::read_model(conn, scope);
}

TEST(SchemaModel, ReadsEveryKindOfObject) {
    schema::model m = model_of(R"SQL(
        CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN app.positive AS int NOT NULL CHECK (VALUE > 0);
        CREATE TYPE app.pair AS (a int, b text);
        CREATE SEQUENCE app.counter START 7;
        CREATE TABLE app.users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email text NOT NULL UNIQUE,
            mood app.mood DEFAULT 'ok',
            name text COLLATE "C",
            up text GENERATED ALWAYS AS (upper(email)) STORED);
        CREATE TABLE app.posts (id serial, user_id bigint REFERENCES app.users ON DELETE CASCADE,
                                at date) PARTITION BY RANGE (at);
        CREATE TABLE app.posts_2026 PARTITION OF app.posts FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        CREATE INDEX posts_at ON app.posts (at);
        CREATE VIEW app.emails AS SELECT email FROM app.users;
        CREATE FUNCTION app.t() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER users_t BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.t();
        ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
        CREATE POLICY mine ON app.users FOR SELECT TO public USING (email = current_user);
        COMMENT ON COLUMN app.users.email IS 'where to write';
        GRANT SELECT ON app.emails TO PUBLIC;
        REVOKE EXECUTE ON FUNCTION app.t() FROM PUBLIC;
    )SQL");
    EXPECT_THAT(m.schemas, ElementsAre("app", "public"));
    const schema::type* mood = m.find_type("app.mood");
    ASSERT_NE(mood, nullptr);
    EXPECT_THAT(mood->labels, ElementsAre("sad", "ok", "happy"));
    const schema::type* positive = m.find_type("app.positive");
    ASSERT_NE(positive, nullptr);
    EXPECT_EQ(positive->base, "integer");
    EXPECT_TRUE(positive->not_null);
    ASSERT_EQ(positive->constraints.size(), 1U);
    EXPECT_EQ(positive->constraints[0].definition, "CHECK ((VALUE > 0))");
    ASSERT_NE(m.find_type("app.pair"), nullptr);
    EXPECT_EQ(m.find_type("app.pair")->attributes.size(), 2U);

    const schema::table* users = m.find_table("app.users");
    ASSERT_NE(users, nullptr);
    ASSERT_EQ(users->columns.size(), 5U);
    EXPECT_EQ(users->columns[0].name, "email"); // by name, not position
    EXPECT_EQ(users->columns[1].name, "id");
    EXPECT_EQ(users->columns[1].identity, "always");
    EXPECT_EQ(users->columns[2].type, "app.mood"); // qualified whatever the search path
    EXPECT_EQ(users->columns[2].default_expr, "'ok'::app.mood");
    EXPECT_EQ(users->columns[3].collation, "pg_catalog.\"C\"");
    EXPECT_EQ(users->columns[4].generated, "upper(email)");
    EXPECT_TRUE(users->row_security);
    ASSERT_EQ(users->policies.size(), 1U);
    EXPECT_THAT(users->policies[0].roles, ElementsAre("public"));
    ASSERT_EQ(users->triggers.size(), 1U);
    EXPECT_THAT(users->triggers[0].definition, HasSubstr("EXECUTE FUNCTION app.t()"));

    const schema::table* posts = m.find_table("app.posts");
    ASSERT_NE(posts, nullptr);
    EXPECT_EQ(posts->kind, 'p');
    EXPECT_EQ(posts->partition_key, "RANGE (at)");
    ASSERT_EQ(posts->constraints.size(), 1U);
    EXPECT_EQ(posts->constraints[0].references, "app.users");
    EXPECT_THAT(posts->constraints[0].definition, HasSubstr("ON DELETE CASCADE"));
    ASSERT_EQ(posts->indexes.size(), 1U);
    EXPECT_EQ(posts->indexes[0].name, "app.posts_at");
    const schema::table* part = m.find_table("app.posts_2026");
    ASSERT_NE(part, nullptr);
    EXPECT_EQ(part->partition_of, "app.posts");
    EXPECT_THAT(part->partition_bound, HasSubstr("FOR VALUES FROM ('2026-01-01')"));
    EXPECT_THAT(part->constraints, IsEmpty()); // the parent's foreign key is not repeated
    EXPECT_THAT(part->indexes, IsEmpty());     // nor its index
    EXPECT_TRUE(part->columns[0].inherited);

    ASSERT_EQ(m.sequences.size(), 2U); // the serial's, and app.counter; not the identity's
    EXPECT_EQ(m.sequences[0].name, "app.counter");
    EXPECT_EQ(m.sequences[0].start, "7");
    EXPECT_EQ(m.sequences[1].owned_by, "app.posts.id");
    ASSERT_EQ(m.views.size(), 1U);
    EXPECT_THAT(m.views[0].depends_on, ElementsAre("app.users"));
    ASSERT_EQ(m.functions.size(), 1U);
    EXPECT_EQ(m.functions[0].signature, "app.t()");
    EXPECT_EQ(m.comments.at("COLUMN app.users.email"), "where to write");
    ASSERT_EQ(m.grants.count("TABLE app.emails"), 1U);
    EXPECT_THAT(m.grants.at("TABLE app.emails").granted, ::testing::Contains("=r/postgres"));
    ASSERT_EQ(m.grants.count("FUNCTION app.t()"), 1U);
    EXPECT_THAT(m.grants.at("FUNCTION app.t()").granted, ElementsAre("postgres=X/postgres"));
    EXPECT_EQ(m.grants.count("TABLE app.users"), 0U); // the owner's defaults
}

TEST(SchemaModel, EqualSchemasWrittenDifferentlyGiveEqualModels) {
    auto a = model_of("CREATE TABLE t (id integer primary key, n NUMERIC(5,2) check(n>0), "
                      "b bool default FALSE); CREATE INDEX ON t(n)");
    auto b = model_of("create table public.t (n numeric(5, 2) CONSTRAINT t_n_check CHECK (n > 0),"
                      " id int4 NOT NULL, b boolean DEFAULT false, "
                      "CONSTRAINT t_pkey PRIMARY KEY (id)); create index t_n_idx on t (n);");
    EXPECT_EQ(schema::render_lines(a), schema::render_lines(b));
    EXPECT_EQ(a, b);
}

TEST(SchemaModel, ViewColumnOrderIsLeftOutOfTheLinesAsForTables) {
    // A downgrade that re-adds a column and re-creates a `SELECT *` view over it: the table and
    // the view now list the column last. Neither is a difference in the lines.
    auto a = model_of("CREATE TABLE t (a int, b text, c int);"
                      "CREATE VIEW v AS SELECT * FROM t;"
                      "CREATE VIEW w AS SELECT a, count(*) AS n FROM t GROUP BY a");
    auto b = model_of("CREATE TABLE t (a int, c int, b text);"
                      "CREATE VIEW v AS SELECT * FROM t;"
                      "CREATE VIEW w AS SELECT count(*) AS n, a FROM t GROUP BY a");
    EXPECT_EQ(schema::render_lines(a), schema::render_lines(b));
    // What the view computes still counts.
    auto c = model_of("CREATE TABLE t (a int, b text, c int);"
                      "CREATE VIEW v AS SELECT a, b, c + 1 AS c FROM t;"
                      "CREATE VIEW w AS SELECT a, count(*) AS n FROM t GROUP BY a");
    EXPECT_NE(schema::render_lines(a), schema::render_lines(c));
}

TEST(SchemaModel, LeavesOutWhatTheScopeAndExtensionsOwn) {
    auto m = model_of("CREATE EXTENSION citext; CREATE SCHEMA pgmig; CREATE TABLE pgmig.v (x int);"
                      "CREATE TABLE keep (x citext); CREATE TABLE skip (x int);",
                      {.skip_relations = {"public.skip"}, .exclude_schemas = {"pgmig"}});
    EXPECT_THAT(m.schemas, ElementsAre("public"));
    ASSERT_EQ(m.tables.size(), 1U);
    EXPECT_EQ(m.tables[0].name, "public.keep");
    EXPECT_EQ(m.tables[0].columns[0].type, "public.citext");
    EXPECT_THAT(m.functions, IsEmpty()); // citext's own functions stand behind the extension
    ASSERT_EQ(m.extensions.size(), 2U);
    EXPECT_EQ(m.extensions[0].name, "citext");
    EXPECT_EQ(m.extensions[1].name, "plpgsql");
}

TEST(SchemaModel, ReadsAggregatesColumnPrivilegesAndInvalidIndexes) {
    scoped_database db;
    connection conn = db.connect();
    conn.exec(R"SQL(
        CREATE FUNCTION add_up(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2';
        CREATE AGGREGATE total(int) (SFUNC = add_up, STYPE = int, INITCOND = '0');
        DO $$ BEGIN CREATE ROLE pgmig_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
        CREATE TABLE t (id int, secret text);
        GRANT SELECT (id), UPDATE (id) ON t TO pgmig_reader;
        CREATE INDEX t_id ON t (id);
        UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'public.t_id'::regclass;
    )SQL");
    schema::model m = schema::read_model(conn);
    ASSERT_EQ(m.functions.size(), 2U);
    EXPECT_EQ(m.functions[1].signature, "public.total(integer)");
    EXPECT_EQ(m.functions[1].kind, 'a');
    EXPECT_EQ(m.functions[1].definition,
              "CREATE OR REPLACE AGGREGATE public.total(integer) (SFUNC = public.add_up, "
              "STYPE = integer, INITCOND = '0', PARALLEL = UNSAFE)");
    const schema::table* t = m.find_table("public.t");
    ASSERT_NE(t, nullptr);
    EXPECT_THAT(t->columns[0].privileges, ElementsAre("pgmig_reader=rw/postgres"));
    EXPECT_THAT(t->columns[1].privileges, IsEmpty());
    ASSERT_EQ(t->indexes.size(), 1U);
    EXPECT_FALSE(t->indexes[0].valid);
    EXPECT_THAT(schema::render_lines(m),
                ::testing::Contains("index public.t_id: CREATE INDEX t_id ON public.t USING btree "
                                    "(id) (invalid)"));

    // The aggregate's definition makes it again: dropped and run, the model is the same.
    conn.exec("DROP AGGREGATE total(int); " + m.functions[1].definition);
    EXPECT_EQ(schema::read_model(conn), m);
}

TEST(SchemaModel, UnitsAddUpToTheWholeModel) {
    scoped_database db;
    connection conn = db.connect();
    conn.exec(R"SQL(
        CREATE SCHEMA app;
        CREATE TYPE app.pair AS (a int, b text);
        CREATE TYPE app.mood AS ENUM ('sad', 'ok');
        CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
        CREATE TABLE app.users (id int PRIMARY KEY, mood app.mood);
        CREATE INDEX users_mood ON app.users (mood);
        CREATE VIEW app.moods AS SELECT mood FROM app.users;
        CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
        COMMENT ON TABLE app.users IS 'people';
        COMMENT ON CONSTRAINT positive_check ON DOMAIN app.positive IS 'above zero';
        COMMENT ON SCHEMA app IS 'the app';
    )SQL");
    conn.exec("SET search_path = ''");
    auto units = schema::read_units(conn, {});
    std::vector<std::string> pooled;
    for (const auto& [unit, part] : units) {
        for (auto& line : schema::render_lines(part)) {
            pooled.push_back(std::move(line));
        }
    }
    std::sort(pooled.begin(), pooled.end());
    EXPECT_EQ(pooled, schema::render_lines(schema::read_model(conn)));

    // Asked for by unit: the table's comment and index come with it; a unit that is gone is
    // there, empty.
    std::string users = "rel:" + db.scalar("SELECT 'app.users'::regclass::oid");
    std::vector<std::string> asked = {users, "rel:1"};
    auto some = schema::read_units(conn, {}, &asked);
    ASSERT_EQ(some.size(), 2U);
    EXPECT_EQ(some.at(users), units.at(users));
    EXPECT_THAT(schema::render_lines(some.at(users)),
                ::testing::Contains("comment TABLE app.users: people"));
    EXPECT_THAT(schema::render_lines(some.at("rel:1")), IsEmpty());
}

TEST(SchemaFingerprint, FollowsTheSchemaAndNamesTheMajorVersion) {
    auto a = model_of("CREATE TABLE t (id int PRIMARY KEY)");
    auto b = model_of("create table public.t (id integer, primary key (id))");
    auto c = model_of("CREATE TABLE t (id bigint PRIMARY KEY)");
    EXPECT_EQ(schema::fingerprint(a, 150004), schema::fingerprint(b, 150007));
    EXPECT_NE(schema::fingerprint(a, 150004), schema::fingerprint(c, 150004));
    EXPECT_THAT(schema::fingerprint(a, 160001), ::testing::EndsWith(" (PostgreSQL 16, lines 2)"));
    EXPECT_TRUE(schema::same_major(schema::fingerprint(a, 150004), "sha256:00 (PostgreSQL 15)"));
    EXPECT_FALSE(
        schema::same_major(schema::fingerprint(a, 150004), schema::fingerprint(a, 160001)));
    EXPECT_THAT(schema::fingerprint(a, 160001), ::testing::StartsWith("sha256:"));
}

TEST(ScratchDatabase, IsCreatedOnTheServerAndDroppedAfter) {
    scoped_database admin;
    std::string name;
    {
        scratch_database scratch(admin.url(), "Model Test");
        name = scratch.name();
        EXPECT_EQ(name.rfind("pgmig_model_test_", 0), 0U) << name;
        connection conn = connection::open(scratch.url());
        EXPECT_EQ(std::string(conn.exec("SELECT current_database()").text(0, 0)), name);
    }
    EXPECT_EQ(admin.scalar("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"), "0");
}

} // namespace
