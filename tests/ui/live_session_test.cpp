// SPDX-License-Identifier: Apache-2.0
// The live loop without the window: the proxy serving samples/canary on ephemeral ports, load
// through it, the split observed in the metrics snapshots, a hot reload moving it, an invalid edit
// keeping the last good config, and stopping freeing the ports.
#include "../integration/port_offset.h"
#include "bridge/core_bridge.h"
#include "live/access_log_model.h"
#include "live/live_session.h"
#include "widgets/live_wiring.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sluice;
using sluice::ui::ProxyController;

namespace {

/// Requests answered 200 per subset of the frontend, since the collector started.
struct Split {
    double stable = 0;
    double canary = 0;
    [[nodiscard]] double total() const { return stable + canary; }
    [[nodiscard]] double canaryShare() const { return total() > 0 ? canary / total() : 0; }
    Split operator-(const Split& o) const { return {stable - o.stable, canary - o.canary}; }
};

Split splitOf(const metrics::MetricsSnapshotPtr& s) {
    Split out;
    if (!s)
        return out;
    for (const auto& series : s->series) {
        if (series.key->responseCode != 200 || series.key->service.find("frontend") == std::string::npos)
            continue;
        if (series.key->subset == "stable")
            out.stable += static_cast<double>(series.requests);
        else if (series.key->subset == "canary")
            out.canary += static_cast<double>(series.requests);
    }
    return out;
}

workload::SessionOptions ephemeral() {
    workload::SessionOptions o = ProxyController::defaultOptions();
    o.serve.ephemeralPorts = true;
    o.serve.workers = 2;
    return o;
}

} // namespace

class LiveSessionTest : public QObject {
    Q_OBJECT

private slots:
    void theCanarySplitIsObservedAndFollowsAHotReload() {
        ui::CoreBridge bridge;
        bridge.open({QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() && !bridge.busy(), 20000);
        ui::LiveSession live(ephemeral());
        connect(&bridge, &ui::CoreBridge::snapshotReady, &live,
                [&live](const ui::ConfigSnapshotPtr& s) { live.setConfig(ui::servableConfig(s)); });
        live.setConfig(ui::servableConfig(bridge.current()));
        ProxyController& proxy = live.proxy();

        metrics::MetricsSnapshotPtr latest;
        QThread* deliveredOn = nullptr;
        connect(&proxy, &ProxyController::metricsUpdated, this, [&](const metrics::MetricsSnapshotPtr& s) {
            latest = s;
            deliveredOn = QThread::currentThread();
        });
        ui::AccessLogModel log;
        connect(&proxy, &ProxyController::requestsLogged, &log, &ui::AccessLogModel::append);
        QSignalSpy reloaded(&proxy, &ProxyController::reloaded);

        ui::LoadSettings load;
        load.rate = 1000;
        load.connections = 4;
        load.seconds = 0;   // until stopped
        live.runLoad(load); // starts the proxy first
        QCOMPARE(proxy.state(), ProxyController::State::Starting);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.state(), ProxyController::State::Running, 10000);
        QCOMPARE(proxy.listeners().size(), std::size_t{1});
        const std::uint16_t port = proxy.listeners()[0].localPort;
        QVERIFY(proxy.statusText().contains(QStringLiteral("Host: shop.example.com")));
        QTRY_VERIFY_WITH_TIMEOUT(live.traffic().running() && splitOf(latest).total() >= 1500, 20000);
        QCOMPARE(deliveredOn, QThread::currentThread());
        // 90/10 configured: 1,500 draws give a standard deviation of 0.8 points; allow five.
        QVERIFY2(std::abs(splitOf(latest).canaryShare() - 0.10) < 0.04,
                 qPrintable(QString::number(splitOf(latest).canaryShare())));
        QTRY_VERIFY_WITH_TIMEOUT(log.rowCount() > 100, 5000);
        QCOMPARE(log.index(0, ui::AccessLogModel::Host).data().toString(),
                 QStringLiteral("shop.example.com"));
        QCOMPARE(log.index(0, ui::AccessLogModel::Route).data().toString(), QStringLiteral("frontend-split"));

        // The weight edited to 50/50 in an unsaved buffer: revalidated, hot-reloaded.
        const auto& files = bridge.current()->loaded.resources.files;
        const auto gateway = std::find_if(files.begin(), files.end(),
                                          [](const auto& f) { return f.path.ends_with("gateway.yaml"); });
        QVERIFY(gateway != files.end());
        const QString path = QString::fromStdString(gateway->path);
        QString text = QString::fromStdString(gateway->text);
        text.replace(QStringLiteral("weight: 90"), QStringLiteral("weight: 50"));
        text.replace(QStringLiteral("weight: 10"), QStringLiteral("weight: 50"));
        bridge.revalidate({{path, text}});
        QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, 20000);
        QCOMPARE(reloaded.at(0).at(0).toBool(), true);
        const Split atReload = splitOf(latest);
        QTRY_VERIFY_WITH_TIMEOUT((splitOf(latest) - atReload).total() >= 1500, 20000);
        // Requests in flight at the swap may still follow 90/10: a few, within the tolerance.
        const double share = (splitOf(latest) - atReload).canaryShare();
        QVERIFY2(std::abs(share - 0.5) < 0.07, qPrintable(QString::number(share)));

        // An invalid edit keeps the last good config serving, and says so.
        QString broken = text;
        broken.replace(QStringLiteral("subset: canary"), QStringLiteral("subset: nonexistent"));
        broken.replace(QStringLiteral("number: 8080\n      weight: 50"),
                       QStringLiteral("number: 8080\n      weight: -5"));
        bridge.revalidate({{path, broken}});
        QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 2, 20000);
        QCOMPARE(reloaded.at(1).at(0).toBool(), false);
        QVERIFY(reloaded.at(1).at(1).toString().contains(QStringLiteral("last good config")));
        QVERIFY(proxy.statusText().contains(QStringLiteral("last good config")));
        QCOMPARE(proxy.state(), ProxyController::State::Running);
        const Split beforeMore = splitOf(latest);
        QTRY_VERIFY_WITH_TIMEOUT((splitOf(latest) - beforeMore).total() >= 200, 10000);

        // Stopping: the load ends, then the proxy; its port is free again.
        QSignalSpy finished(&live.traffic(), &ui::TrafficController::finished);
        live.stopTraffic();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const QString report = finished.at(0).at(1).toString();
        QVERIFY2(finished.at(0).at(0).toBool() &&
                     report.contains(QStringLiteral("load on http://127.0.0.1:")),
                 qPrintable(report));
        proxy.stop();
        QCOMPARE(proxy.state(), ProxyController::State::Stopping);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.state(), ProxyController::State::Stopped, 10000);
        QVERIFY(proxy.listeners().empty());
        QVERIFY(sluice::test::portIsFree(port));
    }

    void aConfigWithErrorsDoesNotStart() {
        ui::CoreBridge bridge;
        bridge.open({QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() && !bridge.busy(), 20000);
        ui::LiveSession live(ephemeral());
        live.setConfig(ui::servableConfig(bridge.current()));
        live.proxy().start();
        QCOMPARE(live.proxy().state(), ProxyController::State::Failed);
        QVERIFY2(live.proxy().statusText().contains(QStringLiteral("error")),
                 qPrintable(live.proxy().statusText()));
    }

    void simulationReportsWithoutTheProxy() {
        ui::CoreBridge bridge;
        bridge.open({QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() && !bridge.busy(), 20000);
        ui::LiveSession live(ephemeral());
        live.setConfig(ui::servableConfig(bridge.current()));
        QSignalSpy finished(&live.traffic(), &ui::TrafficController::finished);
        live.runSimulation(2000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY(finished.at(0).at(1).toString().contains(QStringLiteral("canary")));
        QCOMPARE(live.proxy().state(), ProxyController::State::Stopped);
    }
};

QTEST_MAIN(LiveSessionTest)
#include "live_session_test.moc"
