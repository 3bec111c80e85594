#pragma once

// Writing a revision in C++. In a `.cpp` file of a revision set, next to the `.sql` ones:
//
//     // pgmig:revision 6a1f0c2b3d44
//     // pgmig:revises  5e16a2b8f905
//     // pgmig:message  Backfill slugs from names
//     #include <pgmig/cpp_revision.hpp>
//
//     struct backfill_slugs {
//         void upgrade(pgmig::operations& op) { ... }
//         void downgrade(pgmig::operations& op) { ... }
//     };
//     PGMIG_REVISION(backfill_slugs)
//
// The directives are those of SQL revisions, in `// pgmig:` comments. pgmig_add_revisions
// compiles the file into the set and registers it; PGMIG_REVISION checks the type at compile
// time: a revision without a downgrade does not compile, unless it declares
// `static constexpr bool auto_reversible = true;` and uses only reversible helpers.

#include <pgmig/operations.hpp>
#include <pgmig/revision.hpp>

#include <type_traits>

namespace pgmig::detail {

template <typename T>
concept has_upgrade = requires(T t, operations& op) {
    t.upgrade(op);
};

template <typename T>
concept has_downgrade = requires(T t, operations& op) {
    t.downgrade(op);
};

template <typename T>
constexpr bool declares_auto_reversible() {
    if constexpr (requires { T::auto_reversible; }) {
        return static_cast<bool>(T::auto_reversible);
    } else {
        return false;
    }
}

/// Constant: the hooks are set before any code runs, whatever the order of static
/// initialization.
template <typename T>
constexpr cpp_revision_hooks hooks_for() {
    cpp_revision_hooks hooks;
    hooks.upgrade = [](operations& op) {
        T revision{};
        revision.upgrade(op);
    };
    if constexpr (has_downgrade<T>) {
        hooks.downgrade = [](operations& op) {
            T revision{};
            revision.downgrade(op);
        };
    }
    hooks.auto_reversible = declares_auto_reversible<T>();
    return hooks;
}

} // namespace pgmig::detail

#ifndef PGMIG_REVISION_HOOKS
#error                                                                                             \
    "compile C++ revisions through pgmig_add_revisions(), which names their hooks (PGMIG_REVISION_HOOKS)"
#endif

/// Registers a C++ revision type; write it once, after the type, at namespace scope (a
/// semicolon after it is optional).
#define PGMIG_REVISION(type)                                                                       \
    static_assert(::pgmig::detail::has_upgrade<type>,                                              \
                  "pgmig: C++ revision '" #type "' must define "                                   \
                  "void upgrade(pgmig::operations&)");                                             \
    static_assert(::pgmig::detail::has_downgrade<type> ||                                          \
                      ::pgmig::detail::declares_auto_reversible<type>(),                           \
                  "pgmig: C++ revision '" #type "' has no downgrade: define "                      \
                  "void downgrade(pgmig::operations&) that undoes its upgrade (or declare "        \
                  "static constexpr bool auto_reversible = true; when the upgrade uses only "      \
                  "reversible helpers)");                                                          \
    extern const ::pgmig::cpp_revision_hooks PGMIG_REVISION_HOOKS;                                 \
    constinit const ::pgmig::cpp_revision_hooks PGMIG_REVISION_HOOKS =                             \
        ::pgmig::detail::hooks_for<type>();
