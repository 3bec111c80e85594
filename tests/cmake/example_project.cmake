# Builds example-project and runs it against a database of its own on the test server: the
# service refuses a database that is behind, db_upgrade brings it up to date, and the service
# then starts. MODE=package configures it in BINARY on the installed pgmig; MODE=subdirectory
# builds it inside the configured consumer project BINARY, which adds pgmig's source tree and
# then the example with add_subdirectory.
#   cmake -DSOURCE=<example-project> -DBINARY=<dir> -DMODE=package|subdirectory
#         -DPGMIG_DIR=<dir> -DGENERATOR=<g> -DCOMPILER=<c++>
#         -DSERVER_STATE=<file> -DSERVER_TOOL=<pgmig-server> -P example_project.cmake
include(${CMAKE_CURRENT_LIST_DIR}/run_command.cmake)

if(MODE STREQUAL "subdirectory")
    set(example ${BINARY}/example)
    run(ok ${CMAKE_COMMAND} --build ${BINARY} --target shop shop_db-test)
else()
    set(example ${BINARY})
    file(REMOVE_RECURSE ${BINARY})
    run(ok ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G ${GENERATOR}
        -DCMAKE_CXX_COMPILER=${COMPILER} -DCMAKE_BUILD_TYPE=Release
        -DCMAKE_PREFIX_PATH=${PGMIG_DIR}/../../..)
    run(ok ${CMAKE_COMMAND} --build ${BINARY})
endif()

execute_process(COMMAND ${SERVER_TOOL} url --state ${SERVER_STATE} OUTPUT_VARIABLE url
    OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
set(db example_${MODE})
run(ok psql -X -q -d "${url}" -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}")
set(ENV{DATABASE_URL} "${url} dbname=${db}")

run(fail ${example}/shop)
if(NOT all MATCHES "not starting: .*behind: 6 revisions to apply")
    message(FATAL_ERROR "the service did not refuse a database that is behind")
endif()
run(ok ${CMAKE_COMMAND} --build ${BINARY} --target db_upgrade)
run(ok ${example}/shop)
if(NOT all MATCHES "database ready \\(up to date at 7b3d9f21c6a8\\)")
    message(FATAL_ERROR "the service did not start on an up-to-date database")
endif()
run(ok ${CMAKE_COMMAND} --build ${BINARY} --target db_current)
if(NOT all MATCHES "7b3d9f21c6a8 \\(head\\)")
    message(FATAL_ERROR "db_current does not show the head")
endif()
set(ENV{REV} base)
run(ok ${CMAKE_COMMAND} --build ${BINARY} --target db_downgrade)
unset(ENV{REV})
run(fail ${CMAKE_COMMAND} --build ${BINARY} --target db_check)
run(ok ${example}/shop --migrate)
run(ok psql -X -q -d "${url}" -c "DROP DATABASE ${db}")

# Its generated tests, through its own ctest, on a server of their own.
unset(ENV{DATABASE_URL})
run(ok ${CMAKE_CTEST_COMMAND} --test-dir ${example} --output-on-failure -j2)
foreach(test IN ITEMS shop_db.graph shop_db.roundtrip shop_db.stairway shop_db.expectations shop_db.schema)
    if(NOT all MATCHES "${test} [.]+ +Passed")
        message(FATAL_ERROR "the example's generated test ${test} did not pass")
    endif()
endforeach()
message("the example project works through ${MODE}")
