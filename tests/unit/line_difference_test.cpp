#include "line_difference.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

using namespace pgmig::testing;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(LineDifference, ShortLinesAreShownWhole) {
    EXPECT_EQ(describe_change("column public.users.email: text",
                              "column public.users.email: text not null"),
              "    - column public.users.email: text\n"
              "    + column public.users.email: text not null\n");
}

TEST(LineDifference, LongLinesShowTheDifferingPartWithContext) {
    std::string head = "view public.report: SELECT " + std::string(600, 'a');
    std::string tail = std::string(700, 'z') + " FROM t";
    std::string before = head + " amount > 10 " + tail;
    std::string after = head + " amount > 20 " + tail;
    std::string text = describe_change(before, after);
    // 40 characters of context either side of the differing one.
    EXPECT_THAT(text, HasSubstr("    - ..." + std::string(30, 'a') + " amount > 10 " +
                                std::string(38, 'z') + "...\n"));
    EXPECT_THAT(text, HasSubstr("    + ..." + std::string(30, 'a') + " amount > 20 " +
                                std::string(38, 'z') + "...\n"));
    EXPECT_THAT(text, HasSubstr("(1347 characters; they differ from character 638 on)"));
    EXPECT_LT(text.size(), 400U);
    EXPECT_THAT(text, Not(HasSubstr("date/time literal")));
}

TEST(LineDifference, AFrozenTimeLiteralIsNamed) {
    std::string before = "view public.recent: SELECT id FROM t WHERE created > "
                         "'2026-12-03 07:30:00'::timestamp without time zone";
    std::string after = "view public.recent: SELECT id FROM t WHERE created > "
                        "'2026-12-03 07:30:02.5'::timestamp without time zone";
    EXPECT_THAT(describe_change(before, after), HasSubstr("only a date/time literal differs"));
    EXPECT_THAT(describe_change("domain public.d: date default '2026-12-03'::date",
                                "domain public.d: date default '2026-12-04'::date"),
                HasSubstr("only a date/time literal differs"));
    EXPECT_THAT(describe_change("view public.v: SELECT 1 WHERE x > 1",
                                "view public.v: SELECT 1 WHERE x > 2"),
                Not(HasSubstr("date/time literal")));
}
