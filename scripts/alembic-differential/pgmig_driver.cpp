// Reads a revision graph and commands (the format compare.py writes) and prints pgmig's version
// rows after each command, or ERR: the pgmig side of the Alembic differential run.
#include <pgmig/revision_graph.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    if (s == "-") {
        return out;
    }
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) {
        out.push_back(item);
    }
    return out;
}

} // namespace

int main() {
    std::vector<pgmig::revision> revisions;
    std::unique_ptr<pgmig::revision_graph> graph;
    std::vector<std::string> rows;
    std::string line;
    while (std::getline(std::cin, line)) {
        std::stringstream in(line);
        std::string verb;
        in >> verb;
        if (verb == "rev") {
            pgmig::revision r;
            std::string parents, deps, labels;
            in >> r.id >> parents >> deps >> labels;
            r.revises = split(parents);
            r.depends_on = split(deps);
            r.branch_labels = split(labels);
            revisions.push_back(r);
            continue;
        }
        if (!graph) {
            graph = std::make_unique<pgmig::revision_graph>(revisions);
        }
        std::string target;
        in >> target;
        try {
            if (verb == "stamp") {
                rows = graph->stamp(rows, target);
            } else {
                rows = (verb == "up" ? graph->plan_upgrade(rows, target)
                                     : graph->plan_downgrade(rows, target))
                           .rows_after;
            }
            std::sort(rows.begin(), rows.end());
            for (const auto& r : rows) {
                std::cout << r << ' ';
            }
            std::cout << '\n';
        } catch (const std::exception&) {
            std::cout << "ERR\n";
        }
    }
}
