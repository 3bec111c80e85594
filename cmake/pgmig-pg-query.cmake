# libpg_query, the real PostgreSQL parser, as the imported target pgmig::pg_query: for the
# build-time tools in pgmig's own build, and for the test tools an installed pgmig builds in a
# consuming project. Found where the machine has it, so the installed package is relocatable.
# Static, so the compiler, which CMake runs once per revision file, starts quickly.
if(NOT TARGET pgmig::pg_query)
    find_path(PGMIG_PG_QUERY_INCLUDE_DIR pg_query.h)
    find_library(PGMIG_PG_QUERY_LIBRARY NAMES libpg_query.a pg_query)
    if(PGMIG_PG_QUERY_INCLUDE_DIR AND PGMIG_PG_QUERY_LIBRARY)
        find_package(Threads REQUIRED)
        add_library(pgmig::pg_query UNKNOWN IMPORTED GLOBAL)
        set_target_properties(pgmig::pg_query PROPERTIES
            IMPORTED_LOCATION "${PGMIG_PG_QUERY_LIBRARY}"
            INTERFACE_INCLUDE_DIRECTORIES "${PGMIG_PG_QUERY_INCLUDE_DIR}"
            INTERFACE_LINK_LIBRARIES Threads::Threads)
    endif()
endif()
