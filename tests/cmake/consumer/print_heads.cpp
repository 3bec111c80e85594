// Prints the heads of the embedded sets: proves the revisions reached the program intact.
#include <pgmig/sets/good.hpp>
#include <pgmig/sets/good_sources.hpp>

#include <iostream>

int main() {
    for (const auto* set : {&pgmig::sets::good(), &pgmig::sets::good_sources()}) {
        for (const auto* head : set->graph().heads()) {
            std::cout << set->name() << " head " << head->id << " " << head->message << '\n';
        }
        for (const auto& r : set->revisions()) {
            for (const auto& s : r.upgrade) {
                std::cout << r.where.file << ':' << s.line << ": " << s.sql << '\n';
            }
        }
    }
}
