#include <pgmig/schema_model.hpp>
#include <pgmig/schema_snapshot.hpp>

#include <algorithm>
#include <iterator>

namespace pgmig {

schema_snapshot take_snapshot(connection& conn, const snapshot_scope& scope) {
    return {schema::render_lines(schema::read_model(conn, scope))};
}

std::map<std::string, std::vector<std::string>>
snapshot_units(connection& conn, const snapshot_scope& scope,
               const std::vector<std::string>* units) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [unit, part] : schema::read_units(conn, scope, units)) {
        out.emplace(unit, schema::render_lines(part));
    }
    return out;
}

std::string snapshot_diff::text() const {
    std::string out;
    for (const auto& l : removed) {
        out += "- " + l + "\n";
    }
    for (const auto& l : added) {
        out += "+ " + l + "\n";
    }
    return out;
}

snapshot_diff compare(const schema_snapshot& before, const schema_snapshot& after) {
    snapshot_diff d;
    std::set_difference(before.lines.begin(), before.lines.end(), after.lines.begin(),
                        after.lines.end(), std::back_inserter(d.removed));
    std::set_difference(after.lines.begin(), after.lines.end(), before.lines.begin(),
                        before.lines.end(), std::back_inserter(d.added));
    return d;
}

std::string object_of(const std::string& line) {
    return line.substr(0, line.find(": "));
}

} // namespace pgmig
