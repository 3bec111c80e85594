#pragma once

#include <pgmig/connection.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace pgmig::testing {

/// Keeps a database's schema snapshot current while migrations run in it, re-reading only
/// the objects each step touched. Event triggers (which need a superuser) log what DDL
/// touches; without them, every refresh reads the whole schema.
///
/// Checkpoints record the state at a moment; changes_since() then compares that moment with
/// now, looking only at what changed in between, which keeps a stairway over hundreds of
/// revisions from re-reading hundreds of tables at every step.
class snapshot_tracker {
public:
    /// Give it a connection of its own: it changes the connection's plan caching.
    snapshot_tracker(connection& conn, snapshot_scope scope);

    /// Installs the logging event triggers. False when the server does not allow it.
    bool install_triggers();
    /// Reads the whole schema.
    void load();
    /// Brings the snapshot up to date after statements ran.
    void refresh();

    /// Marks the current state; returns its handle.
    [[nodiscard]] int checkpoint();
    /// What differs between the checkpoint's state and now.
    [[nodiscard]] snapshot_diff changes_since(int handle) const;
    void release(int handle);

    /// Every line, sorted.
    [[nodiscard]] schema_snapshot snapshot() const;
    [[nodiscard]] bool incremental() const { return m_incremental; }

    /// Schema and table the event triggers use: left out of every snapshot.
    static constexpr const char* log_schema = "pgmig_test";

private:
    void update(const std::map<std::string, std::vector<std::string>>& fresh);
    void learn_owners(const std::vector<std::string>& rel_units);
    void replan_if_grown();

    connection& m_conn;
    snapshot_scope m_scope;
    bool m_incremental = false;
    std::map<std::string, std::vector<std::string>> m_units;
    /// Sub-objects (indexes, triggers, policies, ...) and the unit their lines live in: once
    /// dropped, the catalogs no longer say.
    std::map<std::pair<unsigned, unsigned>, std::string> m_owner;
    std::map<int, std::map<std::string, std::vector<std::string>>> m_checkpoints;
    int m_next = 0;
    /// How many units the schema had when the statements were last planned.
    std::size_t m_planned_for = 0;
};

} // namespace pgmig::testing
