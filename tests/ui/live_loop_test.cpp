// SPDX-License-Identifier: Apache-2.0
// The whole live loop, driven from the window as a user would: the canary sample opened, the proxy
// started with F6's action, a load started from the Traffic dock, the Dashboard filling with the
// 90/10 split observed, the What-if slider moved to 50/50 and the observed split following, the
// access log filled, and stopping the proxy freeing its port.
#include "../integration/port_offset.h"
#include "bridge/live_traffic.h"
#include "charts/dashboard_charts.h"
#include "charts/dashboard_panel.h"
#include "live/access_log_model.h"
#include "live/access_log_panel.h"
#include "live/live_session.h"
#include "live/traffic_panel.h"
#include "widgets/color_theme.h"
#include "widgets/live_wiring.h"
#include "widgets/main_window.h"
#include "widgets/what_if_panel.h"

#include <QAction>
#include <QApplication>
#include <QAreaSeries>
#include <QBarSet>
#include <QComboBox>
#include <QFile>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sluice;
using sluice::ui::ProxyController;

namespace {

workload::SessionOptions ephemeral() {
    auto o = ProxyController::defaultOptions();
    o.serve.ephemeralPorts = true;
    return o;
}

/// The canary rule's split in `view`: its requests and the canary's observed percent.
struct ObservedSplit {
    std::uint64_t requests = 0;
    double stablePercent = 0;
    double canaryPercent = 0;
};

ObservedSplit canarySplit(const live::LiveViewPtr& view) {
    ObservedSplit out;
    if (!view || view->splits.size() != 1)
        return out;
    const live::RuleSplit& split = view->splits[0];
    out.requests = split.requests;
    for (const auto& share : split.shares) {
        if (share.destination.subset == "stable")
            out.stablePercent = share.observedPercent;
        else if (share.destination.subset == "canary")
            out.canaryPercent = share.observedPercent;
    }
    return out;
}

QString describe(const ObservedSplit& s) {
    return QStringLiteral("%1 requests, %2 / %3").arg(s.requests).arg(s.stablePercent).arg(s.canaryPercent);
}

} // namespace

class LiveLoopTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // keep the user's settings alone

    void theWholeLoopFromTheWindow() {
        QTemporaryDir dir; // the What-if edits the buffer of a copy, never the sample itself
        for (const char* name : {"gateway.yaml", "workloads.yaml"})
            QVERIFY(QFile::copy(QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary/") + QLatin1String(name),
                                dir.filePath(QLatin1String(name))));
        ui::CoreBridge bridge;
        ui::ColorTheme theme(*qApp);
        ui::MainWindow window(bridge, theme);
        window.show();
        window.openPaths({dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() && !bridge.busy(), 20000);

        // F6: the proxy starts on the config in view.
        ui::LiveSession& live = window.live()->session();
        ProxyController& proxy = live.proxy();
        QVERIFY(proxy.setSessionOptions(ephemeral()));
        window.live()->proxyAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(proxy.state(), ProxyController::State::Running, 10000);
        QCOMPARE(proxy.listeners().size(), std::size_t{1});
        const std::uint16_t port = proxy.listeners()[0].localPort;

        // The Traffic dock: 1,000 requests per second until stopped, the mix built from the routes.
        ui::TrafficPanel* traffic = window.live()->trafficPanel();
        traffic->setMode(ui::TrafficPanel::Mode::Load);
        auto* rate = traffic->findChild<QSpinBox*>(QStringLiteral("rate"));
        auto* duration = traffic->findChild<QSpinBox*>(QStringLiteral("duration"));
        auto* start = traffic->findChild<QPushButton*>(QStringLiteral("start"));
        QVERIFY(rate && duration && start);
        rate->setValue(1000);
        duration->setValue(0); // until stopped
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(live.traffic().running(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(start->text(), QStringLiteral("Stop"), 10000);

        // The Dashboard fills: both destinations stacked, latency lines, the observed split 90/10.
        auto* dashboard = window.findChild<ui::DashboardPanel*>();
        QVERIFY(dashboard);
        const ui::DashboardCharts& charts = dashboard->charts();
        ui::LiveTraffic& liveTraffic = window.liveTraffic();
        QTRY_VERIFY_WITH_TIMEOUT(charts.destinationAreas().size() == 2 &&
                                     charts.destinationAreas()[1]->upperSeries()->count() >= 3 &&
                                     charts.latency(0)->count() >= 2 &&
                                     canarySplit(liveTraffic.view()).requests >= 2000,
                                 30000);
        QCOMPARE(charts.configuredSplit()->count(), 2);
        QCOMPARE(charts.configuredSplit()->at(0), 90.0);
        // 2,000 draws of 90/10: a standard deviation of 0.7 points; allow four.
        const ObservedSplit before = canarySplit(liveTraffic.view());
        qInfo("observed before the change: %s", qPrintable(describe(before)));
        QVERIFY2(std::abs(before.canaryPercent - 10) <= 4, qPrintable(describe(before)));
        QCOMPARE(charts.observedSplit()->at(0), before.stablePercent);
        QCOMPARE(charts.observedSplit()->at(1), before.canaryPercent);

        // What-if: the rule selected, its canary slider moved to 50: the YAML is edited,
        // revalidated and hot-reloaded.
        auto* whatIf = window.findChild<ui::WhatIfPanel*>();
        QVERIFY(whatIf);
        QVERIFY(whatIf->selectRule(QStringLiteral("canary/frontend"), 0));
        QCOMPARE(whatIf->sliders().size(), std::size_t{2});
        QCOMPARE(whatIf->sliders()[0]->value(), 90);
        QSignalSpy reloaded(&proxy, &ProxyController::reloaded);
        whatIf->sliders()[1]->setValue(50); // as the keyboard moves it: applies at once
        QCOMPARE(whatIf->sliders()[0]->value(), 50);
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), 20000);
        QVERIFY2(reloaded.at(0).at(0).toBool(), qPrintable(reloaded.at(0).at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(charts.configuredSplit()->at(0), 50.0, 10000);

        // The seconds wholly after the reload: the second open at the reload may mix both configs.
        const std::int64_t reloadSecond = liveTraffic.history().lastSecond() + 1;
        const auto sinceReload = [&] {
            const std::int64_t seconds = liveTraffic.history().lastSecond() - reloadSecond;
            return seconds > 0 ? canarySplit(liveTraffic.history().view(static_cast<std::size_t>(seconds)))
                               : ObservedSplit{};
        };
        QTRY_VERIFY_WITH_TIMEOUT(sinceReload().requests >= 1500, 30000);
        // 1,500 draws of 50/50: a standard deviation of 1.3 points; allow seven.
        const ObservedSplit after = sinceReload();
        qInfo("observed since the reload: %s", qPrintable(describe(after)));
        QVERIFY2(std::abs(after.canaryPercent - 50) <= 7, qPrintable(describe(after)));

        // The access log filled with the requests sent.
        const ui::AccessLogModel* log = window.live()->accessLog()->model();
        QTRY_VERIFY_WITH_TIMEOUT(log->rowCount() > 100, 10000);
        QCOMPARE(log->index(0, ui::AccessLogModel::Host).data().toString(),
                 QStringLiteral("shop.example.com"));
        QCOMPARE(log->index(0, ui::AccessLogModel::Route).data().toString(),
                 QStringLiteral("frontend-split"));

        // Stop the load from the dock, then the proxy with F6's action: the port is free again.
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!live.traffic().running(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(start->text(), QStringLiteral("Start"), 10000);
        window.live()->proxyAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(proxy.state(), ProxyController::State::Stopped, 10000);
        QVERIFY(proxy.listeners().empty());
        QVERIFY(sluice::test::portIsFree(port));
    }
};

QTEST_MAIN(LiveLoopTest)
#include "live_loop_test.moc"
