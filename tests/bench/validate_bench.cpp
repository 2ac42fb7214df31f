// SPDX-License-Identifier: Apache-2.0
// sluice-bench-validate: load and validate a generated config of 10,000 resources, separately
// and together, and report the process's peak RSS. Goal (issue 2): load + validate under 1 s and
// 200 MB. BM_Load* use config::loadText on one thread; BM_LoadPaths* load the same files from a
// temporary folder with config::loadPaths, as `sluice validate DIR` does (several threads: their
// CPU column counts the whole process). A benchmark, not a test: run it with `make bench`.

#include "config/document_parser.h"
#include "config/document_splitter.h"
#include "config/loader.h"
#include "config_generator.h"
#include "validate/validator.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>
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

// The generated files written out once, for loadPaths().
const std::filesystem::path& folder() {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("sluice-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d / "generated");
        for (const auto& f : config())
            std::ofstream(d / f.path, std::ios::binary) << f.text;
        return d;
    }();
    return dir;
}

sluice::config::LoadResult loadFolder() {
    return sluice::config::loadPaths({folder().string()});
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

void BM_LoadPaths(benchmark::State& state) {
    std::size_t resources = 0;
    for (auto _ : state) {
        sluice::config::LoadResult r = loadFolder();
        resources = r.resources.resourceCount();
        benchmark::DoNotOptimize(r);
    }
    report(state, resources);
}

// The loader's parser alone (libyaml fast path, yaml-cpp for what it declines): its floor.
void BM_ParseOnly(benchmark::State& state) {
    std::size_t documents = 0;
    for (auto _ : state) {
        documents = 0;
        for (const auto& f : config()) {
            for (const auto& slice : sluice::config::splitDocuments(f.text)) {
                auto parsed = sluice::config::parseDocument(
                    std::string_view(f.text).substr(slice.begin, slice.end - slice.begin));
                benchmark::DoNotOptimize(parsed);
                ++documents;
            }
        }
    }
    report(state, documents);
}

// Baseline: what YAML::Load alone costs for the same documents (the parser before the fast path).
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

void BM_LoadPathsAndValidate(benchmark::State& state) {
    std::size_t resources = 0;
    for (auto _ : state) {
        sluice::config::LoadResult r = loadFolder();
        sluice::model::Diagnostics d = sluice::validate::validate(r.resources);
        resources = r.resources.resourceCount();
        benchmark::DoNotOptimize(d);
    }
    report(state, resources);
}

BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadPaths)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_YamlCppParseOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Validate)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadAndValidate)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadPathsAndValidate)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

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
    std::error_code ec;
    std::filesystem::remove_all(folder(), ec);
    std::printf("Peak RSS of the whole run: %.1f MiB (goal: under 200 MB for load + validate)\n",
                peakRssMiB());
    return 0;
}
