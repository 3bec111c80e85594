// The generated C++ that embeds revisions and sets: designated initializers, one literal
// form for any text.

#include "codegen.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pgmig;
using namespace pgmig::compiler;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Codegen, StringLiteralsEscapeWhatCppWouldMisread) {
    EXPECT_EQ(cpp_string_literal("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(cpp_string_literal("x?"
                                 "?=y"),
              R"("x\?\?=y")");
    EXPECT_EQ(cpp_string_literal(std::string("\x01"
                                             "7",
                                             2)),
              R"("\0017")");
    EXPECT_EQ(cpp_string_literal("l1\nl2"), "\"l1\\n\"\n    \"l2\"");
    EXPECT_EQ(cpp_string_literal("é"), "\"é\"");
    EXPECT_EQ(cpp_string_literal("tab\there\x7f"), "\"tab\\there\\177\"");
    EXPECT_EQ(cpp_string_literal("ends\n"), "\"ends\\n\"");
}

TEST(Codegen, RevisionSourceNamesEveryRecordedFieldInOrder) {
    revision r;
    r.id = "a1";
    r.revises = {"p0"};
    r.message = "Say \"hi\"";
    r.where = {"m/a.sql", 3};
    r.transactional = false;
    r.upgrade = {{"CREATE TABLE t (id int)", 7}};
    r.downgrade = {{"DROP TABLE t", 10}};
    r.checksum = "sha256:00";
    std::string source = generate_revision_source(r, "sym");
    std::vector<std::string> order;
    for_each_recorded_field(
        [&](const char* name, const auto&) {
            auto at = source.find(std::string("    .") + name + " = ");
            EXPECT_NE(at, std::string::npos) << name;
            order.push_back(std::to_string(at));
        },
        r);
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return std::stoul(a) < std::stoul(b);
    }));
    EXPECT_THAT(source, HasSubstr(".message = \"Say \\\"hi\\\"\","));
    EXPECT_THAT(source, HasSubstr(".where = {\"m/a.sql\", 3},"));
    EXPECT_THAT(source, HasSubstr(".transactional = false,"));
    EXPECT_THAT(source, HasSubstr("{.sql = \"CREATE TABLE t (id int)\", .line = 7, "
                                  ".autocommit = false, .builds_index = \"\", .locks = \"\"},"));
    EXPECT_THAT(source, HasSubstr(".irreversible = nullptr,"));
    EXPECT_THAT(source, HasSubstr(".cpp = nullptr,"));
    EXPECT_THAT(generate_revision_source(r, "sym", "hooks"), HasSubstr(".cpp = &hooks,"));
}

TEST(Codegen, SetIndexQuotesSettingsAndListsSymbolsInOrder) {
    set_settings s;
    s.name = "app_db";
    s.schema = "odd \"schema\"\n";
    s.lock_timeout = "5s";
    s.options.allow_irreversible = true;
    std::string index = generate_set_index(s, {"first", "second"});
    EXPECT_THAT(index, HasSubstr(".schema = \"odd \\\"schema\\\"\\n\","));
    EXPECT_THAT(index, HasSubstr(".allow_irreversible = true,"));
    EXPECT_THAT(index, HasSubstr(".allow_multiple_heads = false,"));
    EXPECT_THAT(index, HasSubstr("    &first,\n    &second,\n    nullptr,"));
    EXPECT_THAT(index, HasSubstr("const pgmig::revision_set& pgmig::sets::app_db()"));
}

TEST(Codegen, MetadataRoundTripsEveryRecordedFieldButCode) {
    revision r;
    r.id = "a";
    r.revises = {"p", "q"};
    r.depends_on = {"d"};
    r.branch_labels = {"l"};
    r.message = "m";
    r.where = {"f.sql", 3};
    r.revises_line = 4;
    r.depends_on_line = 5;
    r.branch_labels_line = 6;
    r.transactional = false;
    r.lock_timeout = "1s";
    r.statement_timeout = "2s";
    r.irreversible = "why";
    r.checksum = "sha256:ab";
    revision back = revision_from_metadata(revision_metadata(r));
    EXPECT_EQ(back.id, "a");
    EXPECT_THAT(back.revises, ElementsAre("p", "q"));
    EXPECT_THAT(back.depends_on, ElementsAre("d"));
    EXPECT_THAT(back.branch_labels, ElementsAre("l"));
    EXPECT_EQ(back.where.file, "f.sql");
    EXPECT_EQ(back.where.line, 3);
    EXPECT_EQ(back.revises_line, 4);
    EXPECT_EQ(back.depends_on_line, 5);
    EXPECT_EQ(back.branch_labels_line, 6);
    EXPECT_FALSE(back.transactional);
    EXPECT_EQ(back.lock_timeout, "1s");
    EXPECT_EQ(back.statement_timeout, "2s");
    EXPECT_EQ(back.irreversible, "why");
    EXPECT_EQ(back.checksum, "sha256:ab");
    EXPECT_THAT(revision_metadata(r).dump(), Not(HasSubstr("upgrade")));
}

TEST(Codegen, MetadataWithoutAFieldIsRefused) {
    nlohmann::json meta = revision_metadata(revision{});
    meta.erase("checksum");
    EXPECT_THROW((void)revision_from_metadata(meta), nlohmann::json::exception);
}
