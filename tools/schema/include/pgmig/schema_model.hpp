#pragma once

// The schema of a database as a typed, canonical model: what the diff, autogenerate, drift and
// the generated tests' snapshots are built on. Definitions that PostgreSQL can print itself
// (constraints, indexes, views, functions, triggers) are kept in the server's own canonical
// text (pg_get_*def), so two databases with the same schema give equal models whatever text
// created them, and the diff never re-implements PostgreSQL's rules.

#include <pgmig/connection.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::schema {

/// Every name in the model is quoted where SQL needs it and schema-qualified where it can be
/// ("public.users", "app.\"Order\""); columns, constraints, indexes, triggers and policies are
/// named without their table.
struct column {
    std::string name;
    std::string type; ///< format_type: "character varying(20)", "public.mood[]"
    bool not_null = false;
    std::string default_expr; ///< empty when none (and for generated columns)
    std::string identity;     ///< "", "always" or "by default"
    std::string generated;    ///< the expression of a stored generated column
    std::string collation;    ///< qualified, when it differs from the type's
    bool inherited = false;   ///< comes from a parent (a partition's columns)
    /// Privileges granted on the column itself (aclitem text, sorted); a column's default is none.
    std::vector<std::string> privileges;
    bool operator==(const column&) const = default;
};

struct constraint {
    std::string name;
    char kind = 'c';        ///< p, u, f, c, x (pg_constraint.contype)
    std::string definition; ///< pg_get_constraintdef
    std::string references; ///< the referenced table of a foreign key
    bool operator==(const constraint&) const = default;
};

struct index {
    std::string name;       ///< qualified
    std::string definition; ///< pg_get_indexdef (CREATE [UNIQUE] INDEX ...)
    bool valid = true;      ///< false for what a failed CREATE INDEX CONCURRENTLY leaves
    bool operator==(const index&) const = default;
};

struct trigger {
    std::string name;
    std::string definition; ///< pg_get_triggerdef (CREATE TRIGGER ...)
    char enabled = 'O';     ///< pg_trigger.tgenabled: O, D, R, A
    bool operator==(const trigger&) const = default;
};

struct policy {
    std::string name;
    bool permissive = true;
    std::string command;            ///< ALL, SELECT, INSERT, UPDATE, DELETE
    std::vector<std::string> roles; ///< quoted; "public" for everyone
    std::string using_expr;
    std::string check_expr;
    bool operator==(const policy&) const = default;
};

struct table {
    std::string name;
    char kind = 'r'; ///< r (table), p (partitioned), f (foreign)
    bool unlogged = false;
    std::string partition_key;        ///< pg_get_partkeydef, for a partitioned table
    std::string partition_of;         ///< the parent of a partition
    std::string partition_bound;      ///< FOR VALUES ... / DEFAULT
    std::vector<std::string> options; ///< reloptions, "fillfactor=70"
    bool row_security = false;
    bool force_row_security = false;
    std::vector<column> columns; ///< by name: column order is not part of the model
    std::vector<constraint> constraints;
    std::vector<index> indexes; ///< those not made by a constraint nor inherited from a parent
    std::vector<trigger> triggers;
    std::vector<policy> policies;
    bool operator==(const table&) const = default;
};

struct sequence {
    std::string name;
    std::string type = "bigint";
    std::string start, increment, min, max, cache;
    bool cycle = false;
    std::string owned_by; ///< "table.column" (table qualified), or empty
    bool operator==(const sequence&) const = default;
};

struct view {
    std::string name;
    bool materialized = false;
    std::string definition;              ///< pg_get_viewdef
    std::vector<std::string> options;    ///< reloptions (security_barrier, check_option, ...)
    std::vector<std::string> depends_on; ///< tables and views it reads, qualified
    std::vector<index> indexes;          ///< of a materialized view
    bool operator==(const view&) const = default;
};

/// A function, procedure or aggregate.
struct function {
    std::string signature; ///< "public.f(integer,text)": the name and argument types
    char kind = 'f';       ///< f (function), p (procedure), a (aggregate), w (window)
    std::string result;    ///< pg_get_function_result; empty for a procedure
    /// pg_get_functiondef, or for an aggregate the same form built from pg_aggregate (CREATE OR
    /// REPLACE AGGREGATE ...), which PostgreSQL has no function to print
    std::string definition;
    bool operator==(const function&) const = default;
};

struct type {
    std::string name;
    char kind = 'e';                     ///< e (enum), d (domain), c (composite), r (range)
    std::vector<std::string> labels;     ///< an enum's, in order
    std::string base;                    ///< a domain's base type, a range's subtype
    bool not_null = false;               ///< a domain's
    std::string default_expr;            ///< a domain's
    std::vector<constraint> constraints; ///< a domain's checks
    std::vector<column> attributes;      ///< a composite type's, in order (name and type only)
    bool operator==(const type&) const = default;
};

struct extension {
    std::string name;
    std::string schema;
    std::string version;
    bool operator==(const extension&) const = default;
};

/// A comment on an object, keyed by the object as COMMENT ON names it ("TABLE public.users",
/// "COLUMN public.users.email", "CONSTRAINT users_pkey ON public.users").
using comment_map = std::map<std::string, std::string>;

/// The privileges granted on an object that differ from what its owner gets by default, as
/// aclitem text (`reader=r/postgres`, `=X/postgres` for PUBLIC), sorted.
struct privileges {
    std::vector<std::string> granted;
    std::vector<std::string> defaults; ///< acldefault: what no GRANT or REVOKE leaves
    bool operator==(const privileges&) const = default;
};

/// Privileges keyed as GRANT names the object ("TABLE public.users", "SEQUENCE public.n",
/// "FUNCTION public.f(integer)", "SCHEMA app", "TYPE public.mood"); objects with the default
/// privileges are left out. A column's privileges are the column's (column::privileges).
using privilege_map = std::map<std::string, privileges>;

/// A database's schema. Every list is sorted by name, so equal schemas compare equal.
struct model {
    std::vector<std::string> schemas; ///< quoted names, `public` included when present
    std::vector<extension> extensions;
    std::vector<type> types;
    std::vector<sequence> sequences;
    std::vector<table> tables;
    std::vector<view> views;
    std::vector<function> functions;
    comment_map comments;
    privilege_map grants;
    bool operator==(const model&) const = default;

    [[nodiscard]] const table* find_table(const std::string& name) const;
    [[nodiscard]] const view* find_view(const std::string& name) const;
    [[nodiscard]] const type* find_type(const std::string& name) const;
};

/// The item called `name` in a list of the model (tables, columns, constraints, ...), or null;
/// const when the list is.
template <typename Items>
[[nodiscard]] auto find_named(Items& items, std::string_view name) -> decltype(&items.front()) {
    for (auto& item : items) {
        if (item.name == name) {
            return &item;
        }
    }
    return nullptr;
}

/// Reads the model of the database `conn` is connected to. The scope leaves out pgmig's own
/// tables (and whole schemas); objects that belong to an extension are left out, the extension
/// standing for them.
[[nodiscard]] model read_model(connection& conn, const snapshot_scope& scope = {});

/// The same model in pieces, one per unit: "rel:<oid>" for a table, view, sequence or
/// composite type with everything on it (columns, constraints, indexes, triggers, policies,
/// comments, privileges), "proc:<oid>", "type:<oid>", "ns:<oid>", "ext:<oid>", and
/// "other:<class>:<oid>" for comments on anything else. All units, or only those asked for
/// (asked-for units that no longer exist come back as empty models). What the generated tests'
/// incremental snapshots are built from: it runs as one prepared statement, and names come out
/// qualified as the connection's search_path makes them (empty it, as read_model does).
[[nodiscard]] std::map<std::string, model>
read_units(connection& conn, const snapshot_scope& scope,
           const std::vector<std::string>* units = nullptr);

/// An SQL expression for the unit (as in read_units) that the catalog object (`classid`,
/// `objid`: SQL expressions) belongs to; NULL for objects outside any unit.
[[nodiscard]] std::string unit_of_object_sql(std::string_view classid, std::string_view objid);

/// The model as sorted lines of text, one per object or property, for messages, snapshots and
/// tests. Runs of white space in view and routine definitions are folded to one space, so a
/// line is a line: two models have the same lines when they are equal but for that white space
/// (what the diff ignores too).
[[nodiscard]] std::vector<std::string> render_lines(const model& m);

/// A routine's definition with runs of white space folded, as lines show it: what tells
/// whether two definitions differ.
[[nodiscard]] std::string folded_definition(const function& f);

/// The lines of `render_lines` only `a` has (removed) and only `b` has (added).
[[nodiscard]] snapshot_diff compare(const model& a, const model& b);

} // namespace pgmig::schema
