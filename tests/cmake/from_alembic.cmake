# The way in for a team that runs Alembic today, end to end with real Alembic: convert the
# Alembic project in tests/alembic (branches, a merge, depends_on, a data migration), see the
# stub stop the build until the data migration is ported, build the set, and show on the test
# server that pgmig's revisions build the schema and data Alembic builds; that pgmig takes over
# a database Alembic migrated part-way and goes on from there; and that pgmig's version rows
# match alembic_version after the same commands. Skips, saying so, without Alembic.
#   cmake -DWORK=<dir> -DPROJECT=<tests/alembic/project> -DPORTED=<tests/alembic/ported>
#         -DCONVERTER=<pgmig-from-alembic> -DPGMIG_DIR=<dir> -DGENERATOR=<g> -DCOMPILER=<c++>
#         -DSERVER_STATE=<file> -DSERVER_TOOL=<pgmig-server> -P from_alembic.cmake

# Alembic's own interpreter (the one its script names), so that a Python of another install
# earlier on PATH does not hide it.
find_program(alembic_tool alembic)
if(alembic_tool)
    file(STRINGS ${alembic_tool} shebang LIMIT_COUNT 1)
    string(REGEX REPLACE "^#! *" "" python "${shebang}")
    separate_arguments(python)
    execute_process(COMMAND ${python} -c "import alembic, psycopg2" RESULT_VARIABLE importable
                    OUTPUT_QUIET ERROR_QUIET)
endif()
if(NOT alembic_tool OR NOT importable EQUAL 0)
    message("pgmig-test-skip: Alembic with psycopg2 is not installed (apt install alembic "
            "python3-psycopg2); the conversion and takeover were not tried")
    return()
endif()

include(${CMAKE_CURRENT_LIST_DIR}/run_command.cmake)

function(expect_match text regex what)
    if(NOT text MATCHES "${regex}")
        message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
    endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
file(COPY ${PROJECT}/ DESTINATION ${WORK}/alembic)
set(migrations ${WORK}/app/migrations)

# 1. Convert.
run(ok ${python} ${CONVERTER} -c ${WORK}/alembic/alembic.ini --out ${migrations})
expect_match("${out}" "Converted 7 revisions" "the summary")
expect_match("${out}" "1 revision needs a C[+][+] revision.*0003_e5e5e5e5e505_[a-z_]+[.]cpp: from e5e5e5e5e505_invoice_numbers[.]py"
             "the data migration is listed")
expect_match("${out}" "0007_a7a7a7a7a707_[a-z_]+[.]sql: transaction off" "the autocommit block")
file(GLOB stub ${migrations}/0003_e5e5e5e5e505_*.cpp)
file(READ ${stub} text)
expect_match("${text}" "// pgmig:revision e5e5e5e5e505\n// pgmig:revises b2b2b2b2b202\n" "the stub's header")
expect_match("${text}" "#error \"port e5e5e5e5e505_invoice_numbers[.]py to C[+][+]" "the stub's #error")
file(GLOB dependant ${migrations}/0005_d4d4d4d4d404_*.sql)
file(READ ${dependant} text)
expect_match("${text}" "pgmig:revises c3c3c3c3c303\n-- pgmig:depends-on b2b2b2b2b202\n" "depends_on")
file(GLOB billing ${migrations}/0002_b2b2b2b2b202_*.sql)
file(READ ${billing} text)
expect_match("${text}" "pgmig:branch-labels billing\n-- pgmig:message Invoices, with the first ones\n"
             "labels and message")
file(GLOB merge ${migrations}/0006_f6f6f6f6f606_*.sql)
file(READ ${merge} text)
expect_match("${text}" "pgmig:revises d4d4d4d4d404 e5e5e5e5e505\n-- pgmig:message" "the merge")

# 2. Build: the stub stops it, naming itself; the port lets it through.
file(WRITE ${WORK}/app/CMakeLists.txt [[
cmake_minimum_required(VERSION 3.25)
project(from_alembic LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(app DIRECTORY migrations)
]])
run(ok ${CMAKE_COMMAND} -S ${WORK}/app -B ${WORK}/build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${COMPILER} -DCMAKE_PREFIX_PATH=${PGMIG_DIR}/../../..)
run(fail ${CMAKE_COMMAND} --build ${WORK}/build)
expect_match("${all}" "0003_e5e5e5e5e505_[a-z_]+[.]cpp:[0-9]+:[0-9]+: error: #error \"port e5e5e5e5e505_invoice_numbers"
             "the stub's build error")
file(GLOB port ${PORTED}/*.cpp)
file(COPY_FILE ${port} ${stub})
run(ok ${CMAKE_COMMAND} --build ${WORK}/build)
set(app ${WORK}/build/app-migrate)

# 3. Databases on the test server, for pgmig (key=value) and for SQLAlchemy (a URL).
execute_process(COMMAND ${SERVER_TOOL} url --state ${SERVER_STATE} OUTPUT_VARIABLE url
    OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
foreach(key IN ITEMS host port user password)
    set(${key} "")
    if(url MATCHES "(^| )${key}=([^ ]+)")
        set(${key} "${CMAKE_MATCH_2}")
    endif()
endforeach()
if(password)
    set(password ":${password}")
endif()
function(use_database db)
    run(ok psql -X -q -d "${url}" -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}")
    set(ENV{DATABASE_URL} "${url} dbname=${db}")
    set(ENV{ALEMBIC_URL} "postgresql://${user}${password}@/${db}?host=${host}&port=${port}")
endfunction()
set(data_query "SELECT string_agg(id || ':' || number, ',' ORDER BY id) FROM invoices")
function(alembic)
    run(ok ${python} ${alembic_tool} -c ${WORK}/alembic/alembic.ini ${ARGN})
    set(out "${out}" PARENT_SCOPE)
endfunction()
function(query sql)
    run(ok psql -X -q -At -d "$ENV{DATABASE_URL}" -c "${sql}")
    set(out "${out}" PARENT_SCOPE)
endfunction()
string(REPEAT "[0-9a-f]" 12 revision_id)
function(revisions_in text var)
    string(REGEX MATCHALL "${revision_id}" ids "${text}")
    list(SORT ids)
    set(${var} "${ids}" PARENT_SCOPE)
endfunction()

# 4. A database Alembic built whole: taken over, and pgmig's revisions build the same schema.
use_database(from_alembic_whole)
alembic(upgrade heads)
query("${data_query}")
set(alembic_data "${out}")
expect_match("${alembic_data}" "1:INV-00001,2:INV-00002,7:INV-00007" "Alembic's data migration")
run(ok ${app} stamp --from-alembic --drop-alembic-table)
run(ok ${app} check)
run(ok ${app} drift)
expect_match("${out}" "No drift" "drift after taking over a whole Alembic database")

# 5. A new database built by pgmig alone: the same data.
use_database(from_alembic_fresh)
run(ok ${app} upgrade heads)
query("${data_query}")
if(NOT out STREQUAL alembic_data)
    message(FATAL_ERROR "pgmig's data: ${out}, Alembic's: ${alembic_data}")
endif()

# 6. A database Alembic left part-way (one branch, its dependency): pgmig goes on from there.
use_database(from_alembic_part)
alembic(upgrade d4d4d4d4d404)
alembic(current)
revisions_in("${out}" alembic_rows)
run(ok ${app} stamp --from-alembic --drop-alembic-table)
run(ok ${app} current)
revisions_in("${out}" pgmig_rows)
if(NOT pgmig_rows STREQUAL alembic_rows OR NOT pgmig_rows STREQUAL "b2b2b2b2b202;d4d4d4d4d404")
    message(FATAL_ERROR "after the takeover pgmig is at ${pgmig_rows}, Alembic was at ${alembic_rows}")
endif()
run(ok ${app} upgrade heads)
run(ok ${app} drift)
query("${data_query}")
if(NOT out STREQUAL alembic_data)
    message(FATAL_ERROR "after going on: ${out}, Alembic's: ${alembic_data}")
endif()

# 7. The same commands through both tools, on two databases: after each, the same version rows
# (alembic_version and pgmig's version table) and the same `current`.
use_database(rows_alembic)
set(alembic_env "$ENV{ALEMBIC_URL}")
set(alembic_db "$ENV{DATABASE_URL}")
use_database(rows_pgmig)
foreach(step IN ITEMS "upgrade;d4d4d4d4d404" "upgrade;e5e5e5e5e505" "upgrade;heads"
                      "downgrade;e5e5e5e5e505" "downgrade;b2b2b2b2b202" "upgrade;auth@head"
                      "downgrade;c3c3c3c3c303" "downgrade;base")
    set(ENV{ALEMBIC_URL} "${alembic_env}")
    alembic(${step})
    alembic(current)
    revisions_in("${out}" alembic_current)
    run(ok psql -X -q -At -d "${alembic_db}" -c "SELECT version_num FROM alembic_version")
    revisions_in("${out}" alembic_rows)
    run(ok ${app} ${step})
    run(ok ${app} --json current)
    string(JSON rows GET "${out}" rows)
    string(JSON current GET "${out}" current)
    revisions_in("${rows}" pgmig_rows)
    revisions_in("${current}" pgmig_current)
    if(NOT pgmig_rows STREQUAL alembic_rows OR NOT pgmig_current STREQUAL alembic_current
       OR (NOT step MATCHES "base" AND NOT pgmig_rows))
        message(FATAL_ERROR "after '${step}': pgmig's rows ${pgmig_rows} and current "
                "${pgmig_current}; Alembic's ${alembic_rows} and ${alembic_current}")
    endif()
    message("after '${step}': both with rows '${pgmig_rows}', current '${pgmig_current}'")
endforeach()

foreach(db IN ITEMS from_alembic_whole from_alembic_fresh from_alembic_part rows_alembic rows_pgmig)
    run(ok psql -X -q -d "${url}" -c "DROP DATABASE ${db}")
endforeach()
message("converted, built, taken over and continued, with the same version rows as Alembic")
