// SPDX-License-Identifier: Apache-2.0
// sluice-bench-simulate: `sluice simulate` of 1,000,000 requests on samples/bookinfo with its call
// graph (productpage -> details, reviews; reviews v2/v3 -> ratings): wall time of loading,
// compiling and simulating, and the process's peak memory. Goal (issue 6): under 3 s and under
// 300 MB. One run (the machine may be shared): a benchmark, not a test; `make bench` runs it.
// Usage: sluice-bench-simulate [REQUESTS] [CONFIG-DIR]

#include "config/loader.h"
#include "routing/route_table.h"
#include "traffic/traffic_simulator.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/resource.h>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

long peakRssKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

int main(int argc, char** argv) {
    const std::uint64_t requests = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const std::string config = argc > 2 ? argv[2] : SLUICE_SOURCE_DIR "/samples/bookinfo";

    const auto start = Clock::now();
    const auto loaded = sluice::config::loadPaths({config});
    const auto table = sluice::routing::compile(loaded.resources);
    const double setup = secondsSince(start);

    sluice::traffic::SimulationOptions options;
    options.requests = requests;
    options.rate = 1000;
    options.seed = 1;
    const auto simulated = Clock::now();
    const auto result =
        sluice::traffic::TrafficSimulator::run({loaded.resources, table, nullptr, nullptr, nullptr}, options);
    const double simulating = secondsSince(simulated);
    const double total = secondsSince(start);
    if (!result.ok()) {
        std::fprintf(stderr, "sluice-bench-simulate: %s\n", result.error.c_str());
        return 1;
    }
    const double rssMb = static_cast<double>(peakRssKb()) / 1024.0;
    std::printf("simulate %s: %llu requests (%llu calls between workloads, %llu upstream attempts)\n",
                config.c_str(), static_cast<unsigned long long>(result.report.requests),
                static_cast<unsigned long long>(result.counters.calls),
                static_cast<unsigned long long>(result.counters.attempts));
    std::printf("  load + compile  %8.3f s\n", setup);
    std::printf("  simulate        %8.3f s  (%.0f requests/s, %.2f us per request)\n", simulating,
                static_cast<double>(requests) / simulating, simulating * 1e6 / static_cast<double>(requests));
    std::printf("  total           %8.3f s  goal < 3 s: %s\n", total, total < 3.0 ? "met" : "MISSED");
    std::printf("  peak RSS        %8.1f MB goal < 300 MB: %s\n", rssMb, rssMb < 300.0 ? "met" : "MISSED");
    return 0;
}
