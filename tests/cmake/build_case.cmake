# Builds one target of a configured project and checks how it went.
#   cmake -DBUILD_DIR=<dir> -DTARGET=<target> -DEXPECT=success|failure
#         [-DMATCH=<regex>] [-DMATCH_TOO=<regex>] [-DRUN=<program> -DRUN_MATCH=<regex>] -P build_case.cmake
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(EXPECT STREQUAL "failure" AND rc EQUAL 0)
    message(FATAL_ERROR "building ${TARGET} succeeded, but it must fail")
elseif(EXPECT STREQUAL "success" AND NOT rc EQUAL 0)
    message(FATAL_ERROR "building ${TARGET} failed (${rc}), but it must succeed")
endif()
if(DEFINED MATCH AND NOT out MATCHES "${MATCH}")
    message(FATAL_ERROR "the build output does not match: ${MATCH}")
endif()
if(DEFINED MATCH_TOO AND NOT out MATCHES "${MATCH_TOO}")
    message(FATAL_ERROR "the build output does not match: ${MATCH_TOO}")
endif()
if(DEFINED RUN)
    execute_process(COMMAND ${RUN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    message("${out}")
    if(NOT rc EQUAL 0 OR NOT out MATCHES "${RUN_MATCH}")
        message(FATAL_ERROR "${RUN} exited with ${rc}; its output must match: ${RUN_MATCH}")
    endif()
endif()
