// pgmig:revision c3c3c3c3c3c3
// pgmig:revises  b2b2b2b2b2b2
// pgmig:message  Books by authors

// Only reversible helpers: pgmig derives the downgrade.
#include <pgmig/cpp_revision.hpp>

namespace {

struct books {
    static constexpr bool auto_reversible = true;

    void upgrade(pgmig::operations& op) {
        op.create_table("books", {pgmig::column("id", "bigint").generated_identity().primary(),
                                  pgmig::column("author_id", "int").not_null(),
                                  pgmig::column("title", "text").not_null()});
        op.create_foreign_key("books_author_fk", "books", {"author_id"}, "authors", {"id"});
        op.create_index("books_author_idx", "books", {"author_id"});
    }
};

} // namespace

PGMIG_REVISION(books);
