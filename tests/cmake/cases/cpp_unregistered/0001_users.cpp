// pgmig:revision aa01
// pgmig:message  Users, never registered
#include <pgmig/cpp_revision.hpp>

struct users {
    void upgrade(pgmig::operations& op) { op.create_table("users", {pgmig::column("id", "int")}); }
    void downgrade(pgmig::operations& op) { op.drop_table("users"); }
};
