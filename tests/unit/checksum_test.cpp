#include <pgmig/detail/checksum.hpp>

#include <gtest/gtest.h>

using namespace pgmig::detail;

TEST(Checksum, Sha256MatchesPublishedVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Checksum, PaddingBoundariesAreHandled) {
    // 55, 56 and 64 bytes are where the length field spills into a second block.
    EXPECT_EQ(sha256_hex(std::string(55, 'x')).size(), 64U);
    EXPECT_NE(sha256_hex(std::string(55, 'x')), sha256_hex(std::string(56, 'x')));
    EXPECT_EQ(sha256_hex(std::string(64, 'a')),
              "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(Checksum, RevisionChecksumNamesItsAlgorithm) {
    EXPECT_EQ(revision_checksum("abc").rfind("sha256:", 0), 0U);
}

TEST(Checksum, LineEndingsAndBomDoNotCount) {
    EXPECT_EQ(revision_checksum("a\nb\n"), revision_checksum("a\r\nb\r\n"));
    EXPECT_EQ(revision_checksum("a\nb\n"), revision_checksum("\xEF\xBB\xBF"
                                                             "a\nb\n"));
    EXPECT_NE(revision_checksum("a\nb\n"), revision_checksum("a\nb \n"));
}
