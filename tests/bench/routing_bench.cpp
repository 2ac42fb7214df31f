// SPDX-License-Identifier: Apache-2.0
// sluice-bench-routing: decisions per second of routing::RouteTable::route() for (a) the bookinfo
// sample (GET /productpage) and (b) a generated config of 1,000 VirtualServices over 1,000 hosts
// with 10 rules each, the request hitting the last rule; compile time and memory for (b).
// Goals (issue 3): (b) within 1.5x of (a) per decision, >= 1 million decisions/s on one core,
// compile under 300 ms. A benchmark, not a test: run it with `make bench`.

#include "config/loader.h"
#include "routing/route_table.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

namespace {

using sluice::routing::Explain;
using sluice::routing::Request;
using sluice::routing::Rng;

constexpr std::size_t kHosts = 1'000;
constexpr std::size_t kRulesPerHost = 10;

// Rule k of every VirtualService: k % 3 == 0 exact uri, 1 prefix uri, 2 header + prefix uri.
std::string rule(std::size_t k, const std::string& app) {
    const std::string v = std::to_string(k);
    std::string match;
    switch (k % 3) {
    case 0:
        match = "    - uri:\n        exact: /api/v" + v + "/items\n";
        break;
    case 1:
        match = "    - uri:\n        prefix: /api/v" + v + "/\n";
        break;
    default:
        match =
            "    - uri:\n        prefix: /api/\n      headers:\n        x-tenant:\n          exact: tenant-" +
            v + "\n";
        break;
    }
    return "  - name: rule-" + v + "\n    match:\n" + match +
           "    route:\n    - destination:\n        host: " + app +
           "\n        port:\n          number: 8080\n";
}

std::string generatedConfig() {
    std::string yaml = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: bench-gateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*.bench.example.com"
)";
    for (std::size_t i = 0; i < kHosts; ++i) {
        const std::string app = "svc-" + std::to_string(i);
        yaml += "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + app +
                "\n  namespace: bench\nspec:\n  selector:\n    app: " + app +
                "\n  ports:\n  - name: http\n    port: 8080\n";
        yaml += "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: " + app +
                "\n  namespace: bench\nspec:\n  hosts:\n  - " + app +
                ".bench.example.com\n  gateways:\n  - istio-system/bench-gateway\n  http:\n";
        for (std::size_t k = 0; k < kRulesPerHost; ++k)
            yaml += rule(k, app);
    }
    return yaml;
}

struct Fixture {
    sluice::config::LoadResult loaded;
    sluice::routing::RouteTablePtr table;
    std::vector<Request> requests;
};

// The request hitting the last rule (exact /api/v9/items) of `host`, carrying a tenant header
// that the header rules (2, 5, 8) look at and reject.
Request lastRuleRequest(std::size_t host) {
    Request r;
    r.port = 80;
    r.authority = "svc-" + std::to_string(host) + ".bench.example.com";
    r.target = "/api/v" + std::to_string(kRulesPerHost - 1) + "/items";
    r.headers = {{"user-agent", "bench"}, {"x-tenant", "tenant-" + std::to_string(kRulesPerHost - 1)}};
    return r;
}

const Fixture& bookinfo() {
    static const Fixture f = [] {
        Fixture out;
        out.loaded = sluice::config::loadPaths({SLUICE_SOURCE_DIR "/samples/bookinfo"});
        out.table = sluice::routing::compile(out.loaded.resources);
        Request r;
        r.authority = "bookinfo.example.com";
        r.target = "/productpage";
        r.headers = {{"user-agent", "bench"}};
        out.requests.push_back(r);
        return out;
    }();
    return f;
}

const sluice::config::LoadResult& generatedLoaded() {
    static const sluice::config::LoadResult loaded = [] {
        sluice::config::LoadResult out;
        sluice::config::loadText("generated/routing.yaml", generatedConfig(), out);
        return out;
    }();
    return loaded;
}

const Fixture& generated() {
    static const Fixture f = [] {
        Fixture out;
        out.table = sluice::routing::compile(generatedLoaded().resources);
        for (std::size_t i = 0; i < kHosts; ++i)
            out.requests.push_back(lastRuleRequest(i));
        return out;
    }();
    return f;
}

// Checks once that the fixture routes where the benchmark claims, so a broken config cannot
// produce flattering numbers (a 404 is much cheaper than a forward).
bool expectForward(const Fixture& f, int ruleIndex, const char* what) {
    Rng rng;
    for (const Request& r : f.requests) {
        const auto d = f.table->route(r, rng, Explain::No);
        if (d.outcome != sluice::routing::Outcome::Forward || d.origin.ruleIndex != ruleIndex) {
            std::fprintf(stderr, "%s: %s %s routed to rule %d (status %d), expected a forward by rule %d\n",
                         what, r.authority.c_str(), r.target.c_str(), d.origin.ruleIndex, d.status,
                         ruleIndex);
            return false;
        }
    }
    return true;
}

// Routes `requests` round-robin: one request keeps the table's data hot in the CPU caches, the
// 1,000 hosts of (b) in turn touch 1,000 virtual hosts and show the cost of cache misses too.
void runRoute(benchmark::State& state, const Fixture& f, Explain explain, bool everyHost) {
    Rng rng(42);
    const std::size_t count = everyHost ? f.requests.size() : 1;
    const std::size_t first = everyHost ? 0 : f.requests.size() / 2;
    std::size_t next = 0;
    for (auto _ : state) {
        auto d = f.table->route(f.requests[first + next], rng, explain);
        benchmark::DoNotOptimize(d);
        if (++next == count)
            next = 0;
    }
    state.SetItemsProcessed(state.iterations()); // items_per_second = decisions per CPU second
}

void BM_RouteBookinfo(benchmark::State& state) {
    runRoute(state, bookinfo(), Explain::No, false);
}
void BM_RouteBookinfoExplain(benchmark::State& state) {
    runRoute(state, bookinfo(), Explain::Yes, false);
}
void BM_Route1000Hosts(benchmark::State& state) {
    runRoute(state, generated(), Explain::No, false);
}
void BM_Route1000HostsExplain(benchmark::State& state) {
    runRoute(state, generated(), Explain::Yes, false);
}
void BM_Route1000HostsEveryHost(benchmark::State& state) {
    runRoute(state, generated(), Explain::No, true);
}
void BM_Route1000HostsEveryHostExplain(benchmark::State& state) {
    runRoute(state, generated(), Explain::Yes, true);
}

void BM_Compile1000Hosts(benchmark::State& state) {
    const auto& resources = generatedLoaded().resources;
    for (auto _ : state) {
        auto table = sluice::routing::compile(resources);
        benchmark::DoNotOptimize(table);
    }
    state.counters["virtual_services"] = static_cast<double>(resources.virtualServices.size());
}

BENCHMARK(BM_RouteBookinfo);
BENCHMARK(BM_RouteBookinfoExplain);
BENCHMARK(BM_Route1000Hosts);
BENCHMARK(BM_Route1000HostsExplain);
BENCHMARK(BM_Route1000HostsEveryHost);
BENCHMARK(BM_Route1000HostsEveryHostExplain);
BENCHMARK(BM_Compile1000Hosts)->Unit(benchmark::kMillisecond);

double rssMiB() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

double heapMiB() {
    return static_cast<double>(mallinfo2().uordblks) / (1 << 20);
}

} // namespace

int main(int argc, char** argv) {
    // Memory of (b): RSS and heap in use before and after compiling its table, the table kept alive.
    const auto& loaded = generatedLoaded();
    const double rss0 = rssMiB(), heap0 = heapMiB();
    const auto table = sluice::routing::compile(loaded.resources);
    const double rss1 = rssMiB(), heap1 = heapMiB();
    std::printf("Generated config: %zu VirtualServices, %zu rules each, %zu Services; route table of (b): "
                "RSS +%.1f MiB, heap +%.1f MiB\n",
                loaded.resources.virtualServices.size(), kRulesPerHost, loaded.resources.services.size(),
                rss1 - rss0, heap1 - heap0);
    if (!expectForward(bookinfo(), 0, "bookinfo") ||
        !expectForward(generated(), kRulesPerHost - 1, "generated"))
        return 1;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
