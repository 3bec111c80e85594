# Configures a consumer project in a fresh build directory.
#   cmake -DSOURCE=<dir> -DBINARY=<dir> -DGENERATOR=<g> -DCOMPILER=<c++> -DCONSUME=package|subdirectory
#         -DPGMIG_DIR=<dir of pgmigConfig.cmake> -DPGMIG_SOURCE_DIR=<pgmig source> -P configure_consumer.cmake
file(REMOVE_RECURSE ${BINARY})
execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G ${GENERATOR}
            -DCMAKE_CXX_COMPILER=${COMPILER} -DCMAKE_BUILD_TYPE=Release
            -DPGMIG_CONSUME=${CONSUME} -Dpgmig_DIR=${PGMIG_DIR} -DPGMIG_SOURCE_DIR=${PGMIG_SOURCE_DIR}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring ${SOURCE} failed")
endif()
if(CONSUME STREQUAL "subdirectory")
    # Build pgmig's tools once here, not inside whichever case happens to run first.
    execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --target pgmig-compile RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "building pgmig inside ${BINARY} failed")
    endif()
endif()
