// pgmig:revision aa02
// pgmig:revises  aa01
// pgmig:message  Slugs, with no way back
#include <pgmig/cpp_revision.hpp>

struct add_slugs {
    void upgrade(pgmig::operations& op) {
        op.add_column("users", pgmig::column("slug", "text"));
        op.execute("UPDATE users SET slug = lower(name)");
    }
};

PGMIG_REVISION(add_slugs);
