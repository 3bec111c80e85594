// pgmig:revision e5e5e5e5e505
// pgmig:revises b2b2b2b2b202
// pgmig:message Invoice numbers, computed in Python
// Ported by hand from e5e5e5e5e505_invoice_numbers.py, replacing the stub pgmig-from-alembic
// wrote: the same numbers, computed in C++.
#include <pgmig/cpp_revision.hpp>

#include <cstdio>
#include <string>

namespace {

std::string invoice_number(long long id) {
    char text[32];
    std::snprintf(text, sizeof text, "INV-%05lld", id);
    return text;
}

struct invoice_numbers {
    void upgrade(pgmig::operations& op) {
        op.add_column("invoices", pgmig::column("number", "text"));
        op.batch("SELECT id FROM invoices", {}, 1000, [&](const pgmig::query_result& rows) {
            for (int i = 0; i < rows.rows(); ++i) {
                auto id = rows.get<std::string>(i, "id");
                op.execute("UPDATE invoices SET number = $1 WHERE id = $2",
                           {invoice_number(std::stoll(id)), id});
            }
        });
    }

    void downgrade(pgmig::operations& op) { op.drop_column("invoices", "number"); }
};

} // namespace

PGMIG_REVISION(invoice_numbers);
