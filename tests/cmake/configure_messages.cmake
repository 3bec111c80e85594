# Configure-time messages of the CMake module, each checked in a small project of its own:
# pgmig_add_tests without enable_testing() warns; a SOURCES file that is not a revision stops.
#   cmake -DWORK=<dir> -DPGMIG_DIR=<package dir> -DGENERATOR=<g> -DCASES=<cases dir> -P configure_messages.cmake
function(configure name body expect_rc regex)
    set(dir ${WORK}/${name})
    file(REMOVE_RECURSE ${dir})
    file(WRITE ${dir}/CMakeLists.txt
        "cmake_minimum_required(VERSION 3.25)\nproject(${name} LANGUAGES CXX)\n"
        "find_package(pgmig REQUIRED)\n${body}\n")
    execute_process(COMMAND ${CMAKE_COMMAND} -S ${dir} -B ${dir}/build -G ${GENERATOR}
        -Dpgmig_DIR=${PGMIG_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if((expect_rc EQUAL 0 AND NOT rc EQUAL 0) OR (NOT expect_rc EQUAL 0 AND rc EQUAL 0))
        message(FATAL_ERROR "${name}: configure exited with ${rc}:\n${out}")
    endif()
    # CMake wraps a message at a width that depends on the paths in it: match across line breaks.
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
    if(NOT flat MATCHES "${regex}")
        message(FATAL_ERROR "${name}: the output does not match '${regex}':\n${out}")
    endif()
    message(STATUS "${name}: as expected")
endfunction()

configure(no_enable_testing
    "pgmig_add_revisions(app_db DIRECTORY ${CASES}/good)\npgmig_add_tests(app_db SERVER local)"
    0 "testing is not enabled in this directory")
configure(not_a_revision
    "pgmig_add_revisions(app_db SOURCES ${CASES}/good/0001_users.sql ${CASES}/../build_case.cmake)"
    1 "not a revision file; revision files end in")
configure(postgres_version_not_a_major
    "pgmig_add_revisions(app_db DIRECTORY ${CASES}/good POSTGRES_VERSION 17.2)"
    1 "POSTGRES_VERSION '17[.]2' is not a PostgreSQL major version")
configure(lock_retries_not_a_number
    "pgmig_add_revisions(app_db DIRECTORY ${CASES}/good LOCK_RETRIES many)"
    1 "LOCK_RETRIES 'many' is not a number of retries from 0 to 100")
