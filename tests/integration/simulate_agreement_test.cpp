// SPDX-License-Identifier: Apache-2.0
// `sluice simulate` against the live proxy on the same configs: the canary split and an error rate
// agree within statistical tolerance. The live side is `serve` in-process on ephemeral ports,
// driven by curl (one keep-alive connection, many requests); the workload that answered is in
// x-sluice-workload.

#include "served_config.h"
#include "traffic/traffic_simulator.h"

#include <cmath>

#include <QFile>
#include <QTest>

using namespace sluice;

namespace {

/// Sends `count` GET / with Host `host` to the gateway's port 80; one line per answer:
/// "status workload".
QList<QByteArray> sendLive(const test::Served& served, const QString& host, int count,
                           const QStringList& headers = {}) {
    const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(served.port(80));
    QStringList args{QStringLiteral("-w"), QStringLiteral("%{http_code} %header{x-sluice-workload}\\n"),
                     QStringLiteral("-H"), QStringLiteral("Host: ") + host};
    for (const QString& h : headers)
        args << QStringLiteral("-H") << h;
    for (int i = 0; i < count; ++i)
        args << QStringLiteral("-o") << QStringLiteral("/dev/null") << url;
    QProcess p;
    p.start(QStringLiteral("curl"),
            QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("60")} + args);
    if (!p.waitForStarted(10000) || !p.waitForFinished(90000))
        return {};
    return p.readAllStandardOutput().split('\n');
}

traffic::SimulationResult simulated(const config::LoadResult& loaded,
                                    const traffic::RequestMix* mix = nullptr) {
    traffic::SimulationOptions o;
    o.requests = 20000;
    o.rate = 1000;
    o.seed = 17;
    return traffic::TrafficSimulator::run(
        {loaded.resources, routing::compile(loaded.resources), mix, nullptr, nullptr}, o);
}

} // namespace

class SimulateAgreementTest : public QObject {
    Q_OBJECT

private slots:
    // samples/canary: the share of the canary subset, live and simulated.
    void canarySplit() {
        const test::Served served = test::Served::sample("canary");
        QVERIFY2(served.error.empty(), served.error.c_str());
        constexpr int kLive = 2000;
        const auto lines = sendLive(served, QStringLiteral("shop.example.com"), kLive);
        int answered = 0, canary = 0;
        for (const QByteArray& line : lines) {
            if (!line.startsWith("200 "))
                continue;
            ++answered;
            canary += line.contains("frontend-v2");
        }
        QCOMPARE(answered, kLive);
        const double live = 100.0 * canary / kLive;

        const auto sim = simulated(served.loaded);
        QVERIFY2(sim.ok(), sim.error.c_str());
        double simulatedShare = -1;
        for (const auto& d : sim.report.destinations)
            if (d.subset == "canary")
                simulatedShare = d.share;
        qInfo("canary share: %.2f %% live, %.2f %% simulated", live, simulatedShare);
        // Live: 2,000 draws of 10 %, standard deviation 0.67 %; simulated: 0.21 %.
        QVERIFY2(
            std::abs(live - simulatedShare) < 2.5,
            (std::to_string(live) + " live vs " + std::to_string(simulatedShare) + " simulated").c_str());
        QVERIFY(std::abs(simulatedShare - 10.0) < 1.0);
    }

    // An abort fault on a share of the requests (the faults sample's abort, without its 7 s delay
    // so that the live run stays short): the error rate, live and simulated.
    void faultErrorRate() {
        // The faults sample's Gateway, DestinationRule and workloads; its VirtualService without the delay.
        QFile workloads(QStringLiteral(SLUICE_SOURCE_DIR "/samples/faults/workloads.yaml"));
        QVERIFY(workloads.open(QIODevice::ReadOnly));
        const std::string config = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ratings-gateway, namespace: faults}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [ratings.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: faults}
spec:
  hosts: [ratings.example.com]
  gateways: [ratings-gateway]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    fault:
      abort: {percentage: {value: 30.0}, httpStatus: 500}
    route: [{destination: {host: ratings, subset: v1}}]
  - route: [{destination: {host: ratings, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings, namespace: faults}
spec:
  host: ratings
  subsets: [{name: v1, labels: {version: v1}}]
---
)" + workloads.readAll().toStdString();
        const test::Served served = test::Served::yaml(config);
        QVERIFY2(served.error.empty(), served.error.c_str());
        constexpr int kLive = 2000;
        const auto lines = sendLive(served, QStringLiteral("ratings.example.com"), kLive,
                                    {QStringLiteral("end-user: jason")});
        int answered = 0, failed = 0;
        for (const QByteArray& line : lines) {
            if (line.isEmpty())
                continue;
            ++answered;
            failed += line.startsWith("500 ");
        }
        QCOMPARE(answered, kLive);
        const double live = 100.0 * failed / kLive;

        traffic::RequestMix mix;
        traffic::RequestTemplate jason;
        jason.request.authority = "ratings.example.com";
        jason.request.headers.emplace_back("end-user", "jason");
        mix.add(jason);
        const auto sim = simulated(served.loaded, &mix);
        QVERIFY2(sim.ok(), sim.error.c_str());
        const double simulatedRate =
            100.0 * static_cast<double>(sim.report.errors) / static_cast<double>(sim.report.requests);
        qInfo("error rate: %.2f %% live, %.2f %% simulated", live, simulatedRate);
        // Live: standard deviation 1.0 %; simulated: 0.32 %.
        QVERIFY2(std::abs(live - simulatedRate) < 4.0,
                 (std::to_string(live) + " live vs " + std::to_string(simulatedRate) + " simulated").c_str());
        QVERIFY(std::abs(simulatedRate - 30.0) < 1.5);
    }
};

QTEST_GUILESS_MAIN(SimulateAgreementTest)
#include "simulate_agreement_test.moc"
