# The CMake reference exists twice: in the module's rst header and in docs/cmake.md. Both must
# list the keywords each public function parses, no more, no fewer.
#   cmake -DMODULE=<cmake/pgmig.cmake> -DDOC=<docs/cmake.md> -P cmake_reference.cmake
file(READ "${MODULE}" module)
file(READ "${DOC}" doc)

# UPPER_CASE keywords in a piece of text, sorted and unique.
function(keywords_of out text)
    string(REGEX MATCHALL "[A-Z][A-Z_]+[A-Z]" words "${text}")
    list(REMOVE_DUPLICATES words)
    list(SORT words)
    set(${out} "${words}" PARENT_SCOPE)
endfunction()

set(failures "")
foreach(command IN ITEMS pgmig_add_revisions pgmig_add_tests)
    # What the function parses: the three lists of its cmake_parse_arguments call.
    string(REGEX MATCH "function\\(${command} set\\)[^\n]*\n[^)]*cmake_parse_arguments\\(PARSE_ARGV 1 arg([^)]*)\\)" parsed "${module}")
    keywords_of(parsed_words "${CMAKE_MATCH_1}")
    # The signature in the rst header and the one in the docs.
    string(REGEX MATCH "\n    ${command}\\(<set>[^)]*\\)" rst_signature "${module}")
    keywords_of(rst_words "${rst_signature}")
    string(REGEX MATCH "\n${command}\\(<set>[^)]*\\)" doc_signature "${doc}")
    keywords_of(doc_words "${doc_signature}")
    # The rows of the docs' keyword table under the command's heading.
    string(FIND "${doc}" "\n## ${command}\n" at)
    string(SUBSTRING "${doc}" ${at} -1 section)
    string(FIND "${section}" "\n## " next)
    string(SUBSTRING "${section}" 1 -1 section)
    string(FIND "${section}" "\n## " next)
    if(next GREATER 0)
        string(SUBSTRING "${section}" 0 ${next} section)
    endif()
    string(REGEX MATCHALL "\n\\| `[A-Z][A-Z_]+[^|]*\\|" rows "${section}")
    keywords_of(table_words "${rows}")
    foreach(form IN ITEMS rst_words doc_words table_words)
        if(NOT "${${form}}" STREQUAL "${parsed_words}")
            list(APPEND failures "${command}: ${form} is '${${form}}', the function parses '${parsed_words}'")
        endif()
    endforeach()
    message(STATUS "${command}: ${parsed_words}")
endforeach()
if(failures)
    string(REPLACE ";" "\n  " failures "${failures}")
    message(FATAL_ERROR "the CMake reference disagrees:\n  ${failures}")
endif()
