#pragma once

#include <pgmig/revision_set.hpp>

namespace pgmig::testing {

/// The main() of every `<set>-test` executable that pgmig_add_tests() builds: the generated
/// tests (graph, roundtrip, stairway, expectations) over the embedded set. Returns the process
/// exit status: 0 passed, 10 a test found a problem, 2 a bad command line, 1 anything else.
int run_cli(const revision_set& set, int argc, char** argv);

} // namespace pgmig::testing
