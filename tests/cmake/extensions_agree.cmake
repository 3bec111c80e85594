# The revision file extensions of the CMake module (DIRECTORY globs) and of the tools
# (revision_file_kind_of) must be the same list.
#   cmake -DMODULE=<pgmig.cmake> -DCOMPILE=<pgmig-compile> -P extensions_agree.cmake
include(${MODULE})
_pgmig_revision_extensions(module)
execute_process(COMMAND ${COMPILE} extensions OUTPUT_VARIABLE tool RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pgmig-compile extensions failed: ${rc}")
endif()
string(STRIP "${tool}" tool)
string(REPLACE "\n" ";" tool "${tool}")
if(NOT module STREQUAL tool)
    message(FATAL_ERROR "revision file extensions differ: the CMake module has '${module}', the tools '${tool}'")
endif()
message(STATUS "revision file extensions agree: ${module}")
