// shop: a service that refuses to run against a database its build does not match.
//
//   shop [--migrate]      DATABASE_URL must point at the database
//
// With --migrate it brings a database that is behind up to date first (under pgmig's lock);
// without it, a database that is behind, ahead or changed is reported and the service stops.

#include <pgmig/sets/shop_db.hpp>
#include <pgmig/startup.hpp>

#include <cstdlib>
#include <iostream>
#include <string_view>

int main(int argc, char** argv) {
    const char* url = std::getenv("DATABASE_URL");
    if (url == nullptr) {
        std::cerr << "shop: set DATABASE_URL\n";
        return 2;
    }
    const bool migrate = argc > 1 && std::string_view(argv[1]) == "--migrate";
    try {
        auto conn = pgmig::connection::open(url, "shop");
        const auto& revisions = pgmig::sets::shop_db();
        auto report = migrate ? pgmig::ensure_up_to_date(conn, revisions, {.url = url})
                              : pgmig::check_database(conn, revisions);
        if (!report.ok()) {
            std::cerr << "shop: not starting: " << report.message << '\n';
            return 1;
        }
        auto users = conn.exec("SELECT count(*) FROM users");
        std::cout << "shop: database ready (" << report.status.summary() << "), "
                  << users.text(0, 0) << " users\n";
        return 0;
    } catch (const pgmig::error& e) {
        std::cerr << "shop: " << e.what() << '\n';
        return 1;
    }
}
