// SPDX-License-Identifier: Apache-2.0
// sluice-bench-validate: load (config::loadText) and validate a generated config of 10,000
// resources, separately and together, and report the process's peak RSS. Goal (issue 2):
// load + validate under 1 s and 200 MB. A benchmark, not a test: run it with `make bench`.

#include "config/document_splitter.h"
#include "config/loader.h"
#include "config_generator.h"
#include "validate/validator.h"

#include <cstdio>

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <yaml-cpp/yaml.h>

namespace {

constexpr std::size_t kResourcesPerApp = 5;
constexpr std::size_t kApps = 10'000 / kResourcesPerApp;

const std::vector<sluice::bench::GeneratedFile>& config() {
    static const auto files = sluice::bench::generateConfig(kApps);
    return files;
}

sluice::config::LoadResult loadAll() {
    sluice::config::LoadResult result;
    for (const auto& f : config())
        sluice::config::loadText(f.path, f.text, result);
    return result;
}

double peakRssMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

void report(benchmark::State& state, std::size_t resources) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * resources));
    state.counters["resources"] = static_cast<double>(resources);
    state.counters["peak_rss_MiB"] = peakRssMiB();
}

void BM_Load(benchmark::State& state) {
    std::size_t resources = 0;
    for (auto _ : state) {
        sluice::config::LoadResult r = loadAll();
        resources = r.resources.resourceCount();
        benchmark::DoNotOptimize(r);
    }
    report(state, resources);
}

// Baseline: what yaml-cpp alone costs for the same documents (the loader's floor).
void BM_YamlCppParseOnly(benchmark::State& state) {
    std::size_t documents = 0;
    for (auto _ : state) {
        documents = 0;
        for (const auto& f : config()) {
            for (const auto& slice : sluice::config::splitDocuments(f.text)) {
                YAML::Node root = YAML::Load(f.text.substr(slice.begin, slice.end - slice.begin));
                benchmark::DoNotOptimize(root);
                ++documents;
            }
        }
    }
    report(state, documents);
}

void BM_Validate(benchmark::State& state) {
    const sluice::config::LoadResult loaded = loadAll();
    for (auto _ : state) {
        sluice::model::Diagnostics d = sluice::validate::validate(loaded.resources);
        benchmark::DoNotOptimize(d);
    }
    report(state, loaded.resources.resourceCount());
}

void BM_LoadAndValidate(benchmark::State& state) {
    std::size_t resources = 0;
    std::size_t findings = 0;
    for (auto _ : state) {
        sluice::config::LoadResult r = loadAll();
        sluice::model::Diagnostics d = sluice::validate::validate(r.resources);
        resources = r.resources.resourceCount();
        findings = r.diagnostics.size() + d.size();
        benchmark::DoNotOptimize(d);
    }
    report(state, resources);
    state.counters["diagnostics"] = static_cast<double>(findings);
}

BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_YamlCppParseOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Validate)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadAndValidate)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

int main(int argc, char** argv) {
    std::size_t bytes = 0;
    for (const auto& f : config())
        bytes += f.text.size();
    std::printf("Generated config: %zu resources in %zu files, %.1f MiB of YAML\n", kApps * kResourcesPerApp,
                config().size(), static_cast<double>(bytes) / (1 << 20));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::printf("Peak RSS of the whole run: %.1f MiB (goal: under 200 MB for load + validate)\n",
                peakRssMiB());
    return 0;
}
