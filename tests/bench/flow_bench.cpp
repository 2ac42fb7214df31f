// SPDX-License-Identifier: Apache-2.0
// sluice-bench-flow: the Studio's flow graph for 200 VirtualServices: building the graph from the
// compiled route table, laying it out with Graphviz dot, and both.
//  * Apps: config_generator's 200 apps (a Gateway with HTTP + HTTPS servers, a VirtualService with 4
//    rules, a DestinationRule with 3 subsets, a Service and a Deployment each): 200 separate parts.
//  * Shared: 200 VirtualServices (4 rules, a 90/10 split) bound to ONE Gateway, each with a
//    DestinationRule (2 subsets), a Service and 2 Deployments: one connected graph, dot's worst case.
// Goal (issue 4): the Studio stays fluent with 200 VirtualServices; layout runs on a worker. A
// benchmark, not a test: run it with `make bench`.

#include "config/loader.h"
#include "config_generator.h"
#include "flow/flow_graph_builder.h"
#include "flow/flow_layout.h"
#include "routing/route_table.h"
#include "validate/validator.h"

#include <string>
#include <vector>

#include <benchmark/benchmark.h>

namespace {

constexpr std::size_t kVirtualServices = 200;

struct Input {
    sluice::config::LoadResult loaded;
    sluice::model::Diagnostics diagnostics;
    sluice::routing::RouteTablePtr table;
};

Input load(const std::vector<sluice::bench::GeneratedFile>& files) {
    Input i;
    for (const auto& f : files)
        sluice::config::loadText(f.path, f.text, i.loaded);
    i.diagnostics = sluice::validate::validate(i.loaded.resources);
    i.table = sluice::routing::compile(i.loaded.resources);
    return i;
}

const Input& input(bool shared) {
    static const Input apps = load(sluice::bench::generateConfig(kVirtualServices));
    static const Input one = load({{"shared.yaml", sluice::bench::sharedGatewayConfig(kVirtualServices)}});
    return shared ? one : apps;
}

sluice::flow::FlowGraph build(bool shared) {
    const Input& in = input(shared);
    return sluice::flow::FlowGraphBuilder(in.loaded.resources, in.diagnostics, *in.table).build();
}

void sizes(benchmark::State& state, const sluice::flow::FlowGraph& graph) {
    state.counters["virtualServices"] =
        static_cast<double>(input(state.range(0) != 0).loaded.resources.virtualServices.size());
    state.counters["nodes"] = static_cast<double>(graph.nodes().size());
    state.counters["edges"] = static_cast<double>(graph.edges().size());
}

void BM_FlowBuild(benchmark::State& state) {
    input(state.range(0) != 0); // load and compile outside the timing
    sluice::flow::FlowGraph graph;
    for (auto _ : state) {
        graph = build(state.range(0) != 0);
        benchmark::DoNotOptimize(graph);
    }
    sizes(state, graph);
}

void BM_FlowLayout(benchmark::State& state) {
    const auto graph = build(state.range(0) != 0);
    for (auto _ : state) {
        auto layout = sluice::flow::FlowLayout::compute(graph);
        benchmark::DoNotOptimize(layout);
    }
    sizes(state, graph);
}

void BM_FlowBuildAndLayout(benchmark::State& state) {
    input(state.range(0) != 0);
    sluice::flow::FlowGraph graph;
    for (auto _ : state) {
        graph = build(state.range(0) != 0);
        auto layout = sluice::flow::FlowLayout::compute(graph);
        benchmark::DoNotOptimize(layout);
    }
    sizes(state, graph);
}

} // namespace

// Argument 0: config_generator's apps; 1: one shared Gateway.
BENCHMARK(BM_FlowBuild)->ArgName("shared")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FlowLayout)->ArgName("shared")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FlowBuildAndLayout)
    ->ArgName("shared")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
