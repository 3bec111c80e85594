#pragma once

// Schemas built on scratch databases, never re-implemented: what a set's revisions create,
// what a desired schema's SQL files create, and what an empty database holds.

#include <pgmig/revision_set.hpp>
#include <pgmig/schema_diff.hpp>
#include <pgmig/schema_model.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace pgmig::schema {

/// The schema the set's revisions build: applied with pgmig's own runner on a scratch
/// database of the server `server_url` reaches, up to each of `targets` in turn ("heads", or
/// the version rows of a live database). The set's state tables are left out. With a
/// `tenant` schema, the revisions run with that tenant's search_path and only the schema is
/// read, as `--schema` runs them on a live database.
[[nodiscard]] model replayed_model(const revision_set& set, const std::string& server_url,
                                   const std::vector<std::string>& targets,
                                   const std::string& tenant = {});

/// The SQL files of a desired schema, in order: a directory stands for the .sql files under
/// it, sorted by path. Throws source_error when a path has no SQL file.
[[nodiscard]] std::vector<std::filesystem::path>
schema_files(const std::vector<std::filesystem::path>& sources);

/// The schema the files create, applied in order on a scratch database; a failing file is
/// named in the error, with the server's message.
[[nodiscard]] model desired_model(const std::vector<std::filesystem::path>& files,
                                  const std::string& server_url);

/// What a new database holds (schema public, plpgsql): where a whole schema is built from.
[[nodiscard]] model empty_model(const std::string& server_url);

/// The version of the server `server_url` reaches (PQserverVersion: 150004).
[[nodiscard]] int server_version_of(const std::string& server_url);

/// How the schema the set's revisions build at their heads differs from the desired one.
struct desired_comparison {
    std::string head_fingerprint;  ///< schema::fingerprint of the heads' schema
    snapshot_diff lines;           ///< removed: only the head has it; added: only the desired
    std::vector<change> upgrade;   ///< what `revision --autogenerate` writes: head to desired
    std::vector<change> downgrade; ///< and back
    [[nodiscard]] bool equal() const { return lines.empty(); }
};

/// Alembic's `check`: the head replayed and the desired schema applied, on scratch databases
/// of `server_url`, compared.
[[nodiscard]] desired_comparison
compare_with_desired(const revision_set& set, const std::string& server_url,
                     const std::vector<std::filesystem::path>& files);

/// Whether changes do what they claim: on a scratch database built to `before` by
/// `diff(empty_model, before)`, `up` must read back as `after` and `down` as `before` again.
/// Empty when they do; else what went wrong, by object.
[[nodiscard]] std::string prove(const model& before, const model& after,
                                const std::vector<change>& up, const std::vector<change>& down,
                                const std::string& server_url);

/// The changes as a script: each statement ends with `;`, a statement that needs review is
/// preceded by `-- REVIEW: <why>`.
[[nodiscard]] std::string render_script(const std::vector<change>& changes);

} // namespace pgmig::schema
