// SPDX-License-Identifier: Apache-2.0
// sluice-bench-flow-scene: what the GUI thread itself does with a laid-out flow graph of 200
// VirtualServices on one Gateway (the worst case): building the scene's items, and painting a
// full frame of the view. Graph building and layout run on workers (sluice-bench-flow measures
// them); these two are the part that must stay small for the Studio to stay fluent.

#include "config/loader.h"
#include "config_generator.h"
#include "flow/flow_graph_builder.h"
#include "flow/flow_layout.h"
#include "graph/flow_scene.h"
#include "routing/route_table.h"
#include "validate/validator.h"

#include <QApplication>
#include <QGraphicsView>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

namespace {

struct Laid {
    sluice::flow::FlowGraphPtr graph;
    sluice::flow::FlowLayoutPtr layout;
};

const Laid& laid() {
    static const Laid l = [] {
        sluice::config::LoadResult loaded;
        sluice::config::loadText("shared.yaml", sluice::bench::sharedGatewayConfig(200), loaded);
        const auto diagnostics = sluice::validate::validate(loaded.resources);
        const auto table = sluice::routing::compile(loaded.resources);
        auto graph = std::make_shared<const sluice::flow::FlowGraph>(
            sluice::flow::FlowGraphBuilder(loaded.resources, diagnostics, *table).build());
        auto layout =
            std::make_shared<const sluice::flow::FlowLayout>(sluice::flow::FlowLayout::compute(*graph));
        return Laid{graph, layout};
    }();
    return l;
}

void BM_SceneBuild(benchmark::State& state) {
    const Laid& l = laid();
    sluice::ui::FlowScene scene;
    for (auto _ : state)
        scene.setGraph(l.graph, l.layout);
    state.counters["nodes"] = static_cast<double>(scene.nodeItems().size());
    state.counters["edges"] = static_cast<double>(scene.edgeItems().size());
}

/// One 1280x800 frame showing `source` (scene coordinates) of the laid-out graph.
void paintFrames(benchmark::State& state, bool whole) {
    const Laid& l = laid();
    sluice::ui::FlowScene scene;
    scene.setGraph(l.graph, l.layout);
    const QRectF all = scene.sceneRect();
    // Whole: everything fitted (the most items, tiny). Readable: the zoom the view opens with
    // (0.55), a window's worth of the middle of the graph.
    const QSizeF readable(1280 / 0.55, 800 / 0.55);
    const QRectF source =
        whole ? all : QRectF(all.center() - QPointF(readable.width(), readable.height()) / 2, readable);
    QImage frame(1280, 800, QImage::Format_ARGB32_Premultiplied);
    std::size_t visible = 0;
    for (auto _ : state) {
        QPainter painter(&frame);
        painter.setRenderHint(QPainter::Antialiasing);
        scene.render(&painter, QRectF(0, 0, 1280, 800), source);
    }
    for (const auto* item : scene.items(source))
        visible += item != nullptr;
    state.counters["items"] = static_cast<double>(visible);
}

void BM_ScenePaintWhole(benchmark::State& state) {
    paintFrames(state, true);
}

void BM_ScenePaintReadable(benchmark::State& state) {
    paintFrames(state, false);
}

} // namespace

BENCHMARK(BM_SceneBuild)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScenePaintWhole)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScenePaintReadable)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
