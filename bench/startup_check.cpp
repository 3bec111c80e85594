// Times pgmig::check_database inside an app that is already connected: the start-up check.
//   startup_check URL [iterations]
#include PGMIG_BENCH_HEADER

#include <pgmig/startup.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: startup_check URL [iterations]\n");
        return 2;
    }
    const int iterations = argc > 2 ? std::atoi(argv[2]) : 200;
    auto conn = pgmig::connection::open(argv[1]);
    const auto& set = PGMIG_BENCH_SET();
    std::vector<double> ms;
    for (int i = 0; i < iterations + 5; ++i) {
        auto start = std::chrono::steady_clock::now();
        auto report = pgmig::check_database(conn, set);
        auto end = std::chrono::steady_clock::now();
        if (!report.ok()) {
            std::fprintf(stderr, "not up to date: %s\n", report.message.c_str());
            return 1;
        }
        if (i >= 5) { // the first calls build the revision graph and warm the server's caches
            ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        }
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%.3f\n", ms[ms.size() / 2]);
    return 0;
}
