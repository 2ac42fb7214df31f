// SPDX-License-Identifier: Apache-2.0
// Workloads calling Services through the mesh view, end to end: bookinfo's call graph with
// Istio's virtual-service-reviews-test-v2 (jason gets reviews v2, which calls ratings), header
// propagation, a mesh fault, and a failed call reported by a caller that still answers.

#include "metrics/metrics_collector.h"
#include "metrics/prometheus_exposition.h"
#include "served_config.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using sluice::test::curl;
using sluice::test::Served;

namespace {

// Istio's samples/bookinfo/networking/destination-rule-all.yaml (reviews) and
// virtual-service-reviews-test-v2.yaml, as applied in the request-routing task.
const char* kReviewsTestV2 = R"(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
    - reviews
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: reviews
        subset: v2
  - route:
    - destination:
        host: reviews
        subset: v1
)";

/// The JSON body of GET /productpage on `s`, with `headers` sent.
QJsonObject productpage(const Served& s, const QStringList& headers = {}) {
    QStringList args{QStringLiteral("-H"), QStringLiteral("Host: bookinfo.example.com")};
    for (const QString& h : headers)
        args << QStringLiteral("-H") << h;
    args << QStringLiteral("http://127.0.0.1:%1/productpage").arg(s.port(80));
    const QByteArray body = curl(args);
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        qWarning("not JSON: %s", body.constData());
    return doc.object();
}

/// The requests of the series in `snapshot` from `source` (empty: the gateway) to `cluster`.
std::uint64_t requestsFrom(const sluice::metrics::MetricsSnapshot& snapshot, const std::string& source,
                           const std::string& cluster, const std::string& workload = {}) {
    std::uint64_t n = 0;
    for (const auto& s : snapshot.series)
        if (s.key->sourceWorkload == source && s.key->cluster == cluster &&
            (workload.empty() || s.key->workload == workload))
            n += s.requests;
    return n;
}

/// calls[] entry of `answer` for `service`.
QJsonObject callTo(const QJsonObject& answer, const QString& service) {
    for (const auto& c : answer.value(QStringLiteral("calls")).toArray())
        if (c.toObject().value(QStringLiteral("service")).toString() == service)
            return c.toObject();
    return {};
}

} // namespace

class MeshCallsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_bookinfo = std::make_unique<Served>(Served::sampleWith("bookinfo", kReviewsTestV2));
        QVERIFY2(m_bookinfo->error.empty(), m_bookinfo->error.c_str());
    }

    void cleanupTestCase() { m_bookinfo.reset(); }

    // The classic demo: user jason sees reviews v2, which called ratings.
    void jasonGetsReviewsV2AndRatings() {
        const QJsonObject page = productpage(*m_bookinfo, {QStringLiteral("end-user: jason")});
        QCOMPARE(page.value(QStringLiteral("workload")).toString(), QStringLiteral("productpage-v1-1"));
        const QJsonObject details = callTo(page, QStringLiteral("details"));
        QCOMPARE(details.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(details.value(QStringLiteral("workload")).toString(), QStringLiteral("details-v1-1"));
        const QJsonObject reviews = callTo(page, QStringLiteral("reviews"));
        QCOMPARE(reviews.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(reviews.value(QStringLiteral("workload")).toString(), QStringLiteral("reviews-v2-1"));
        QCOMPARE(reviews.value(QStringLiteral("cluster")).toString(),
                 QStringLiteral("outbound|9080|v2|reviews.default.svc.cluster.local"));
        const QJsonObject ratings =
            callTo(reviews.value(QStringLiteral("response")).toObject(), QStringLiteral("ratings"));
        QCOMPARE(ratings.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(ratings.value(QStringLiteral("workload")).toString(), QStringLiteral("ratings-v1-1"));
    }

    // Everyone else sees reviews v1, which shows no stars: ratings is not called.
    void othersGetReviewsV1WithoutRatings() {
        for (const QStringList& headers : {QStringList{}, QStringList{QStringLiteral("end-user: alice")}}) {
            const QJsonObject page = productpage(*m_bookinfo, headers);
            const QJsonObject reviews = callTo(page, QStringLiteral("reviews"));
            QCOMPARE(reviews.value(QStringLiteral("workload")).toString(), QStringLiteral("reviews-v1-1"));
            const QJsonObject answer = reviews.value(QStringLiteral("response")).toObject();
            QVERIFY(!answer.isEmpty());
            QVERIFY(!answer.contains(QStringLiteral("calls")));
        }
    }

    // The calls carry end-user, the request id and the tracing context down the graph.
    void headersArePropagated() {
        const QJsonObject page = productpage(
            *m_bookinfo,
            {QStringLiteral("end-user: jason"), QStringLiteral("x-request-id: req-42"),
             QStringLiteral("traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
             QStringLiteral("x-secret: not-for-reviews")});
        const QJsonObject reviews =
            callTo(page, QStringLiteral("reviews")).value(QStringLiteral("response")).toObject();
        const QJsonObject received = reviews.value(QStringLiteral("headers")).toObject();
        QCOMPARE(received.value(QStringLiteral("end-user")).toString(), QStringLiteral("jason"));
        QCOMPARE(received.value(QStringLiteral("x-request-id")).toString(), QStringLiteral("req-42"));
        QVERIFY(
            received.value(QStringLiteral("traceparent")).toString().startsWith(QStringLiteral("00-0af7")));
        QVERIFY(!received.contains(QStringLiteral("x-secret")));
        QCOMPARE(received.value(QStringLiteral("host")).toString(), QStringLiteral("reviews:9080"));
        const QJsonObject ratings =
            callTo(reviews, QStringLiteral("ratings")).value(QStringLiteral("response")).toObject();
        QCOMPARE(ratings.value(QStringLiteral("headers"))
                     .toObject()
                     .value(QStringLiteral("x-request-id"))
                     .toString(),
                 QStringLiteral("req-42"));
    }

    // A mesh VirtualService's fault applies to the sidecar's call; the caller answers anyway and
    // says what failed (bookinfo's "Ratings service is currently unavailable").
    void meshFaultAndFailedCallAreReported() {
        Served s = Served::sampleWith("bookinfo", std::string(kReviewsTestV2) + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
  - fault:
      abort: {httpStatus: 500, percentage: {value: 100}}
    route:
    - destination: {host: ratings}
)");
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QJsonObject page = productpage(s, {QStringLiteral("end-user: jason")});
        const QJsonObject reviews = callTo(page, QStringLiteral("reviews"));
        QCOMPARE(reviews.value(QStringLiteral("status")).toInt(), 200);
        const QJsonObject ratings =
            callTo(reviews.value(QStringLiteral("response")).toObject(), QStringLiteral("ratings"));
        QCOMPARE(ratings.value(QStringLiteral("status")).toInt(), 500);
        QCOMPARE(ratings.value(QStringLiteral("flags")).toString(), QStringLiteral("FI"));
        QCOMPARE(ratings.value(QStringLiteral("error")).toString(), QStringLiteral("fault filter abort"));
        QCOMPARE(ratings.value(QStringLiteral("workload")).toString(), QString());
    }

    // Every call is a metrics sample in the calling worker's shard with the caller as its source,
    // beside the gateway's own request: productpage-v1 -> details and -> reviews (v2 for jason,
    // through the reviews VirtualService's rule 0), reviews-v2 -> ratings.
    void callsAreCountedBySource() {
        sluice::metrics::MetricsCollector collector;
        sluice::proxy::ServeOptions options;
        options.metrics = &collector;
        Served s = Served::sampleWith("bookinfo", kReviewsTestV2, options);
        QVERIFY2(s.error.empty(), s.error.c_str());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(callTo(productpage(s, {QStringLiteral("end-user: jason")}), QStringLiteral("reviews"))
                         .value(QStringLiteral("status"))
                         .toInt(),
                     200);
        const std::string reviewsV2 = "outbound|9080|v2|reviews.default.svc.cluster.local";
        const std::string ratings = "outbound|9080||ratings.default.svc.cluster.local";
        const std::string details = "outbound|9080||details.default.svc.cluster.local";
        const std::string productpage = "outbound|9080||productpage.default.svc.cluster.local";
        // The gateway records a request once its response is written, so the client can hold the
        // last answer before that sample is in the shard: collect until it is there.
        auto snapshot = collector.collect();
        for (QDeadlineTimer deadline(5000);
             requestsFrom(*snapshot, "", productpage, "productpage-v1") < 3 && !deadline.hasExpired();) {
            QTest::qWait(10);
            snapshot = collector.collect();
        }
        QCOMPARE(requestsFrom(*snapshot, "", productpage, "productpage-v1"), std::uint64_t(3));
        QCOMPARE(requestsFrom(*snapshot, "productpage-v1", reviewsV2, "reviews-v2"), std::uint64_t(3));
        QCOMPARE(requestsFrom(*snapshot, "productpage-v1", details, "details-v1"), std::uint64_t(3));
        QCOMPARE(requestsFrom(*snapshot, "reviews-v2", ratings, "ratings-v1"), std::uint64_t(3));
        QCOMPARE(requestsFrom(*snapshot, "", reviewsV2), std::uint64_t(0)); // never from the gateway
        QCOMPARE(requestsFrom(*snapshot, "productpage-v1", productpage), std::uint64_t(0));
        for (const auto& series : snapshot->series) {
            if (series.key->sourceWorkload != "productpage-v1" || series.key->cluster != reviewsV2)
                continue;
            QCOMPARE(series.key->sourceNamespace, std::string("default"));
            QCOMPARE(series.key->sourceApp, std::string("productpage"));
            QCOMPARE(series.key->sourceVersion, std::string("v1"));
            QCOMPARE(series.key->virtualService, std::string("default/reviews"));
            QCOMPARE(series.key->ruleIndex, 0);
            QCOMPARE(series.key->subset, std::string("v2"));
            QCOMPARE(series.key->service, std::string("reviews.default.svc.cluster.local"));
            QCOMPARE(series.key->responseCode, 200);
            QCOMPARE(series.key->replica, std::string("reviews-v2-1"));
            QCOMPARE(series.upstream->count(), series.requests);
        }
        std::string text;
        sluice::metrics::PrometheusExposition().write(*snapshot, text);
        QVERIFY(text.find("source_workload=\"productpage-v1\"") != std::string::npos);
        QVERIFY(text.find("source_workload=\"reviews-v2\"") != std::string::npos);
    }

    // A callee that never answers: the sidecar's 503 with Envoy's words, the caller's own 200.
    void unreachableCalleeIsReported() {
        Served s = Served::yaml(R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["front.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: front}
spec:
  hosts: ["front.test"]
  gateways: ["istio-system/gw"]
  http:
  - route:
    - destination: {host: front}
---
apiVersion: v1
kind: Service
metadata: {name: front}
spec: {selector: {app: front}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: back}
spec: {selector: {app: back}, ports: [{name: http, port: 8080}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: front}
spec:
  labels: {app: front}
  calls: [{service: back, port: 8080, path: /data}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: back}
spec:
  labels: {app: back}
  endpoint: 127.0.0.1:1
)");
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QByteArray got =
            curl({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: front.test"),
                  QStringLiteral("http://127.0.0.1:%1/").arg(s.port(80))});
        QVERIFY2(got.startsWith("HTTP/1.1 200 OK\r\n"), got.constData());
        const QJsonObject answer = QJsonDocument::fromJson(got.mid(got.indexOf("\r\n\r\n") + 4)).object();
        const QJsonObject back = callTo(answer, QStringLiteral("back"));
        QCOMPARE(back.value(QStringLiteral("status")).toInt(), 503);
        QVERIFY(back.value(QStringLiteral("flags")).toString().contains(QStringLiteral("UF")));
        QVERIFY(
            back.value(QStringLiteral("error")).toString().contains(QStringLiteral("connection failure")));
        QCOMPARE(back.value(QStringLiteral("attempts")).toInt(),
                 3); // Istio's default: 2 retries on connect-failure
    }

private:
    std::unique_ptr<Served> m_bookinfo;
};

QTEST_GUILESS_MAIN(MeshCallsTest)
#include "mesh_calls_test.moc"
