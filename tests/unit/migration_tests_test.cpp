// The parts of the generated tests that need no server: reading expectations.

#include "migration_tests.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::testing;
using ::testing::HasSubstr;

namespace {

std::string problems_of(std::string_view text) {
    try {
        (void)parse_expectations(text, "expect.txt");
    } catch (const source_error& e) {
        std::string out;
        for (const auto& d : e.diagnostics()) {
            out += d.format() + "\n";
        }
        return out;
    }
    return "";
}

} // namespace

TEST(Expectations, ReadTablesColumnsTypesAndNullability) {
    auto e = parse_expectations("users\n"
                                "# a comment\n"
                                "\n"
                                "users.email text not null   # trailing comment\n"
                                "app.orders.total numeric(10,2) null\n"
                                "table app.audit\n"
                                "column users.name character varying\n",
                                "expect.txt");
    ASSERT_EQ(e.size(), 5U);
    EXPECT_EQ(e[0].table, "users");
    EXPECT_EQ(e[0].column, "");
    EXPECT_EQ(e[1].column, "email");
    EXPECT_EQ(e[1].type, "text");
    EXPECT_EQ(e[1].nullable, false);
    EXPECT_EQ(e[1].origin, "expect.txt:4");
    EXPECT_EQ(e[2].schema, "app");
    EXPECT_EQ(e[2].table, "orders");
    EXPECT_EQ(e[2].type, "numeric(10,2)");
    EXPECT_EQ(e[2].nullable, true);
    EXPECT_EQ(e[3].schema, "app");
    EXPECT_EQ(e[3].table, "audit");
    EXPECT_EQ(e[3].column, "");
    EXPECT_EQ(e[4].type, "character varying");
    EXPECT_FALSE(e[4].nullable.has_value());
}

TEST(Expectations, MalformedLinesAreReportedWithTheirLine) {
    EXPECT_THAT(problems_of("ok\na..b\n"), HasSubstr("expect.txt:2: error: 'a..b' is not table"));
    EXPECT_THAT(problems_of("table\n"), HasSubstr("expect.txt:1: error: 'table' needs a name"));
    EXPECT_THAT(problems_of("users text\n"),
                HasSubstr("expect.txt:1: error: a type or nullability needs a column"));
    EXPECT_THAT(problems_of("table a.b.c\n"), HasSubstr("is not table or schema.table"));
    EXPECT_EQ(problems_of("# only comments\n\n"), "");
}
