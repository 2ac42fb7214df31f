// SPDX-License-Identifier: Apache-2.0
#include "../core/live/live_feed.h"
#include "bridge/live_traffic.h"
#include "charts/dashboard_charts.h"
#include "charts/dashboard_panel.h"
#include "graph/flow_edge_item.h"
#include "graph/flow_scene.h"
#include "graph/flow_style.h"
#include "live/live_view_csv.h"
#include "models/rule_table_model.h"

#include <cmath>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QValueAxis>

using namespace sluice;
using namespace sluice::ui;
using live::test::Canary;
using live::test::Feed;

namespace {

const Canary kStable{"stable", 200, "", 1000};
const Canary kCanary{"canary", 200, "", 5000};
const Canary kCanaryFails{"canary", 503, "UF", 100};

ConfigSnapshotPtr canary() {
    return ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/canary"});
}

QAction* action(const DashboardPanel& panel, const QString& name) {
    return panel.toolBar().findChild<QAction*>(name);
}

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QStringLiteral("(unreadable)");
}

/// The live traffic, its dashboard and a collector feeding them three seconds of the canary split.
struct Fixture {
    LiveTraffic traffic;
    DashboardPanel panel{traffic};
    Feed feed{[this](const metrics::MetricsSnapshotPtr& s) {
        traffic.addSnapshot(s);
    }};

    Fixture() {
        traffic.setConfig(canary());
        feed.prime();
    }
    void run(int seconds, std::uint64_t stable = 9, std::uint64_t canaryOk = 1,
             std::uint64_t canaryFails = 0) {
        feed.run(seconds, [&] {
            feed.record(kStable, stable);
            feed.record(kCanary, canaryOk);
            feed.record(kCanaryFails, canaryFails);
        });
    }
};

} // namespace

class DashboardPanelTest : public QObject {
    Q_OBJECT

private slots:
    // Snapshots fill the series once their second closes: stacked rates, latency lines, the
    // observed split next to the configured one, and the per-rule table.
    void seriesFillFromSnapshots() {
        Fixture f;
        QAbstractItemModelTester tester(&f.panel.rules(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy views(&f.traffic, &LiveTraffic::viewChanged);
        f.run(3);
        f.feed.tick();
        QCOMPARE(views.count(), 4); // one per closed second, not one per snapshot (31)

        const DashboardCharts& charts = f.panel.charts();
        QCOMPARE(charts.destinationAreas().size(), std::size_t(2));
        QCOMPARE(charts.destinationAreas()[0]->name(), QStringLiteral("frontend:8080 canary"));
        QCOMPARE(charts.destinationAreas()[1]->name(), QStringLiteral("frontend:8080 stable"));
        const QList<QPointF> top = charts.destinationAreas()[1]->upperSeries()->points();
        QCOMPARE(top.size(), 4); // seconds 0 .. 3, at x -3 .. 0
        QCOMPARE(top[0], QPointF(-3, 0));
        QCOMPARE(top[3], QPointF(0, 100)); // stacked: 10 canary + 90 stable
        QCOMPARE(charts.destinationAreas()[0]->upperSeries()->points()[3], QPointF(0, 10));
        QCOMPARE(charts.latency(0)->count(), 3); // no point for the second without requests
        QCOMPARE(charts.latency(2)->points().back().y(),
                 static_cast<double>(f.traffic.view()->points.back().p99) / 1000.0);
        QCOMPARE(charts.configuredSplit()->count(), 2);
        QCOMPARE(charts.configuredSplit()->at(0), 90.0);
        QCOMPARE(charts.configuredSplit()->at(1), 10.0);
        QCOMPARE(charts.observedSplit()->at(0), 90.0);
        QCOMPARE(charts.observedSplit()->at(1), 10.0);
        QCOMPARE(charts.splitAxis()->categories(),
                 (QStringList{QStringLiteral("frontend-split: frontend:8080 stable"),
                              QStringLiteral("frontend-split: frontend:8080 canary")}));

        const RuleTableModel& rules = f.panel.rules();
        QCOMPARE(rules.rowCount(), 1);
        QCOMPARE(rules.index(0, RuleTableModel::Rule).data().toString(),
                 QStringLiteral("canary/frontend rule 0 (frontend-split)"));
        QCOMPARE(rules.index(0, RuleTableModel::Requests).data().toString(), QStringLiteral("300"));
        QCOMPARE(rules.index(0, RuleTableModel::Rps).data().toString(), QStringLiteral("75.0"));
        QCOMPARE(rules.index(0, RuleTableModel::ErrorPercent).data().toString(), QStringLiteral("0.00"));
    }

    // Count axes are ticked at whole numbers, so their "%.0f" labels never repeat: empty, a
    // few requests, many.
    void countAxesTickAtWholeNumbers() {
        const auto wholeTicks = [](const QValueAxis* axis) {
            const double interval = axis->tickInterval();
            return axis->tickType() == QValueAxis::TicksDynamic && axis->min() == 0 && interval >= 1 &&
                   std::fmod(interval, 1.0) == 0 && std::fmod(axis->max(), interval) == 0;
        };
        Fixture idle;
        QCOMPARE(idle.panel.charts().failureCountAxis()->max(), 1.0);
        QVERIFY(wholeTicks(idle.panel.charts().failureCountAxis()));
        QVERIFY(wholeTicks(idle.panel.charts().rateAxis()));

        Fixture f;
        f.run(2, 9, 0, 1);
        const DashboardCharts& charts = f.panel.charts();
        QVERIFY(charts.failures()->at(0) > 0);
        QVERIFY(wholeTicks(charts.failureCountAxis()));
        QVERIFY(wholeTicks(charts.rateAxis()));
        QVERIFY(charts.rateAxis()->max() > 5); // a range where the interval is not 1
    }

    void failuresAndWindowSwitching() {
        Fixture f;
        f.run(2, 9, 0, 1);
        const DashboardCharts& charts = f.panel.charts();
        QCOMPARE(charts.failureAxis()->categories(),
                 (QStringList{QStringLiteral("503"), QStringLiteral("UF")}));
        QCOMPARE(charts.failures()->at(0), 10.0);
        QCOMPARE(charts.timeAxis()->min(), -59.0);
        f.panel.windowBox().setCurrentIndex(2);
        QCOMPARE(f.traffic.window(), std::size_t(900));
        QCOMPARE(f.traffic.view()->windowSeconds, std::size_t(900));
        QCOMPARE(charts.timeAxis()->min(), -899.0);
        f.panel.windowBox().setCurrentIndex(1);
        QCOMPARE(f.traffic.window(), std::size_t(300));
    }

    void pauseAndReset() {
        Fixture f;
        f.run(2);
        QAction* pause = action(f.panel, QStringLiteral("pause"));
        QVERIFY(pause);
        pause->trigger();
        QVERIFY(f.traffic.paused());
        const std::int64_t shown = f.traffic.view()->lastSecond;
        f.run(2);
        QCOMPARE(f.traffic.view()->lastSecond, shown); // the view stays while paused
        pause->trigger();
        QCOMPARE(f.traffic.view()->lastSecond, shown + 2);

        action(f.panel, QStringLiteral("reset"))->trigger();
        QCOMPARE(f.panel.rules().rowCount(), 0);
        QCOMPARE(f.panel.charts().destinationAreas().size(), std::size_t(0));
        QCOMPARE(f.panel.charts().latency(0)->count(), 0);
        QCOMPARE(f.panel.charts().configuredSplit()->at(0), 90.0); // the config stays
        QCOMPARE(f.panel.charts().observedSplit()->at(0), 0.0);
    }

    void exports() {
        Fixture f;
        f.run(2);
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("run.csv"));
        QVERIFY(f.panel.exportCsv(csv));
        const live::LiveView& view = *f.traffic.view();
        QCOMPARE(readAll(csv), QString::fromStdString(live::LiveViewCsv::timeSeries(view)));
        QCOMPARE(
            readAll(dir.filePath(QStringLiteral("run-splits.csv"))),
            QStringLiteral("rule,destination,configured_percent,observed_percent,requests\n"
                           "canary/frontend rule 0 (frontend-split),frontend:8080 stable,90.00,90.00,90\n"
                           "canary/frontend rule 0 (frontend-split),frontend:8080 canary,10.00,10.00,10\n"));
        for (const char* suffix : {"-destinations", "-errors", "-rules"})
            QVERIFY(QFile::exists(
                dir.filePath(QStringLiteral("run") + QLatin1String(suffix) + QStringLiteral(".csv"))));
        f.panel.resize(900, 700);
        const QString png = dir.filePath(QStringLiteral("charts.png"));
        QVERIFY(f.panel.exportPng(png));
        QVERIFY(QImage(png).width() > 0);
        QVERIFY(!f.panel.exportCsv(QStringLiteral("/nonexistent/dir/run.csv")));
    }

    // Updating at 10 Hz stays cheap: a snapshot that closes no second redraws nothing, and a full
    // 15-minute window redraws well within a frame.
    void updatesAreCheap() {
        Fixture f;
        f.panel.windowBox().setCurrentIndex(2);
        f.run(900);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 10; ++i)
            f.feed.tick(); // one second of snapshots: one redraw of 900 points per series
        QVERIFY2(timer.elapsed() < 160, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(f.panel.charts().latency(0)->count(), 900);
    }

    // The flow overlay: Kiali's colour by error ratio and a width by rate on the edges crossed.
    void overlayColoursAndWidths() {
        Fixture f;
        f.run(3, 9, 0, 1); // the canary fails every request: red; the stable path is green
        QVERIFY(f.traffic.overlay());
        FlowScene scene;
        QSignalSpy overlays(&f.traffic, &LiveTraffic::overlayChanged);
        f.feed.run(1, [&] {
            f.feed.record(kStable, 9);
            f.feed.record(kCanaryFails, 1);
        });
        QVERIFY(!overlays.isEmpty());
        const auto flowGraph = overlays.back().at(0).value<flow::FlowGraphPtr>();
        const auto traffic = overlays.back().at(1).value<std::shared_ptr<const live::FlowOverlay>>();
        scene.setGraph(flowGraph,
                       std::make_shared<const flow::FlowLayout>(flow::FlowLayout::compute(*flowGraph)));
        scene.setTraffic(flowGraph, traffic);
        const auto edgeTo = [&](const std::string& from, const std::string& to) {
            return scene.edgeItems()[*flowGraph->edgeBetween(*flowGraph->find(from), *flowGraph->find(to))];
        };
        const std::string rule = "rule:canary/frontend/http/0";
        const FlowEdgeItem* stable =
            edgeTo(rule, "dest:outbound|8080|stable|frontend.canary.svc.cluster.local");
        const FlowEdgeItem* failing =
            edgeTo(rule, "dest:outbound|8080|canary|frontend.canary.svc.cluster.local");
        QCOMPARE(stable->colour(), flowstyle::health(live::EdgeHealth::Healthy));
        QCOMPARE(failing->colour(), flowstyle::health(live::EdgeHealth::Failure));
        QCOMPARE(failing->colour(), QColor(0xc9, 0x19, 0x0b));
        QCOMPARE(stable->traffic().share, 90.0);
        QCOMPARE(stable->trafficWidth(), traffic->widthFor(stable->traffic().rps));
        QCOMPARE(edgeTo("server:canary/shop-gateway#0", rule)->trafficWidth(), 8.0); // the busiest
        QVERIFY(failing->trafficWidth() > 1.5 && failing->trafficWidth() < stable->trafficWidth());
        QCOMPARE(QString::fromStdString(failing->traffic().label()).endsWith(QStringLiteral("· 10%")), true);
        scene.setTraffic(flowGraph, nullptr);
        QCOMPARE(stable->trafficWidth(), 0.0);
        QCOMPARE(stable->colour(), flowstyle::kEdge);
    }
};

QTEST_MAIN(DashboardPanelTest)
#include "dashboard_panel_test.moc"
