#include <pgmig/detail/text_array.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig::detail;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TextArray, FormatsEveryElementQuotedSoNoneReadsAsNull) {
    EXPECT_EQ(format_text_array({}), "{}");
    EXPECT_EQ(format_text_array({"a", "NULL", "b c"}), "{\"a\",\"NULL\",\"b c\"}");
    EXPECT_EQ(format_text_array({"say \"hi\"", "back\\slash"}),
              "{\"say \\\"hi\\\"\",\"back\\\\slash\"}");
}

TEST(TextArray, ParsesWhatPostgresqlPrints) {
    EXPECT_THAT(parse_text_array("{}"), IsEmpty());
    EXPECT_THAT(parse_text_array("{a,\"b c\",NULL}"), ElementsAre("a", "b c", ""));
    EXPECT_THAT(parse_text_array("{\"x\\\"y\",\"z\\\\\"}"), ElementsAre("x\"y", "z\\"));
    EXPECT_THAT(parse_text_array("{\"{,}\"}"), ElementsAre("{,}"));
}

TEST(TextArray, RoundTripsAnyText) {
    std::vector<std::string> items{"",        "plain",  "with space",  "quote\"", "back\\",
                                   "{brace}", "comma,", "line\nbreak", "NULL",    "ünïcode"};
    EXPECT_EQ(parse_text_array(format_text_array(items)), items);
}

TEST(TextArray, NullableElementsArePrintedAsNull) {
    EXPECT_EQ(format_nullable_text_array({"a", std::nullopt, "NULL"}), "{\"a\",NULL,\"NULL\"}");
    EXPECT_THAT(parse_text_array(format_nullable_text_array({std::nullopt})), ElementsAre(""));
}
