// pgmig:revision aa02
// pgmig:revises  aa01
// pgmig:message  Slugs, in a .cc file that two sets of one directory share
#include <pgmig/cpp_revision.hpp>

struct add_slugs {
    static constexpr bool auto_reversible = true;
    void upgrade(pgmig::operations& op) { op.add_column("users", pgmig::column("slug", "text")); }
};

PGMIG_REVISION(add_slugs);
