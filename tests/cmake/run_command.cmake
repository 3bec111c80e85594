# run(ok|fail|any <command>...): runs a command, echoes it and what it printed, and fails the
# script unless it succeeded (ok) or failed (fail). Sets `out` to its standard output and `all`
# to its standard output followed by its standard error.
function(run expect)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    message("$ ${ARGN}\n${out}${err}")
    if(expect STREQUAL "ok" AND NOT rc EQUAL 0)
        message(FATAL_ERROR "failed with ${rc}")
    elseif(expect STREQUAL "fail" AND rc EQUAL 0)
        message(FATAL_ERROR "succeeded, but must fail")
    endif()
    set(out "${out}" PARENT_SCOPE)
    set(all "${out}${err}" PARENT_SCOPE)
endfunction()
