#pragma once

// From one schema model to another: the DDL, in an order the server accepts.

#include <pgmig/schema_model.hpp>

#include <string>
#include <vector>

namespace pgmig::schema {

/// One statement of the way from one schema to another.
struct change {
    std::string sql; ///< one statement, without the final semicolon; empty for a note alone
    /// Why a person must look at it before it runs (data that would be lost, a probable rename,
    /// a statement that fails on some data); empty when it is routine.
    std::string review;
    bool operator==(const change&) const = default;
};

/// The statements that turn a database whose schema is `from` into one whose schema is `to`,
/// ordered by what depends on what: schemas, extensions and types first; views and triggers
/// dropped before what they read changes and created after; foreign keys after the keys they
/// reference; what is dropped, last. `diff(b, a)` is the way back. Definitions come from the
/// models as PostgreSQL printed them, so what the statements create reads back equal to `to`.
[[nodiscard]] std::vector<change> diff(const model& from, const model& to);

} // namespace pgmig::schema
