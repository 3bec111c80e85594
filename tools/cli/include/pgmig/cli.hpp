#pragma once

#include <pgmig/revision_set.hpp>

namespace pgmig::cli {

/// The main() of every `<set>-migrate` executable: Alembic's verbs over the embedded set.
/// Returns the process exit status (see docs/cli.md).
int run(const revision_set& set, int argc, char** argv);

} // namespace pgmig::cli
