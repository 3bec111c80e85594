#[=======================================================================[.rst:
pgmig
-----

Schema migrations for PostgreSQL, registered and checked by CMake.

Load it with ``find_package(pgmig REQUIRED)`` on an installed pgmig, or with
``add_subdirectory(pgmig)`` on a source tree; both give the same commands and the same
target names (``pgmig::runtime``, ``pgmig::cli``, ``pgmig::compile``, ``pgmig::server``).

.. command:: pgmig_add_revisions

  Registers a revision set: a folder (or list) of ``.sql`` and ``.cpp`` revision files. ::

    pgmig_add_revisions(<set>
                        DIRECTORY <dir> | SOURCES <file>...
                        [IDENTITY <name>]
                        [SCHEMA <schema>]
                        [VERSION_TABLE <table>]
                        [HISTORY_TABLE <table>]
                        [TARGET_PREFIX <prefix>]
                        [LOCK_TIMEOUT <duration>]
                        [STATEMENT_TIMEOUT <duration>]
                        [LOCK_RETRIES <n>] [BACKUP_DIR <dir>]
                        [DEV_SERVER_DIR <dir>]
                        [SCHEMA_SOURCES <dir or file>...]
                        [POSTGRES_VERSION <major>]
                        [LINT_FROM <revision>]
                        [RELEASED <revision>]
                        [LINT_ENABLE <rule>...]
                        [LINT_DISABLE <rule>...]
                        [ALLOW_MULTIPLE_HEADS]
                        [ALLOW_IRREVERSIBLE]
                        [WARNINGS_AS_ERRORS])

  Every revision file is checked while the project builds; a file without a downgrade,
  with an SQL syntax error, or a set whose graph is broken fails the build with
  ``file:line: error: ...`` messages. Editing one revision regenerates and recompiles only
  that revision.

  It creates:

  ``<set>``
    A static library embedding every revision. Link it into the application and include
    ``<pgmig/sets/<set>.hpp>`` for ``pgmig::sets::<set>()``.
  ``<set>-migrate``
    The command-line tool with the revisions built in (``upgrade``, ``downgrade``,
    ``current``, ``history``, ...).
  ``<prefix>upgrade``, ``<prefix>downgrade``, ``<prefix>current``, ``<prefix>history``,
  ``<prefix>heads``, ``<prefix>check``, ``<prefix>sql``, ``<prefix>revision``,
  ``<prefix>schema_dump``, ``<prefix>drift``, ``<prefix>autogenerate`` (with
  ``SCHEMA_SOURCES``), ``<prefix>server_start``, ``<prefix>server_status``, ``<prefix>server_stop``
    Custom targets that run ``<set>-migrate`` against ``DATABASE_URL`` or, when it is unset,
    against a development server kept under the build tree (through
    ``pgmig-server dev run``). ``REV=<target>`` picks the target revision,
    ``MSG=<message>`` the message of ``<prefix>revision``.

  ``<set>``
    The set's name: letters, digits and ``_``, not starting with a digit (it names C++
    functions and targets).

  ``DIRECTORY <dir>``
    Every ``*.sql``, ``*.cpp``, ``*.cc`` and ``*.cxx`` file under ``<dir>`` (relative to the current source
    directory). A file added later is picked up by the next build.

  ``SOURCES <file>...``
    The revision files, listed one by one. Give ``DIRECTORY`` or ``SOURCES``, not both.

  ``SCHEMA_SOURCES <dir or file>...``
    The desired schema: plain SQL files (a directory stands for every ``*.sql`` under it, in
    name order) describing the state the database should reach. Each file is parsed while
    the project builds; ``<prefix>autogenerate`` (``MSG=...``) writes a revision that takes
    the head there, normalizing both sides on scratch databases of the development server.
    A file written by ``<set>-migrate schema-dump`` carries the head's schema fingerprint,
    which the build embeds: ``check --schema`` and ``pgmig::schema::check_live_schema()``
    compare a live database's schema with it.

  ``IDENTITY <name>``
    What the set's rows are called in the version and history tables, which several sets may
    share: a set reads and plans only its own rows. Default: the set's name. Two builds of
    one set (an older and a newer release built side by side) give the same identity.

  ``SCHEMA <schema>``
    Schema of the version and history tables. Default: ``PGMIG_SCHEMA`` or ``public``.

  ``VERSION_TABLE <table>``
    Table holding one row per applied head. Default: ``PGMIG_VERSION_TABLE`` or
    ``pgmig_version``.

  ``HISTORY_TABLE <table>``
    Table recording every step. Default: ``PGMIG_HISTORY_TABLE`` or ``pgmig_history``.

  ``TARGET_PREFIX <prefix>``
    Prefix of the custom targets, so several sets can live in one project. Default:
    ``PGMIG_TARGET_PREFIX`` or ``db_``.

  ``LOCK_TIMEOUT <duration>``, ``STATEMENT_TIMEOUT <duration>``
    Set-wide defaults for revisions without ``-- pgmig:lock-timeout`` /
    ``-- pgmig:statement-timeout`` (PostgreSQL durations such as ``5s``). Default: the
    ``PGMIG_LOCK_TIMEOUT`` / ``PGMIG_STATEMENT_TIMEOUT`` variables; else, for the lock
    timeout, 2 s for revisions that run in a transaction and the server's for the others, and
    the server's statement timeout.

  ``LOCK_RETRIES <n>``
    How many times a revision that runs in a transaction and hit its lock timeout is tried
    again, after waits of about 1, 2, 4 ... s (up to 30 s, with jitter). Default:
    ``PGMIG_LOCK_RETRIES`` or 3; 0 fails at the first timeout.

  ``BACKUP_DIR <dir or OFF>``
    Where ``<set>-migrate upgrade`` and ``downgrade`` put the ``pg_dump`` they take by default
    against a production database (``ENVIRONMENT=production``), on the machine that runs
    them: a relative path is taken from its working directory. ``OFF`` takes none by
    default (teams whose production backups are snapshots). ``--backup DIR`` and
    ``PGMIG_BACKUP_DIR`` take precedence, in every environment. Default: the CMake variable
    ``PGMIG_SET_BACKUP_DIR``, else ``pgmig-backups``.

  ``DEV_SERVER_DIR <dir>``
    Where the development server keeps its cluster. Default: ``PGMIG_DEV_SERVER_DIR`` or
    ``<build dir>/pgmig-dev-server``, shared by every set of the build.

  ``POSTGRES_VERSION <major>``
    The PostgreSQL major version the SQL is written for. Default: ``PGMIG_POSTGRES_VERSION``,
    else the version of the build's parser (libpg_query; PostgreSQL 15 on Debian 12). When it
    is newer than the parser, a statement the parser rejects (syntax it does not know yet,
    such as PostgreSQL 16's subquery without an alias) is a warning, not an error, and is
    embedded as written: the server it targets judges it, and the generated tests run it
    there. ``WARNINGS_AS_ERRORS`` leaves these warnings warnings.

  ``LINT_FROM <revision>``
    The first revision the lint judges (an id, a unique prefix or a branch label): the
    revisions below it are history, already run everywhere, and their findings are not
    printed. Errors (syntax, statements that cannot run as the revision runs them) are still
    reported everywhere.

  ``RELEASED <revision>``
    The newest revision that has shipped (production databases may be at it). Tables and
    indexes created after it are new wherever the later revisions run, so a later revision of
    the same change may index or alter them without the lint's locking warnings. Without it,
    only objects created in the same revision count as new.

  ``LINT_ENABLE <rule>...``, ``LINT_DISABLE <rule>...``
    Turn on rules that are off by default (``prefer-bigint``, ``prefer-identity``,
    ``prefer-text``, ``prefer-timestamptz``) and turn off others, for the whole set. See
    docs/lint.md for every rule.

  ``ALLOW_MULTIPLE_HEADS``
    Accept a graph with several heads (unmerged branches).

  ``ALLOW_IRREVERSIBLE``
    Accept ``-- pgmig:downgrade irreversible <reason>``.

  ``WARNINGS_AS_ERRORS``
    Turn lint warnings (operations that lose data, break running code or lock big tables)
    into errors. The build prints every finding that stands, then one summary line by rule.

  Example:

  .. code-block:: cmake

    find_package(pgmig REQUIRED)
    pgmig_add_revisions(app_db DIRECTORY migrations)
    add_executable(app main.cpp)
    target_link_libraries(app PRIVATE app_db)

.. command:: pgmig_add_tests

  Generates ctest cases that prove a set's revisions against a real PostgreSQL server. ::

    pgmig_add_tests(<set>
                    [SERVER auto|local|container|url]
                    [EXPECT <entry>...]
                    [EXPECT_FILE <file>]
                    [DATA_CHECKS <dir>]
                    [IMAGE <image>]
                    [CONTAINER_CLI docker|podman]
                    [CONTAINER_NETWORK publish|host]
                    [URL <connection string>]
                    [SERVER_TESTS <variable>]
                    [STAIRWAY_FROM <revision>]
                    [LOCKS report|rewrites|strict]
                    [NO_ROUNDTRIP] [NO_STAIRWAY])

  The tests run ``<set>-test``, an executable built with the set and the test harness (the
  deployable ``<set>-migrate`` carries neither the harness nor libpg_query). Call
  ``enable_testing()`` first; without it the tests are not seen, and a warning says so.

  Every test works in a database of its own on one server per ctest run (a fixture), so
  ``ctest -j`` is safe, and every name starts with the set's, so ``ctest -R '^<set>\.'``
  runs one set's tests (ctest adds the server fixture itself).

  ``<set>.graph``
    A single head unless the set allows several; every revision reversible, or a declared
    floor. Needs no server.
  ``<set>.roundtrip``
    empty -> upgrade heads -> downgrade base -> upgrade heads. Fails when anything of the set
    is left after the downgrade, or when the two upgrades give different schemas.
  ``<set>.stairway``
    For every revision, in the order upgrades apply them (branches and merges included):
    up, down, up, comparing schema snapshots. A failure names the revision and the objects,
    e.g. ``index public.users_email_idx left behind by downgrade of 4f1c2a9b7e10``.
    It also records what each revision's first upgrade locked, as the server's ``pg_locks``
    shows it before the commit, and which tables it rewrote (their file changed), among the
    tables that existed before it: ``<set>.locks`` in the build directory, one line per
    revision and table (see ``LOCKS``).
  ``<set>.expectations``
    With ``EXPECT`` or ``EXPECT_FILE``: after upgrade heads, the tables and columns exist, with the types and
    nullability given, according to information_schema.
  ``<set>.schema``
    When the set has ``SCHEMA_SOURCES``: the revisions, replayed to their heads, build the
    desired schema; else the test fails with the difference and the statements
    ``<prefix>autogenerate`` would write (Alembic's ``alembic check``). A schema fingerprint
    in the files must be the head's too (on a server of the same major version).

  ``SERVER``
    Where PostgreSQL comes from. Default: ``PGMIG_TEST_SERVER``, else ``auto``.
    ``local``: a throw-away cluster (initdb, fsync off, data on tmpfs, an initialized template
    cached under the build tree). ``container``: ``docker``/``podman run`` of ``IMAGE``,
    removed at the end. ``url``: an existing server (``URL`` or, at test time,
    ``PGMIG_TEST_DATABASE_URL``); tests create and drop their own databases. ``auto``: a
    container if an engine answers, else local, else a failing test that says what is
    missing.
  ``EXPECT <entry>...``
    Expected tables and columns, one per argument: ``users``, ``users.email``,
    ``users.email text not null``, ``app.users.id bigint``, ``table app.audit``.
  ``EXPECT_FILE <file>``
    The same, one per line of a file (relative to the current source directory); blank lines
    and ``#`` comments are skipped. May be combined with ``EXPECT``.
  ``DATA_CHECKS <dir>``
    SQL files named after a revision (an id or a unique prefix):
    ``<rev>.before.sql`` runs before its upgrade (seed data); every statement of
    ``<rev>.after_up.sql`` and ``<rev>.after_down.sql`` must return one row holding true.
  ``IMAGE``
    Container image. Default: ``PGMIG_TEST_IMAGE``, else ``postgres:16``.
  ``CONTAINER_CLI``
    ``docker`` or ``podman``. Default: ``PGMIG_CONTAINER_CLI``, else whichever answers.
  ``CONTAINER_NETWORK``
    ``publish`` (``-p 127.0.0.1::5432``, the default) or ``host``. Default:
    ``PGMIG_CONTAINER_NETWORK``.
  ``URL``
    The server for ``SERVER url``. Default: ``PGMIG_TEST_URL``, else
    ``PGMIG_TEST_DATABASE_URL`` in the environment when the tests run.
  ``STAIRWAY_FROM <revision>``
    Where proof starts, for a history whose old downgrades are known to be broken and will
    never run: the revisions below it are applied but not taken down and up again, and the
    round trip goes down only to it (it and what follows are proven). An id, a unique prefix
    or a branch label.
  ``LOCKS report|rewrites|strict``
    Which lock traces fail the stairway. ``rewrites`` (the default): a revision that rewrites
    a table that existed before it, unless it carries a ``safety-assured`` for
    ``alter-column-type``, ``volatile-default``, ``add-serial-column`` or ``truncate`` (a
    materialized view's refresh does not count). ``strict``: also a
    revision that takes an ACCESS EXCLUSIVE lock on such a table, unless it carries a
    ``safety-assured`` for any rule. ``report``: the report only.
  ``NO_ROUNDTRIP``, ``NO_STAIRWAY``
    Leave a test out.

  ``SERVER_TESTS <variable>``
    Sets ``<variable>`` in the caller's scope to the names of the server fixture's start and
    stop tests, for adding properties (``ENVIRONMENT``, ``FIXTURES_REQUIRED``).

  Example:

  .. code-block:: cmake

    pgmig_add_revisions(app_db DIRECTORY migrations)
    pgmig_add_tests(app_db SERVER local EXPECT "users.email text not null" "orders")

#]=======================================================================]

include_guard(GLOBAL)
# The functions below keep the policies of this block wherever they are called from.
cmake_policy(PUSH)
cmake_policy(VERSION 3.25)

# The revision file extensions: SQL, then C++. The tools keep the same list
# (revision_file_extensions() in <pgmig/revision.hpp>); a test checks that the two agree.
# A function, not a variable: the module may be included in another directory's scope.
function(_pgmig_revision_extensions out)
    set(${out} .sql .cpp .cc .cxx PARENT_SCOPE)
endfunction()


# keyword > variable (PGMIG_<KEYWORD> unless named) > built-in default
macro(_pgmig_default keyword fallback)
    set(_pgmig_variable PGMIG_${keyword})
    if(${ARGC} GREATER 2)
        set(_pgmig_variable ${ARGV2})
    endif()
    if(NOT DEFINED arg_${keyword})
        if(DEFINED ${_pgmig_variable})
            set(arg_${keyword} "${${_pgmig_variable}}")
        else()
            set(arg_${keyword} "${fallback}")
        endif()
    endif()
endmacro()

function(pgmig_add_revisions set)
    cmake_parse_arguments(PARSE_ARGV 1 arg
        "ALLOW_MULTIPLE_HEADS;ALLOW_IRREVERSIBLE;WARNINGS_AS_ERRORS"
        "DIRECTORY;IDENTITY;SCHEMA;VERSION_TABLE;HISTORY_TABLE;TARGET_PREFIX;LOCK_TIMEOUT;STATEMENT_TIMEOUT;LOCK_RETRIES;BACKUP_DIR;DEV_SERVER_DIR;POSTGRES_VERSION;LINT_FROM;RELEASED"
        "SOURCES;SCHEMA_SOURCES;LINT_ENABLE;LINT_DISABLE")
    set(usage "write pgmig_add_revisions(<set> DIRECTORY <dir>) or pgmig_add_revisions(<set> SOURCES <files>...)")
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "pgmig_add_revisions(${set}): unknown argument(s) '${arg_UNPARSED_ARGUMENTS}'; ${usage} with the options documented in pgmig.cmake")
    endif()
    string(MAKE_C_IDENTIFIER "${set}" set_ident)
    if(NOT set STREQUAL set_ident OR set MATCHES "^[0-9]")
        message(FATAL_ERROR "pgmig_add_revisions(${set}): the set name names C++ functions and targets, so it must be letters, digits and _ (for example '${set_ident}')")
    endif()
    if(TARGET ${set})
        message(FATAL_ERROR "pgmig_add_revisions(${set}): a target named '${set}' already exists; choose another set name")
    endif()
    if(DEFINED arg_DIRECTORY AND DEFINED arg_SOURCES)
        message(FATAL_ERROR "pgmig_add_revisions(${set}): give DIRECTORY or SOURCES, not both")
    endif()
    if(NOT DEFINED arg_DIRECTORY AND NOT DEFINED arg_SOURCES)
        message(FATAL_ERROR "pgmig_add_revisions(${set}): no revisions; ${usage}")
    endif()
    if(NOT arg_IDENTITY)
        set(arg_IDENTITY "${set}") # no project-wide default: each set has its own
    endif()
    _pgmig_default(SCHEMA public)
    _pgmig_default(VERSION_TABLE pgmig_version)
    _pgmig_default(HISTORY_TABLE pgmig_history)
    _pgmig_default(TARGET_PREFIX db_)
    _pgmig_default(LOCK_TIMEOUT "")
    _pgmig_default(STATEMENT_TIMEOUT "")
    _pgmig_default(LOCK_RETRIES 3)
    if(NOT arg_LOCK_RETRIES MATCHES "^[0-9]+$" OR arg_LOCK_RETRIES GREATER 100)
        message(FATAL_ERROR "pgmig_add_revisions(${set}): LOCK_RETRIES '${arg_LOCK_RETRIES}' is not a number of retries from 0 to 100")
    endif()
    # Not PGMIG_BACKUP_DIR: that environment variable asks the CLI for a backup at run time.
    _pgmig_default(BACKUP_DIR pgmig-backups PGMIG_SET_BACKUP_DIR)
    if(arg_BACKUP_DIR STREQUAL "OFF")
        set(arg_BACKUP_DIR "")
    endif()
    _pgmig_default(DEV_SERVER_DIR "${CMAKE_BINARY_DIR}/pgmig-dev-server")
    _pgmig_default(POSTGRES_VERSION "")
    if(NOT arg_POSTGRES_VERSION STREQUAL "" AND NOT arg_POSTGRES_VERSION MATCHES "^(9|[1-9][0-9])$")
        message(FATAL_ERROR "pgmig_add_revisions(${set}): POSTGRES_VERSION '${arg_POSTGRES_VERSION}' is not a PostgreSQL major version; write the major alone, for example POSTGRES_VERSION 17")
    endif()
    foreach(flag IN ITEMS ALLOW_MULTIPLE_HEADS ALLOW_IRREVERSIBLE WARNINGS_AS_ERRORS)
        if(NOT arg_${flag} AND PGMIG_${flag})
            set(arg_${flag} TRUE)
        endif()
    endforeach()

    # The revision files, in a stable order: the order plans fall back on between branches.
    if(DEFINED arg_DIRECTORY)
        cmake_path(ABSOLUTE_PATH arg_DIRECTORY BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE source_dir)
        if(NOT IS_DIRECTORY "${source_dir}")
            message(FATAL_ERROR "pgmig_add_revisions(${set}): DIRECTORY '${arg_DIRECTORY}' does not exist (looked for ${source_dir})")
        endif()
        _pgmig_revision_extensions(extensions)
        set(patterns "")
        foreach(ext IN LISTS extensions)
            list(APPEND patterns "${source_dir}/*${ext}")
        endforeach()
        file(GLOB_RECURSE files CONFIGURE_DEPENDS LIST_DIRECTORIES false ${patterns})
    else()
        set(files "")
        foreach(file IN LISTS arg_SOURCES)
            cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
            if(NOT EXISTS "${file}")
                message(FATAL_ERROR "pgmig_add_revisions(${set}): revision file '${file}' does not exist")
            endif()
            cmake_path(GET file EXTENSION LAST_ONLY ext)
            _pgmig_revision_extensions(extensions)
            if(NOT ext IN_LIST extensions)
                string(REPLACE ";" ", " known "${extensions}")
                message(FATAL_ERROR "pgmig_add_revisions(${set}): '${file}' is not a revision file; revision files end in ${known}")
            endif()
            list(APPEND files "${file}")
        endforeach()
        list(GET files 0 first)
        cmake_path(GET first PARENT_PATH source_dir)
    endif()
    list(SORT files)

    set(gen_dir "${CMAKE_CURRENT_BINARY_DIR}/pgmig/${set}")
    set(syntax_flags "")
    if(arg_POSTGRES_VERSION)
        set(syntax_flags --postgres-version ${arg_POSTGRES_VERSION})
    endif()
    set(compile_flags ${syntax_flags})
    set(lint_flags --name ${set})
    if(arg_WARNINGS_AS_ERRORS)
        list(APPEND compile_flags --warnings-as-errors)
        list(APPEND lint_flags --warnings-as-errors)
    endif()
    if(arg_LOCK_TIMEOUT)
        list(APPEND compile_flags --set-lock-timeout ${arg_LOCK_TIMEOUT})
    endif()
    foreach(keyword IN ITEMS LINT_FROM RELEASED LINT_ENABLE LINT_DISABLE)
        if(arg_${keyword})
            string(TOLOWER "${keyword}" option)
            string(REPLACE "_" "-" option "${option}")
            list(APPEND lint_flags --${option} ${arg_${keyword}})
        endif()
    endforeach()
    set(graph_flags "")
    if(arg_ALLOW_MULTIPLE_HEADS)
        list(APPEND graph_flags --allow-multiple-heads)
    endif()
    if(arg_ALLOW_IRREVERSIBLE)
        list(APPEND graph_flags --allow-irreversible)
    endif()

    set(generated "")
    set(metas "")
    set(cpp_revisions "")
    set(symbols "")
    foreach(file IN LISTS files)
        cmake_path(RELATIVE_PATH file BASE_DIRECTORY "${source_dir}" OUTPUT_VARIABLE rel)
        # What the program and the history table call the file: the set's folder and below,
        # never the build machine's absolute path.
        cmake_path(GET source_dir PARENT_PATH source_parent)
        cmake_path(RELATIVE_PATH file BASE_DIRECTORY "${source_parent}" OUTPUT_VARIABLE display)
        string(SHA1 hash "${file}")
        string(SUBSTRING "${hash}" 0 8 hash)
        string(MAKE_C_IDENTIFIER "${rel}" ident)
        set(symbol "pgmig_${set}_${ident}_${hash}")
        set(out_cpp "${gen_dir}/revisions/${ident}_${hash}.cpp")
        set(out_meta "${gen_dir}/revisions/${ident}_${hash}.json")
        set(hooks_args "")
        if(NOT file MATCHES "\\.sql$")
            # The revision's own code is compiled into the set's library through a wrapper
            # that names its hooks object: the macro PGMIG_REVISION(type) in it defines the
            # object under that name. A wrapper, not a source property: the same file may
            # belong to two sets of one directory.
            set(code "${gen_dir}/revisions/${ident}_${hash}_code.cpp")
            file(CONFIGURE OUTPUT "${code}" CONTENT
                "// Generated by pgmig_add_revisions(${set}). Do not edit.\n#define PGMIG_REVISION_HOOKS ${symbol}_hooks\n#include \"${file}\"\n")
            list(APPEND hooks_args --hooks-symbol "${symbol}_hooks")
            list(APPEND cpp_revisions "${code}")
        endif()
        add_custom_command(
            OUTPUT "${out_cpp}" "${out_meta}"
            COMMAND pgmig::compile revision "${file}" --symbol "${symbol}" ${hooks_args}
                    --display-path "${display}"
                    --output-cpp "${out_cpp}" --output-meta "${out_meta}" ${compile_flags}
            DEPENDS "${file}" pgmig::compile
            COMMENT "pgmig: checking ${set}/${rel}"
            VERBATIM)
        list(APPEND generated "${out_cpp}")
        list(APPEND metas "${out_meta}")
        list(APPEND symbols "${symbol}")
    endforeach()

    # The graph check reads every revision's metadata; a list file keeps its command short.
    string(REPLACE ";" "\n" meta_lines "${metas}")
    file(CONFIGURE OUTPUT "${gen_dir}/revisions.list" CONTENT "${meta_lines}\n" @ONLY)
    add_custom_command(
        OUTPUT "${gen_dir}/graph.stamp"
        COMMAND pgmig::compile graph --list "${gen_dir}/revisions.list" --stamp "${gen_dir}/graph.stamp" ${graph_flags} ${lint_flags}
        DEPENDS ${metas} "${gen_dir}/revisions.list" pgmig::compile
        COMMENT "pgmig: checking the revision graph of ${set}"
        VERBATIM)

    # The set's index: its settings and the revisions' symbols, written by pgmig-compile (the
    # one owner of C++ escaping). It only changes when files are added or removed, or a setting
    # changes, so editing a revision recompiles that revision alone.
    # A schema-dump among the SCHEMA_SOURCES gives the set its schema fingerprint.
    _pgmig_check_schema_sources(${set} "${gen_dir}" "${syntax_flags}" schema_sources
                                schema_stamps schema_files ${arg_SCHEMA_SOURCES})
    set(schema_flags "")
    if(schema_files)
        set(schema_flags --schema-files ${schema_files})
    endif()
    string(REPLACE ";" "\n" symbol_lines "${symbols}")
    file(CONFIGURE OUTPUT "${gen_dir}/symbols.list" CONTENT "${symbol_lines}\n" @ONLY)
    add_custom_command(
        OUTPUT "${gen_dir}/index.cpp"
        COMMAND pgmig::compile index --name "${set}" --identity "${arg_IDENTITY}"
                --symbols "${gen_dir}/symbols.list"
                --output "${gen_dir}/index.cpp" --schema "${arg_SCHEMA}"
                --version-table "${arg_VERSION_TABLE}" --history-table "${arg_HISTORY_TABLE}"
                --source-dir "${source_dir}" --lock-timeout "${arg_LOCK_TIMEOUT}"
                --statement-timeout "${arg_STATEMENT_TIMEOUT}" --lock-retries "${arg_LOCK_RETRIES}"
                --backup-dir "${arg_BACKUP_DIR}"
                ${graph_flags} ${schema_flags}
        DEPENDS "${gen_dir}/symbols.list" pgmig::compile ${schema_files}
        COMMENT "pgmig: indexing ${set}"
        VERBATIM)
    set(PGMIG_SET_NAME "${set}")
    configure_file("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/templates/set_header.hpp.in" "${gen_dir}/include/pgmig/sets/${set}.hpp" @ONLY)

    add_library(${set} STATIC ${generated} ${cpp_revisions} "${gen_dir}/index.cpp" "${gen_dir}/graph.stamp"
        ${schema_stamps})
    target_link_libraries(${set} PUBLIC pgmig::runtime)
    target_include_directories(${set} PUBLIC "${gen_dir}/include")

    # The command-line tool with the revisions built in.
    configure_file("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/templates/set_cli.cpp.in" "${gen_dir}/migrate.cpp" @ONLY)
    add_executable(${set}-migrate "${gen_dir}/migrate.cpp")
    target_link_libraries(${set}-migrate PRIVATE ${set} pgmig::cli)

    # pgmig_add_tests adds <set>.schema when there is a desired schema.
    set_property(TARGET ${set} PROPERTY PGMIG_SCHEMA_SOURCES "${schema_sources}")
    _pgmig_add_db_targets(${set} "${arg_TARGET_PREFIX}" "${arg_DEV_SERVER_DIR}" "${schema_sources}")
endfunction()

# SCHEMA_SOURCES: every .sql file of the desired schema is parsed while the project builds, as
# revisions are (syntax errors at file:line). Sets <sources_out> to the absolute paths given,
# <stamps_out> to the check's outputs, for the set's library to depend on, and <files_out> to
# the .sql files found.
function(_pgmig_check_schema_sources set gen_dir syntax_flags sources_out stamps_out files_out)
    set(sources "")
    set(stamps "")
    set(files "")
    set(n 0)
    foreach(source IN LISTS ARGN)
        cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
        if(IS_DIRECTORY "${source}")
            file(GLOB_RECURSE found CONFIGURE_DEPENDS LIST_DIRECTORIES false "${source}/*.sql")
            list(SORT found)
        elseif(EXISTS "${source}")
            set(found "${source}")
        else()
            message(FATAL_ERROR "pgmig_add_revisions(${set}): SCHEMA_SOURCES '${source}' does not exist")
        endif()
        if(NOT found)
            message(FATAL_ERROR "pgmig_add_revisions(${set}): SCHEMA_SOURCES '${source}' holds no .sql file")
        endif()
        list(APPEND sources "${source}")
        list(APPEND files ${found})
        foreach(file IN LISTS found)
            math(EXPR n "${n} + 1")
            cmake_path(RELATIVE_PATH file BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" OUTPUT_VARIABLE display)
            set(stamp "${gen_dir}/schema/${n}.stamp")
            add_custom_command(
                OUTPUT "${stamp}"
                COMMAND pgmig::compile schema "${file}" --stamp "${stamp}" --display-path "${display}"
                        ${syntax_flags}
                DEPENDS "${file}" pgmig::compile
                COMMENT "pgmig: checking ${display}"
                VERBATIM)
            list(APPEND stamps "${stamp}")
        endforeach()
    endforeach()
    set(${sources_out} "${sources}" PARENT_SCOPE)
    set(${stamps_out} "${stamps}" PARENT_SCOPE)
    set(${files_out} "${files}" PARENT_SCOPE)
endfunction()

# The <prefix>upgrade, ... custom targets: they run <set>-migrate through `pgmig-server dev run`,
# which points DATABASE_URL at the development server unless it is set; REV and MSG from the
# environment fill in the target and the message.
function(_pgmig_add_db_targets set prefix dev_server_dir schema_sources)
    set(tool $<TARGET_FILE:${set}-migrate>)
    set(dev pgmig::server dev)
    set(dev_args --home "${dev_server_dir}" --database "${set}")
    set(migrate ${dev} run ${dev_args} -- ${tool} --from-env)
    _pgmig_db_target(${set} ${prefix}upgrade "apply revisions up to REV (default: heads)"
        ${migrate} upgrade)
    _pgmig_db_target(${set} ${prefix}downgrade "revert revisions down to REV (default: -1)"
        ${migrate} downgrade)
    _pgmig_db_target(${set} ${prefix}current "show the revisions the database is at"
        ${migrate} current)
    _pgmig_db_target(${set} ${prefix}history "list revisions, newest first, marking the current ones"
        ${migrate} history --indicate-current)
    _pgmig_db_target(${set} ${prefix}heads "list the heads of the revision graph"
        ${tool} heads)
    _pgmig_db_target(${set} ${prefix}check "fail unless the database is at the heads"
        ${migrate} check)
    _pgmig_db_target(${set} ${prefix}sql "print the SQL of an upgrade to REV (default: heads) from base, or of REV=FROM:TO"
        ${tool} --from-env upgrade --sql)
    _pgmig_db_target(${set} ${prefix}revision "write a new revision file from MSG=..."
        ${tool} --from-env revision)
    _pgmig_db_target(${set} ${prefix}schema_dump "print the schema the revisions build, as SQL"
        ${migrate} schema-dump)
    _pgmig_db_target(${set} ${prefix}drift "compare the database's schema with what its revisions build"
        ${migrate} drift)
    if(schema_sources)
        _pgmig_db_target(${set} ${prefix}autogenerate "write a revision from the head to the desired schema (MSG=...)"
            ${migrate} revision --autogenerate --schema-sources ${schema_sources})
        _pgmig_db_target(${set} ${prefix}schema_check "fail unless the revisions build the desired schema"
            ${migrate} schema-check --schema-sources ${schema_sources})
    endif()
    _pgmig_db_target(${set} ${prefix}server_start "start the development server"
        ${dev} start ${dev_args})
    _pgmig_db_target(${set} ${prefix}server_status "say whether the development server runs and where it lives"
        ${dev} status ${dev_args})
    _pgmig_db_target(${set} ${prefix}server_stop "stop the development server"
        ${dev} stop ${dev_args})
endfunction()

# One db_* target: the command follows the comment.
function(_pgmig_db_target set target comment)
    if(TARGET ${target})
        message(FATAL_ERROR "pgmig_add_revisions(${set}): target '${target}' already exists; give each set its own TARGET_PREFIX (e.g. TARGET_PREFIX ${set}_)")
    endif()
    add_custom_target(${target} COMMAND ${ARGN} COMMENT "${set}: ${comment}" USES_TERMINAL VERBATIM)
endfunction()

# <set>-test: the set with the test harness, kept out of the deployable <set>-migrate.
function(_pgmig_add_test_tool set)
    set(PGMIG_SET_NAME "${set}")
    set(gen_dir "${CMAKE_CURRENT_BINARY_DIR}/pgmig/${set}")
    configure_file("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/templates/set_test.cpp.in" "${gen_dir}/test.cpp" @ONLY)
    add_executable(${set}-test "${gen_dir}/test.cpp")
    target_link_libraries(${set}-test PRIVATE ${set} pgmig::testing)
    # Through add_subdirectory(... EXCLUDE_FROM_ALL) the server tool is not built by default;
    # the fixture needs it, so building the set's tests builds it too.
    get_target_property(server_tool pgmig::server ALIASED_TARGET)
    if(server_tool)
        add_dependencies(${set}-test ${server_tool})
    endif()
endfunction()

function(pgmig_add_tests set)
    cmake_parse_arguments(PARSE_ARGV 1 arg "NO_ROUNDTRIP;NO_STAIRWAY"
        "SERVER;IMAGE;CONTAINER_CLI;CONTAINER_NETWORK;URL;DATA_CHECKS;EXPECT_FILE;SERVER_TESTS;STAIRWAY_FROM;LOCKS" "EXPECT")
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "pgmig_add_tests(${set}): unknown argument(s) '${arg_UNPARSED_ARGUMENTS}'; see the keywords documented in pgmig.cmake")
    endif()
    if(NOT TARGET ${set}-migrate)
        message(FATAL_ERROR "pgmig_add_tests(${set}): no revision set '${set}'; call pgmig_add_revisions(${set} ...) first")
    endif()
    _pgmig_default(SERVER auto PGMIG_TEST_SERVER)
    _pgmig_default(IMAGE "" PGMIG_TEST_IMAGE)
    _pgmig_default(CONTAINER_CLI "" PGMIG_CONTAINER_CLI)
    _pgmig_default(CONTAINER_NETWORK publish PGMIG_CONTAINER_NETWORK)
    _pgmig_default(URL "" PGMIG_TEST_URL)
    if(NOT arg_SERVER MATCHES "^(auto|local|container|url)$")
        message(FATAL_ERROR "pgmig_add_tests(${set}): SERVER must be auto, local, container or url, not '${arg_SERVER}'")
    endif()

    if(NOT TARGET pgmig::testing OR NOT TARGET pgmig::pg_query)
        message(FATAL_ERROR "pgmig_add_tests(${set}): the generated tests need libpg_query, which was not found (Debian: apt-get install libpg-query-dev)")
    endif()
    if(TARGET ${set}-test)
        message(FATAL_ERROR "pgmig_add_tests(${set}): tests for '${set}' are already added")
    endif()

    _pgmig_add_test_tool(${set})
    if(NOT CMAKE_TESTING_ENABLED)
        message(WARNING "pgmig_add_tests(${set}): testing is not enabled in this directory, so ctest will not see these tests; call enable_testing() (or include(CTest)) before pgmig_add_tests")
    endif()

    # One server per kind and settings, shared by every set's tests in this build.
    string(MD5 key "${arg_SERVER}|${arg_IMAGE}|${arg_CONTAINER_CLI}|${arg_CONTAINER_NETWORK}|${arg_URL}")
    string(SUBSTRING "${key}" 0 8 key)
    set(fixture pgmig_server_${arg_SERVER}_${key})
    set(server_dir "${CMAKE_BINARY_DIR}/pgmig-test-servers/${arg_SERVER}-${key}")
    set(state "${server_dir}/state")
    get_property(defined GLOBAL PROPERTY PGMIG_FIXTURE_${fixture} SET)
    if(NOT defined)
        set_property(GLOBAL PROPERTY PGMIG_FIXTURE_${fixture} TRUE)
        set(provider_args --provider ${arg_SERVER})
        if(arg_SERVER MATCHES "^(local|auto)$")
            list(APPEND provider_args --home "${server_dir}/home" --throwaway --tmpfs
                 --template "${CMAKE_BINARY_DIR}/pgmig-test-servers/template")
        endif()
        if(arg_SERVER MATCHES "^(container|auto)$")
            if(arg_IMAGE)
                list(APPEND provider_args --image "${arg_IMAGE}")
            endif()
            if(arg_CONTAINER_CLI)
                list(APPEND provider_args --engine "${arg_CONTAINER_CLI}")
            endif()
            list(APPEND provider_args --network "${arg_CONTAINER_NETWORK}")
        endif()
        if(arg_SERVER STREQUAL "url" AND arg_URL)
            list(APPEND provider_args --url "${arg_URL}")
        endif()
        add_test(NAME pgmig.server.${arg_SERVER}.${key}.start
            COMMAND $<TARGET_FILE:pgmig::server> start --state "${state}" ${provider_args})
        set_tests_properties(pgmig.server.${arg_SERVER}.${key}.start PROPERTIES
            FIXTURES_SETUP ${fixture} LABELS pgmig)
        add_test(NAME pgmig.server.${arg_SERVER}.${key}.stop
            COMMAND $<TARGET_FILE:pgmig::server> stop --state "${state}")
        set_tests_properties(pgmig.server.${arg_SERVER}.${key}.stop PROPERTIES
            FIXTURES_CLEANUP ${fixture} LABELS pgmig)
    endif()

    set(from_args "")
    if(arg_STAIRWAY_FROM)
        set(from_args --from "${arg_STAIRWAY_FROM}")
    endif()
    add_test(NAME ${set}.graph COMMAND ${set}-test graph)
    set(tests ${set}.graph)
    if(NOT arg_NO_ROUNDTRIP)
        add_test(NAME ${set}.roundtrip COMMAND ${set}-test --server-state "${state}" ${from_args} roundtrip)
        list(APPEND tests ${set}.roundtrip)
    endif()
    if(NOT arg_NO_STAIRWAY)
        set(data_args "")
        if(arg_DATA_CHECKS)
            cmake_path(ABSOLUTE_PATH arg_DATA_CHECKS BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
            set(data_args --data-dir "${arg_DATA_CHECKS}")
        endif()
        if(NOT arg_LOCKS)
            set(arg_LOCKS rewrites)
        endif()
        if(NOT arg_LOCKS MATCHES "^(report|rewrites|strict)$")
            message(FATAL_ERROR "pgmig_add_tests(${set}): LOCKS must be report, rewrites or strict, not '${arg_LOCKS}'")
        endif()
        add_test(NAME ${set}.stairway COMMAND ${set}-test --server-state "${state}" ${data_args} ${from_args}
                 --locks ${arg_LOCKS} --locks-report "${CMAKE_CURRENT_BINARY_DIR}/${set}.locks" stairway)
        list(APPEND tests ${set}.stairway)
    endif()
    if(DEFINED arg_EXPECT OR DEFINED arg_EXPECT_FILE)
        set(expect_args "")
        if(DEFINED arg_EXPECT_FILE)
            cmake_path(ABSOLUTE_PATH arg_EXPECT_FILE BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
            if(NOT EXISTS "${arg_EXPECT_FILE}" OR IS_DIRECTORY "${arg_EXPECT_FILE}")
                message(FATAL_ERROR "pgmig_add_tests(${set}): EXPECT_FILE '${arg_EXPECT_FILE}' is not a file")
            endif()
            set(expect_args --expect-file "${arg_EXPECT_FILE}")
        endif()
        foreach(entry IN LISTS arg_EXPECT)
            list(APPEND expect_args --expect "${entry}")
        endforeach()
        add_test(NAME ${set}.expectations COMMAND ${set}-test --server-state "${state}" ${expect_args} expectations)
        list(APPEND tests ${set}.expectations)
    endif()
    get_target_property(schema_sources ${set} PGMIG_SCHEMA_SOURCES)
    if(schema_sources)
        add_test(NAME ${set}.schema
            COMMAND ${set}-test --server-state "${state}" schema --schema-sources ${schema_sources})
        list(APPEND tests ${set}.schema)
    endif()
    set_tests_properties(${tests} PROPERTIES LABELS "pgmig;generated;${set}")
    list(REMOVE_ITEM tests ${set}.graph)
    if(tests)
        set_tests_properties(${tests} PROPERTIES FIXTURES_REQUIRED ${fixture})
    endif()
    # For callers that must add to the server's setup (an image to build, an environment).
    if(DEFINED arg_SERVER_TESTS)
        set(${arg_SERVER_TESTS} pgmig.server.${arg_SERVER}.${key}.start pgmig.server.${arg_SERVER}.${key}.stop PARENT_SCOPE)
    endif()
endfunction()

cmake_policy(POP)
