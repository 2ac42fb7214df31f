// SPDX-License-Identifier: Apache-2.0
// sluice-bench-wake: how long this machine takes to wake a thread blocked in read() when a byte
// arrives, the floor under every "added latency" figure. At ~1,000 requests/s a proxy's CPU is
// idle between requests; each request then pays the wake-up of an idle CPU (and, on a virtual
// machine, the caches the host evicted meanwhile). A proxy cannot add less than that to a
// request's round trip, and the -L rows of proxy_bench.sh are read against it.
//
// A writer thread stamps a pipe every --gap-us; the reader, pinned to another CPU (or the same
// one), reads the stamp and records now - stamp. Prints p50, p90 and p99 in microseconds.
// Usage: sluice-bench-wake [--gap-us G] [--count N] [--writer-cpu W] [--reader-cpu R]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

bool pinTo(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

struct Options {
    int gapMicros = 1000;
    int count = 3000;
    int writerCpu = 0;
    int readerCpu = 1;
};

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (flag == "--gap-us" && value >= 0)
            o.gapMicros = value;
        else if (flag == "--count" && value > 0 && value <= 1'000'000)
            o.count = value;
        else if (flag == "--writer-cpu" && value >= 0)
            o.writerCpu = value;
        else if (flag == "--reader-cpu" && value >= 0)
            o.readerCpu = value;
        else
            return false;
    }
    return argc % 2 == 1;
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        std::fprintf(stderr,
                     "usage: sluice-bench-wake [--gap-us G] [--count N] [--writer-cpu W] [--reader-cpu R]\n");
        return 2;
    }
    int fds[2];
    if (::pipe(fds) != 0) {
        std::perror("pipe");
        return 1;
    }
    std::vector<double> micros(static_cast<std::size_t>(o.count));
    bool pinned = true;
    std::thread reader([&] {
        pinned = pinTo(o.readerCpu) && pinned;
        for (double& m : micros) {
            Clock::rep stamp = 0;
            if (::read(fds[0], &stamp, sizeof stamp) != sizeof stamp)
                std::exit(1);
            m = std::chrono::duration<double, std::micro>(Clock::now().time_since_epoch() -
                                                          Clock::duration(stamp))
                    .count();
        }
    });
    pinned = pinTo(o.writerCpu) && pinned;
    for (int i = 0; i < o.count; ++i) {
        std::this_thread::sleep_for(std::chrono::microseconds(o.gapMicros));
        const Clock::rep stamp = Clock::now().time_since_epoch().count();
        if (::write(fds[1], &stamp, sizeof stamp) != sizeof stamp)
            return 1;
    }
    reader.join();
    if (!pinned) {
        std::fprintf(stderr, "sluice-bench-wake: cannot pin to cpu%d and cpu%d\n", o.writerCpu, o.readerCpu);
        return 1;
    }
    std::sort(micros.begin(), micros.end());
    const auto at = [&](double q) {
        return micros[static_cast<std::size_t>(q * (micros.size() - 1))];
    };
    std::printf(
        "wake-up, cpu%d -> cpu%d, every %d us: p50 %.1f us  p90 %.1f us  p99 %.1f us  (%d wake-ups)\n",
        o.writerCpu, o.readerCpu, o.gapMicros, at(0.5), at(0.9), at(0.99), o.count);
    return 0;
}
