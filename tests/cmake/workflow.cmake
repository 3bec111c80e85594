# A DIRECTORY set in a project of its own, worked on as a developer would: a no-op rebuild
# does nothing, editing one revision recompiles only that revision, a new file is picked up by
# the next build, db_revision writes a new file, and the db_* targets use the development
# server when DATABASE_URL is unset.
#   cmake -DWORK=<dir> -DSOURCE=<revisions> -DPGMIG_DIR=<dir of pgmigConfig.cmake>
#         -DGENERATOR=<generator> -P workflow.cmake
file(REMOVE_RECURSE ${WORK})
file(COPY ${SOURCE}/ DESTINATION ${WORK}/src/migrations)
file(WRITE ${WORK}/src/CMakeLists.txt [[
cmake_minimum_required(VERSION 3.25)
project(incremental LANGUAGES CXX)
find_package(pgmig REQUIRED)
pgmig_add_revisions(incr DIRECTORY migrations SCHEMA_SOURCES schema)
add_executable(heads heads.cpp)
target_link_libraries(heads PRIVATE incr)
]])
# The desired schema: the head's, and an orders table (db_autogenerate writes the revision).
file(WRITE ${WORK}/src/schema/app.sql [[
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE INDEX users_email_idx ON users (email);
CREATE FUNCTION users_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM users; $$;
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users);
]])
file(WRITE ${WORK}/src/heads.cpp [[
#include <pgmig/sets/incr.hpp>
#include <iostream>
int main() {
    for (const auto* h : pgmig::sets::incr().graph().heads()) std::cout << "head " << h->id << '\n';
}
]])

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${ARGN} failed:\n${out}")
    endif()
    set(out "${out}" PARENT_SCOPE)
endfunction()

function(count_matches out regex text)
    string(REGEX MATCHALL "${regex}" found "${text}")
    list(LENGTH found n)
    set(${out} ${n} PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} -S ${WORK}/src -B ${WORK}/build -G ${GENERATOR} -Dpgmig_DIR=${PGMIG_DIR})
run(${CMAKE_COMMAND} --build ${WORK}/build)
run(${WORK}/build/heads)
if(NOT out MATCHES "head 9b0d3c1a2f44")
    message(FATAL_ERROR "unexpected heads after the first build:\n${out}")
endif()

run(${CMAKE_COMMAND} --build ${WORK}/build)
if(out MATCHES "pgmig:|Building|Linking")
    message(FATAL_ERROR "a no-op rebuild did work:\n${out}")
endif()

file(APPEND ${WORK}/src/migrations/0002_index.sql "-- an edit\n")
run(${CMAKE_COMMAND} --build ${WORK}/build)
message("after editing one revision:\n${out}")
count_matches(checked "pgmig: checking incr/" "${out}")
count_matches(compiled "Building CXX object" "${out}")
if(NOT checked EQUAL 1 OR NOT compiled EQUAL 1 OR NOT out MATCHES "checking incr/0002_index.sql")
    message(FATAL_ERROR "editing one revision checked ${checked} files and compiled ${compiled}; expected 1 and 1")
endif()

file(WRITE ${WORK}/src/migrations/0003_new.sql [[
-- pgmig:revision 5d5d5d5d5d5d
-- pgmig:revises 9b0d3c1a2f44
-- pgmig:upgrade
ALTER TABLE users ADD COLUMN name text;
-- pgmig:downgrade
ALTER TABLE users DROP COLUMN name;
]])
run(${CMAKE_COMMAND} --build ${WORK}/build)
run(${WORK}/build/heads)
if(NOT out MATCHES "head 5d5d5d5d5d5d" OR out MATCHES "head 9b0d3c1a2f44")
    message(FATAL_ERROR "the new revision file was not picked up:\n${out}")
endif()
message("incremental builds behave")

# db_revision writes a new file into the source folder, from MSG; the next build has it.
set(ENV{MSG} "Add orders")
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_revision)
unset(ENV{MSG})
file(GLOB written ${WORK}/src/migrations/0004_add_orders.sql)
if(NOT written)
    message(FATAL_ERROR "db_revision did not write 0004_add_orders.sql:\n${out}")
endif()
file(STRINGS ${written} id_line REGEX "pgmig:revision")
string(REGEX REPLACE ".*revision +" "" new_id "${id_line}")
run(${CMAKE_COMMAND} --build ${WORK}/build)
run(${WORK}/build/heads)
if(NOT out MATCHES "head ${new_id}")
    message(FATAL_ERROR "the revision db_revision wrote is not the new head:\n${out}")
endif()

# With no DATABASE_URL, the db_* targets use the development server under the build tree.
unset(ENV{DATABASE_URL})
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_upgrade)
if(NOT out MATCHES "started the development server")
    message(FATAL_ERROR "db_upgrade did not start the development server:\n${out}")
endif()
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_current)
if(NOT out MATCHES "${new_id} \\(head\\)")
    message(FATAL_ERROR "db_current on the development server:\n${out}")
endif()
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_upgrade)
if(out MATCHES "started the development server" OR NOT out MATCHES "Nothing to upgrade")
    message(FATAL_ERROR "the development server was not reused:\n${out}")
endif()

# The autogenerate loop: the desired schema has an orders table the head lacks.
set(ENV{MSG} "Orders table")
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_autogenerate)
unset(ENV{MSG})
file(GLOB generated ${WORK}/src/migrations/0005_orders_table.sql)
if(NOT generated)
    message(FATAL_ERROR "db_autogenerate did not write 0005_orders_table.sql:\n${out}")
endif()
file(READ ${generated} text)
if(NOT text MATCHES "CREATE TABLE public.orders \\(id bigint NOT NULL, user_id bigint NOT NULL\\);"
   OR NOT text MATCHES "DROP TABLE public.orders")
    message(FATAL_ERROR "the generated revision:\n${text}")
endif()
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_upgrade)
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_drift)
if(NOT out MATCHES "No drift")
    message(FATAL_ERROR "db_drift after upgrading to the generated revision:\n${out}")
endif()
set(ENV{MSG} "Nothing")
run(${CMAKE_COMMAND} --build ${WORK}/build --target db_autogenerate)
unset(ENV{MSG})
if(NOT out MATCHES "No changes in schema detected")
    message(FATAL_ERROR "db_autogenerate with the head at the desired schema:\n${out}")
endif()
message("the autogenerate loop behaves")

run(${CMAKE_COMMAND} --build ${WORK}/build --target db_server_stop)
if(NOT out MATCHES "Development server stopped")
    message(FATAL_ERROR "db_server_stop:\n${out}")
endif()
message("the workflow targets behave")
