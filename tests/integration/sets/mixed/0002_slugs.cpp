// pgmig:revision b2b2b2b2b2b2
// pgmig:revises  a1a1a1a1a1a1
// pgmig:message  Backfill author slugs

// A data migration: reads every author, writes a slug computed in C++.
#include <pgmig/cpp_revision.hpp>

#include <cctype>
#include <string>

namespace {

std::string slug_of(const std::string& name) {
    std::string slug;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    return slug;
}

struct backfill_slugs {
    void upgrade(pgmig::operations& op) {
        op.add_column("authors", pgmig::column("slug", "text"));
        op.batch("SELECT id, name FROM authors ORDER BY id", {}, 2,
                 [&](const pgmig::query_result& rows) {
                     for (int i = 0; i < rows.rows(); ++i) {
                         op.execute("UPDATE authors SET slug = $1 WHERE id = $2",
                                    {slug_of(rows.get<std::string>(i, "name")),
                                     rows.get<std::string>(i, "id")});
                     }
                 });
        pgmig::column_change required;
        required.nullable = false;
        op.alter_column("authors", "slug", required);
        pgmig::index_options unique;
        unique.unique = true;
        op.create_index("authors_slug_key", "authors", {"slug"}, unique);
    }

    void downgrade(pgmig::operations& op) {
        op.drop_index("authors_slug_key");
        op.drop_column("authors", "slug");
    }
};

} // namespace

PGMIG_REVISION(backfill_slugs);
