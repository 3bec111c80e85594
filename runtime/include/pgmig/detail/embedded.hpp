#pragma once

// Plain data that generated revision sources are compiled into. Deliberately includes nothing:
// a set of 10,000 revisions compiles 10,000 of these files, and each must build in milliseconds.
// All arrays end with a null entry.
//
// The generated sources fill these with designated initializers: a field renamed, added or
// moved here without the same change to the generator (for_each_recorded_field in
// <pgmig/revision.hpp>) fails to compile instead of filling the wrong field.

namespace pgmig {
class operations;
struct cpp_revision_hooks;
} // namespace pgmig

namespace pgmig::detail {

/// A statement: the fields of pgmig::statement, same names, same order.
struct embedded_statement {
    const char* sql;
    int line;
    bool autocommit;
    const char* builds_index;
    const char* locks;
};

struct embedded_location {
    const char* file;
    int line;
};

/// A revision as the build embeds it: the fields of pgmig::revision, same names, same order.
struct embedded_revision {
    const char* id;
    const char* const* revises;
    const char* const* depends_on;
    const char* const* branch_labels;
    const char* message;
    embedded_location where; ///< the file and the line of the revision directive
    int revises_line;
    int depends_on_line;
    int branch_labels_line;
    bool transactional;
    bool tested_from_here;
    const char* lock_timeout;      ///< empty for the set default
    const char* statement_timeout; ///< empty for the set default
    const char* const* safety_assured;
    const embedded_statement* upgrade;
    const embedded_statement* downgrade;
    const char* irreversible; ///< null unless the downgrade is irreversible: the reason
    const char* checksum;
    const cpp_revision_hooks* cpp; ///< null for SQL revisions
};

/// Settings of a set, from pgmig_add_revisions(): the fields of pgmig::set_settings.
struct embedded_set {
    const char* name;
    const char* identity;
    const char* schema;
    const char* version_table;
    const char* history_table;
    const char* source_dir; ///< where `revision -m` writes new files
    const char* lock_timeout;
    const char* statement_timeout;
    int lock_retries;
    const char* backup_dir;         ///< empty: no backup by default in production
    const char* schema_fingerprint; ///< empty when no SCHEMA_SOURCES file holds one
    bool allow_multiple_heads;
    bool allow_irreversible;
    const embedded_revision* const* revisions;
};

} // namespace pgmig::detail
