// The connection module's pure functions: what --sql prints and what messages show.

#include <pgmig/connection.hpp>
#include <pgmig/detail/numbers.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(MaskPassword, HidesThePasswordOfAUriAndOfKeyValueStrings) {
    EXPECT_EQ(mask_password("postgresql://app:hunter2@db.example:5433/shop"),
              "user=app password=**** dbname=shop host=db.example port=5433");
    EXPECT_EQ(mask_password("host=/tmp user=app password='a b\\'c' dbname=shop"),
              "user=app password=**** dbname=shop host=/tmp");
    EXPECT_EQ(mask_password("postgresql://app:p%40ss@h/db"),
              "user=app password=**** dbname=db host=h");
}

TEST(MaskPassword, LeavesAStringWithoutAPasswordAsLibpqReadsIt) {
    EXPECT_EQ(mask_password("host=/tmp port=5432 dbname=shop"), "dbname=shop host=/tmp port=5432");
    EXPECT_EQ(mask_password(""), "(default connection settings)");
}

TEST(MaskPassword, NeverEchoesAStringLibpqCannotRead) {
    for (const char* bad : {"postgresql://u:hunter2%ZZx@h/db", "postgresql://u:hunter2@[::1/db",
                            "host=h password='hunter2", "postgresql://u:hunter2%00@h/db"}) {
        std::string masked = mask_password(bad);
        EXPECT_THAT(masked, Not(HasSubstr("hunter2"))) << bad;
        EXPECT_EQ(masked, "(invalid connection string)") << bad;
    }
}

TEST(QuoteLiteral, DoublesSingleQuotesAndKeepsEverythingElse) {
    EXPECT_EQ(quote_literal("it's"), "'it''s'");
    EXPECT_EQ(quote_literal(""), "''");
    EXPECT_EQ(quote_literal("a\\b\nc"), "'a\\b\nc'"); // scripts set standard_conforming_strings
    EXPECT_EQ(quote_identifier("My \"Table\""), "\"My \"\"Table\"\"\"");
}

TEST(SqlCommand, InlinedReplacesEachParameterWithALiteralOrNull) {
    std::vector<param> params{"a'b", std::nullopt, "3", "4", "5", "6", "7", "8", "9", "ten"};
    EXPECT_EQ(sql_command({"SELECT $1, $2, $10", params}).inlined(), "SELECT 'a''b', NULL, 'ten'");
    EXPECT_EQ(sql_command({"SELECT 1", {}}).inlined(), "SELECT 1");
}

TEST(SqlCommand, InlinedRefusesAParameterItDoesNotHave) {
    EXPECT_THROW((void)sql_command({"SELECT $2", {"one"}}).inlined(), error);
    EXPECT_THROW((void)sql_command({"SELECT $0", {"one"}}).inlined(), error);
    EXPECT_THROW((void)sql_command({"SELECT $99999999999999999999999", {"one"}}).inlined(), error);
}

TEST(WithDatabase, KeepsEverySettingButTheDatabase) {
    std::string url = with_database("postgresql://app:pw@h:5433/shop?sslmode=disable", "other");
    EXPECT_THAT(url, HasSubstr("dbname='other'"));
    EXPECT_THAT(url, HasSubstr("password='pw'"));
    EXPECT_THAT(url, HasSubstr("sslmode='disable'"));
    EXPECT_THAT(url, Not(HasSubstr("shop")));
}

TEST(ParseNumber, ReadsWholeNumbersAndRefusesTheRestWithAPgmigError) {
    EXPECT_EQ(detail::parse_number<int>("42", "a count"), 42);
    EXPECT_EQ(detail::parse_number<std::uint64_t>("ff", "a digest", 16), 255U);
    EXPECT_DOUBLE_EQ(detail::parse_number<double>("1.5", "a duration"), 1.5);
    for (const char* bad : {"", "4x", " 4", "99999999999999999999"}) {
        try {
            (void)detail::parse_number<int>(bad, "a count");
            ADD_FAILURE() << bad;
        } catch (const error& e) {
            EXPECT_THAT(e.what(), HasSubstr("is not a count")) << bad;
        }
    }
}

namespace {

/// Connection strings libpq refuses to parse, each with the password "hunter2" in it.
const char* const malformed_with_password[] = {
    "postgresql://u:hunter2%ZZx@h/db", // a bad escape in the password
    "postgresql://u:hunter2%00@h/db",  // an escaped NUL in the password
    "postgresql://u:hunter2@[::1/db",  // an unterminated IPv6 host: libpq quotes the whole URI
    "postgresql://u:hunter2@h/db?password=hunter2%zz", // a bad escape in a query parameter
    "postgresql://u@h/db?password=hunter2&x",          // an option without a value
    "host=h password='hunter2",                        // an unterminated quote
    "host=h password=hunter2 nonsense",                // a word without '='
    "host=h password = 'hunt\\'er2' junk=",            // spaces around '=', an escaped quote
};

} // namespace

TEST(RedactSecrets, FindsPasswordsEvenWhereLibpqCannotParse) {
    EXPECT_THAT(passwords_in("postgresql://u:p%40ss@h/db"),
                ::testing::ElementsAre("p%40ss", "p@ss"));
    EXPECT_THAT(passwords_in("host=h password='a b\\'c'"), ::testing::ElementsAre("a b'c"));
    EXPECT_THAT(passwords_in("postgresql://u@h/db?sslmode=require&password=x%2By"),
                ::testing::ElementsAre("x%2By", "x+y"));
    EXPECT_TRUE(passwords_in("host=h user=u").empty());
}

TEST(RedactSecrets, LibpqParseErrorsNeverShowThePassword) {
    for (const char* conninfo : malformed_with_password) {
        try {
            (void)connection::open(conninfo);
            ADD_FAILURE() << conninfo << " was accepted";
        } catch (const connection_error& e) {
            EXPECT_THAT(e.what(), HasSubstr("invalid connection string")) << conninfo;
            EXPECT_THAT(e.what(), Not(HasSubstr("hunter2"))) << conninfo << ": " << e.what();
            EXPECT_THAT(e.what(), Not(HasSubstr("hunt"))) << conninfo << ": " << e.what();
        }
        EXPECT_THAT(mask_password(conninfo), Not(HasSubstr("hunter2")));
    }
}

TEST(RedactSecrets, HidesAQuotedFragmentWholeAndEveryOtherOccurrence) {
    EXPECT_EQ(redact_secrets("bad token: \"hunter2%ZZx\"; again hunter2%ZZx",
                             "postgresql://u:hunter2%ZZx@h"),
              "bad token: \"****\"; again ****");
    EXPECT_EQ(redact_secrets("decoded p@ss, written p%40ss", "postgresql://u:p%40ss@h"),
              "decoded ****, written ****");
    EXPECT_EQ(redact_secrets("nothing to hide \"here\"", "host=h"), "nothing to hide \"here\"");
}
