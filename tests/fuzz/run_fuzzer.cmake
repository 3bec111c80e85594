# Builds the fuzz target with clang, ASan and UBSan in a build tree of its own, then runs it
# for a bounded time on a corpus seeded with the test revision files.
#   cmake -DSOURCE_DIR=<pgmig> -DBINARY_DIR=<dir> -DCLANG=<clang++> -DSEEDS=<dir>
#         -DSECONDS=<n> -DGENERATOR=<g> -P run_fuzzer.cmake
if(NOT EXISTS "${CLANG}")
    message(FATAL_ERROR "clang++ was not found; install clang (Debian: apt-get install clang) to run the fuzzer")
endif()
set(flags "-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1")
execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR}/build -G ${GENERATOR}
            -DCMAKE_CXX_COMPILER=${CLANG} -DCMAKE_BUILD_TYPE=RelWithDebInfo
            "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}"
            -DPGMIG_BUILD_TESTING=OFF -DPGMIG_INSTALL=OFF -DPGMIG_BUILD_FUZZERS=ON
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring the fuzz build failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR}/build --target pgmig_fuzz_revision
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "building the fuzz target failed")
endif()
file(MAKE_DIRECTORY ${BINARY_DIR}/corpus)
file(GLOB_RECURSE seeds ${SEEDS}/*.sql)
file(COPY ${seeds} DESTINATION ${BINARY_DIR}/seeds)
execute_process(
    COMMAND ${BINARY_DIR}/build/tests/fuzz/pgmig_fuzz_revision -max_total_time=${SECONDS}
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
            ${BINARY_DIR}/corpus ${BINARY_DIR}/seeds
    WORKING_DIRECTORY ${BINARY_DIR}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the fuzzer found a crash, hang or leak (exit ${rc}); the input is in ${BINARY_DIR}")
endif()
