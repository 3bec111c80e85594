// Times pgmig::schema::read_model on a connected database: the median of several reads.
//   schema_read URL [iterations]
#include <pgmig/schema_model.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: schema_read URL [iterations]\n");
        return 2;
    }
    const int iterations = argc > 2 ? std::atoi(argv[2]) : 5;
    auto conn = pgmig::connection::open(argv[1]);
    std::vector<double> seconds;
    std::size_t tables = 0;
    for (int i = 0; i < iterations; ++i) {
        auto start = std::chrono::steady_clock::now();
        auto model = pgmig::schema::read_model(conn);
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        tables = model.tables.size();
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("%.4f %zu\n", seconds[seconds.size() / 2], tables);
}
