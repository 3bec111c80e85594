// pgmig:revision 7b3d9f21c6a8
// pgmig:revises  5e16a2b8f905
// pgmig:message  User slugs for profile URLs, backfilled from names

// A data migration in C++: the slug rules live in code, so the backfill computes each slug
// here rather than in SQL, a batch of users at a time.
#include <pgmig/cpp_revision.hpp>

#include <cctype>
#include <string>

namespace {

/// "Ada Lovelace" -> "ada-lovelace"; the user's id keeps slugs unique: "ada-lovelace-7".
std::string slug_for(const std::string& name, const std::string& id) {
    std::string slug;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0) {
            slug += static_cast<char>(std::tolower(u));
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    if (!slug.empty() && slug.back() == '-') {
        slug.pop_back();
    }
    return (slug.empty() ? std::string("user") : slug) + "-" + id;
}

struct user_slugs {
    void upgrade(pgmig::operations& op) {
        op.add_column("users", pgmig::column("slug", "text"));
        op.batch("SELECT id, name FROM users ORDER BY id", {}, 500,
                 [&](const pgmig::query_result& users) {
                     for (int i = 0; i < users.rows(); ++i) {
                         auto id = users.get<std::string>(i, "id");
                         op.execute("UPDATE users SET slug = $1 WHERE id = $2",
                                    {slug_for(users.get<std::string>(i, "name"), id), id});
                     }
                 });
        pgmig::column_change required;
        required.nullable = false;
        op.alter_column("users", "slug", required);
        pgmig::index_options unique;
        unique.unique = true;
        op.create_index("users_slug_key", "users", {"slug"}, unique);
    }

    void downgrade(pgmig::operations& op) {
        op.drop_index("users_slug_key");
        op.drop_column("users", "slug");
    }
};

} // namespace

PGMIG_REVISION(user_slugs);
