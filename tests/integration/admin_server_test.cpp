// SPDX-License-Identifier: Apache-2.0
// The admin endpoint on a served sample: Istio's metrics after real requests, /ready, /config_dump,
// /clusters, and what it refuses. curl as the client.

#include "metrics/metrics_collector.h"
#include "proxy/admin_server.h"
#include "served_config.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace sluice;
using sluice::test::curl;
using sluice::test::Served;

namespace {

/// A served bookinfo with metrics and its admin endpoint on an ephemeral port.
struct AdminFixture {
    AdminFixture()
        : served(Served::sample("bookinfo", options(collector)))
        , pages(served.server(), &collector)
        , admin(adminOptions(), pages) {
        collector.start();
        error = served.error.empty() ? admin.start() : served.error;
    }
    ~AdminFixture() { collector.stop(); }

    static proxy::ServeOptions options(metrics::MetricsCollector& c) {
        proxy::ServeOptions o;
        o.metrics = &c;
        return o;
    }
    static proxy::AdminOptions adminOptions() {
        proxy::AdminOptions o;
        o.port = 0;
        o.requestTimeout = std::chrono::milliseconds(2000);
        return o;
    }
    [[nodiscard]] QString url(const char* path) const {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(admin.port()).arg(QLatin1String(path));
    }
    [[nodiscard]] QString proxyUrl(const char* path) const {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(served.port(80)).arg(QLatin1String(path));
    }

    metrics::MetricsCollector collector{std::chrono::milliseconds(20)};
    Served served;
    proxy::AdminPages pages;
    proxy::AdminServer admin;
    std::string error;
};

/// The value of the istio_requests_total sample whose labels include all of `labels`; -1 if none.
double requestsTotal(const QByteArray& exposition, const QStringList& labels) {
    for (const QByteArray& line : exposition.split('\n')) {
        if (!line.startsWith("istio_requests_total{"))
            continue;
        const QString text = QString::fromUtf8(line);
        if (std::all_of(labels.begin(), labels.end(), [&](const QString& l) { return text.contains(l); }))
            return text.section(QLatin1Char(' '), -1).toDouble();
    }
    return -1;
}

} // namespace

class AdminServerTest : public QObject {
    Q_OBJECT

private slots:
    // After proxied requests, istio_requests_total counts them under Istio's standard labels.
    void prometheusCountsProxiedRequests() {
        AdminFixture f;
        QVERIFY2(f.error.empty(), f.error.c_str());
        QStringList args{QStringLiteral("-H"), QStringLiteral("Host: bookinfo.example.com")};
        for (int i = 0; i < 5; ++i)
            args << QStringLiteral("-o") << QStringLiteral("/dev/null") << f.proxyUrl("/productpage");
        for (int i = 0; i < 2; ++i)
            args << QStringLiteral("-o") << QStringLiteral("/dev/null") << f.proxyUrl("/nowhere");
        curl(args);
        const QStringList productpage{
            QStringLiteral("reporter=\"source\""),
            QStringLiteral("source_workload=\"istio-ingressgateway\""),
            QStringLiteral("destination_workload=\"productpage-v1\""),
            QStringLiteral("destination_version=\"v1\""),
            QStringLiteral("destination_service=\"productpage.default.svc.cluster.local\""),
            QStringLiteral("destination_service_name=\"productpage\""),
            QStringLiteral("destination_service_namespace=\"default\""),
            QStringLiteral("request_protocol=\"http\""),
            QStringLiteral("response_code=\"200\""),
            QStringLiteral("response_flags=\"-\"")};
        const QStringList notFound{QStringLiteral("destination_service=\"unknown\""),
                                   QStringLiteral("response_code=\"404\""),
                                   QStringLiteral("response_flags=\"NR\"")};
        QByteArray exposition;
        QTRY_VERIFY_WITH_TIMEOUT(
            (exposition = curl({f.url("/stats/prometheus")}),
             requestsTotal(exposition, productpage) == 5 && requestsTotal(exposition, notFound) == 2),
            5000);
        QVERIFY(exposition.contains("# TYPE istio_requests_total counter\n"));
        QVERIFY(exposition.contains("# TYPE istio_request_duration_milliseconds histogram\n"));
        QVERIFY(exposition.contains("istio_request_duration_milliseconds_bucket{"));
        QVERIFY(exposition.contains("le=\"+Inf\"} 5\n"));
        QVERIFY2(
            exposition.contains("sluice_route_requests_total{virtual_service=\"default/bookinfo\",rule=\"0\","
                                "rule_name=\"\"} 5\n"),
            exposition.constData());
        const QByteArray head = curl(
            {QStringLiteral("-sI"), QStringLiteral("-X"), QStringLiteral("GET"), f.url("/stats/prometheus")});
        QVERIFY2(head.contains("content-type: text/plain; version=0.0.4"), head.constData());
    }

    // /ready: LIVE while serving, 503 once the proxy stops.
    void readyFollowsTheProxy() {
        AdminFixture f;
        QVERIFY2(f.error.empty(), f.error.c_str());
        const QStringList status{QStringLiteral("-w"), QStringLiteral(" %{http_code}")};
        QCOMPARE(curl(status + QStringList{f.url("/ready")}), QByteArray("LIVE\n 200"));
        f.served.server().stop(std::chrono::milliseconds(100));
        QCOMPARE(curl(status + QStringList{f.url("/ready")}), QByteArray("DRAINING\n 503"));
    }

    // /config_dump is JSON and names the listeners, routes and the VirtualService rules.
    void configDumpIsJson() {
        AdminFixture f;
        QVERIFY2(f.error.empty(), f.error.c_str());
        const QByteArray body = curl({f.url("/config_dump")});
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray listeners = doc.object().value(QStringLiteral("listeners")).toArray();
        QCOMPARE(listeners.size(), 1);
        const QJsonObject listener = listeners[0].toObject();
        QCOMPARE(listener.value(QStringLiteral("port")).toInt(), 80);
        const QJsonObject vhost = listener.value(QStringLiteral("route_config"))
                                      .toObject()
                                      .value(QStringLiteral("virtual_hosts"))
                                      .toArray()[0]
                                      .toObject();
        QCOMPARE(vhost.value(QStringLiteral("name")).toString(), QStringLiteral("bookinfo.example.com:80"));
        const QJsonObject route = vhost.value(QStringLiteral("routes")).toArray()[0].toObject();
        QCOMPARE(route.value(QStringLiteral("match")).toObject().value(QStringLiteral("prefix")).toString(),
                 QStringLiteral("/productpage"));
        const QJsonObject metadata = route.value(QStringLiteral("metadata")).toObject();
        QCOMPARE(metadata.value(QStringLiteral("virtual_service")).toString(),
                 QStringLiteral("default/bookinfo"));
        QVERIFY(metadata.value(QStringLiteral("source"))
                    .toString()
                    .contains(QStringLiteral("virtualservice.yaml:")));
        const QJsonObject cluster = route.value(QStringLiteral("route"))
                                        .toObject()
                                        .value(QStringLiteral("weighted_clusters"))
                                        .toObject()
                                        .value(QStringLiteral("clusters"))
                                        .toArray()[0]
                                        .toObject();
        QCOMPARE(cluster.value(QStringLiteral("name")).toString(),
                 QStringLiteral("outbound|9080||productpage.default.svc.cluster.local"));
    }

    // /clusters lists every replica with its address and request counts, as text and JSON.
    void clustersListTheReplicas() {
        AdminFixture f;
        QVERIFY2(f.error.empty(), f.error.c_str());
        QStringList args{QStringLiteral("-H"), QStringLiteral("Host: bookinfo.example.com")};
        for (int i = 0; i < 3; ++i)
            args << QStringLiteral("-o") << QStringLiteral("/dev/null") << f.proxyUrl("/productpage");
        curl(args);
        const QRegularExpression success(
            QStringLiteral("outbound\\|9080\\|\\|productpage\\.default\\.svc\\.cluster\\.local::127\\.0\\."
                           "0\\.1:\\d+::rq_success::3\n"));
        QByteArray text;
        QTRY_VERIFY_WITH_TIMEOUT(
            success.match(QString::fromUtf8(text = curl({f.url("/clusters")}))).hasMatch(), 5000);
        for (const char* replica : {"productpage-v1-1", "details-v1-1", "reviews-v1-1", "reviews-v2-1",
                                    "reviews-v3-1", "ratings-v1-1"})
            QVERIFY2(text.contains(QByteArray(QByteArray("::hostname::") + replica + "\n")), replica);
        QVERIFY(text.contains("::health_flags::healthy\n"));
        QVERIFY(text.contains("::workload::reviews-v2\n"));
        const QJsonDocument doc = QJsonDocument::fromJson(curl({f.url("/clusters?format=json")}));
        const QJsonArray clusters = doc.object().value(QStringLiteral("cluster_statuses")).toArray();
        QVERIFY(!clusters.isEmpty());
        bool found = false;
        for (const auto& c : clusters)
            for (const auto& h : c.toObject().value(QStringLiteral("host_statuses")).toArray())
                found = found || h.toObject().value(QStringLiteral("hostname")).toString() ==
                                     QLatin1String("productpage-v1-1");
        QVERIFY(found);
    }

    // Unknown paths 404, other methods 405 (with Allow), malformed and oversized requests refused.
    void refusals() {
        AdminFixture f;
        QVERIFY2(f.error.empty(), f.error.c_str());
        const QStringList code{QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                               QStringLiteral("%{http_code}")};
        QCOMPARE(curl(code + QStringList{f.url("/nope")}), QByteArray("404"));
        QCOMPARE(curl(code + QStringList{f.url("/")}), QByteArray("404"));
        QCOMPARE(curl(code + QStringList{QStringLiteral("-X"), QStringLiteral("POST"), f.url("/ready")}),
                 QByteArray("405"));
        const QByteArray head =
            curl({QStringLiteral("-i"), QStringLiteral("-X"), QStringLiteral("DELETE"), f.url("/clusters")});
        QVERIFY2(head.contains("\r\nallow: GET\r\n"), head.constData());
        const QString big = QStringLiteral("x-big: ") + QString(70 * 1024, QLatin1Char('a'));
        QCOMPARE(curl(code + QStringList{QStringLiteral("-H"), big, f.url("/ready")}), QByteArray("431"));
        // The endpoint still answers after what it refused.
        QCOMPARE(curl({f.url("/ready")}), QByteArray("LIVE\n"));
    }
};

QTEST_GUILESS_MAIN(AdminServerTest)
#include "admin_server_test.moc"
