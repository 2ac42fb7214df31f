// SPDX-License-Identifier: Apache-2.0
// HTTP/2 over TLS, chosen by ALPN as on Istio's gateway (h2 first, then http/1.1): curl --http2
// and h2load get HTTP/2, curl --http1.1 and clients without ALPN HTTP/1.1. And what the HTTP/2
// path shares with HTTP/1.1: the metrics shard counts its requests and attempts, the CORS filter
// answers preflights and marks responses, mirrors get a shadow copy.

#include "client_run.h"
#include "metrics/metrics_collector.h"
#include "scripted_upstream.h"
#include "served_config.h"
#include "test_pki.h"

#include <optional>

#include <QTest>

using sluice::test::Run;
using sluice::test::run;
using sluice::test::Served;
using sluice::test::TestPki;

namespace {

constexpr const char* kCounted = "outbound|80||counted.default.svc.cluster.local";

std::string config(const TestPki& pki, const TestPki::Issued& cert, quint16 scriptedPort) {
    // (Single quotes: moc reads "//" inside a double-quoted string of a raw string as a comment.)
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: SIMPLE, credentialName: cred}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["h2s.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /cors}}]
    corsPolicy:
      allowOrigins: [{exact: 'https://app.test'}]
      allowMethods: [GET, POST]
      maxAge: 1m
    route: [{destination: {host: web, port: {number: 80}}}]
  - match: [{uri: {prefix: /mirrored}}]
    route: [{destination: {host: web, port: {number: 80}}}]
    mirror: {host: scripted, port: {number: 80}}
    mirrorPercentage: {value: 100}
  - match: [{uri: {prefix: /counted}}]
    route: [{destination: {host: counted, port: {number: 80}}}]
  - match: [{uri: {prefix: /rpc}}]
    route: [{destination: {host: rpc, port: {number: 9000}}}]
  - route: [{destination: {host: web, port: {number: 80}}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: counted}
spec: {selector: {app: counted}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: rpc}
spec: {selector: {app: rpc}, ports: [{name: grpc-api, port: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: scripted}
spec: {selector: {app: scripted}, ports: [{name: http, port: 80}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web-v1}
spec: {labels: {app: web}}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: counted-v1}
spec: {labels: {app: counted}}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: rpc-v1}
spec: {labels: {app: rpc}}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: scripted-v1}
spec:
  labels: {app: scripted}
  endpoint: 127.0.0.1:)" +
           std::to_string(scriptedPort) + "\n" + pki.secret("istio-system", "cred", cert);
}

} // namespace

class ProxyH2TlsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(m_pki.error.empty(), m_pki.error.c_str());
        const auto cert = m_pki.issue(QStringLiteral("h2s"), {"h2s.test"});
        QVERIFY2(m_pki.error.empty(), m_pki.error.c_str());
        sluice::proxy::ServeOptions options;
        options.metrics = &m_collector;
        m_served.emplace(Served::yaml(config(m_pki, cert, m_scripted.port()), options));
        QVERIFY2(m_served->error.empty(), m_served->error.c_str());
        QVERIFY(m_served->tlsProblems.empty());
        m_port = m_served->port(443);
        QVERIFY(m_port != 0);
    }

    void cleanupTestCase() { m_served.reset(); }

    void alpnPicksTheProtocol_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QByteArray>("version");
        QTest::newRow("--http2: h2") << QStringLiteral("--http2") << QByteArray("2");
        QTest::newRow("--http1.1: http/1.1") << QStringLiteral("--http1.1") << QByteArray("1.1");
        QTest::newRow("no ALPN: HTTP/1.1") << QStringLiteral("--no-alpn") << QByteArray("1.1");
    }

    // Routed the same on either protocol, two requests on one connection.
    void alpnPicksTheProtocol() {
        QFETCH(QString, option);
        QFETCH(QByteArray, version);
        const Run r = curl({option, QStringLiteral("-w"), QStringLiteral("|%{http_version} %{http_code}\n"),
                            url(QStringLiteral("/one")), url(QStringLiteral("/two"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out.count(QByteArray("|" + version + " 200\n")), 2);
        QVERIFY2(r.out.contains("\"path\":\"/two\""), r.out.constData());
        QVERIFY2(r.out.contains("\"x-forwarded-proto\":\"https\""), r.out.constData());
    }

    void h2loadOverHttps() {
        // No SNI (an IP address): the server's chain has no server names, so it still matches.
        const Run load =
            run(QStringLiteral("h2load"), {QStringLiteral("-n"), QStringLiteral("200"), QStringLiteral("-c"),
                                           QStringLiteral("2"), QStringLiteral("-m"), QStringLiteral("10"),
                                           QStringLiteral("-H"), QStringLiteral(":authority: h2s.test"),
                                           QStringLiteral("https://127.0.0.1:%1/load").arg(m_port)});
        QVERIFY2(load.out.contains("Application protocol: h2"), load.out.constData());
        QVERIFY2(load.out.contains("200 succeeded, 0 failed"), load.out.constData());
        QVERIFY2(load.out.contains("status codes: 200 2xx"), load.out.constData());
    }

    // Every HTTP/2 request is a sample in the worker's shard, every attempt a count on its endpoint.
    void metricsCountHttp2Requests() {
        const Run r = curl({QStringLiteral("--http2"), url(QStringLiteral("/counted/1")),
                            url(QStringLiteral("/counted/2")), url(QStringLiteral("/counted/3"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QTRY_COMPARE_WITH_TIMEOUT(countedRequests(), std::uint64_t(3), 5000);
        const auto snapshot = m_collector.snapshot();
        for (const auto& s : snapshot->series)
            if (s.key->cluster == kCounted) {
                QCOMPARE(s.key->responseCode, 200);
                QCOMPARE(s.key->replica, std::string("counted-v1-1"));
                QCOMPARE(s.key->virtualService, std::string("default/web"));
                QVERIFY(s.bytesSent > 0);
            }
        bool found = false;
        for (const auto& e : snapshot->endpoints)
            if (e.key.cluster == kCounted) {
                found = true;
                QCOMPARE(e.success, std::uint64_t(3));
                QCOMPARE(e.error, std::uint64_t(0));
                QCOMPARE(e.active, std::uint64_t(0));
            }
        QVERIFY(found);
    }

    // The CORS filter on HTTP/2: an allowed origin's preflight is answered at the gateway, the
    // actual request's response carries the access-control headers.
    void corsOverHttp2() {
        const Run preflight = curl(
            {QStringLiteral("--http2"), QStringLiteral("-i"), QStringLiteral("-X"), QStringLiteral("OPTIONS"),
             QStringLiteral("-H"), QStringLiteral("Origin: https://app.test"), QStringLiteral("-H"),
             QStringLiteral("Access-Control-Request-Method: POST"), url(QStringLiteral("/cors"))});
        QVERIFY2(preflight.out.startsWith("HTTP/2 200"), preflight.out.constData());
        QVERIFY2(preflight.out.contains("\r\naccess-control-allow-origin: https://app.test\r\n"),
                 preflight.out.constData());
        QVERIFY2(preflight.out.contains("\r\naccess-control-allow-methods: GET,POST\r\n"),
                 preflight.out.constData());
        QVERIFY2(preflight.out.contains("\r\naccess-control-max-age: 60\r\n"), preflight.out.constData());
        QVERIFY2(!preflight.out.contains("x-sluice-workload"), preflight.out.constData()); // not forwarded

        const Run actual = curl({QStringLiteral("--http2"), QStringLiteral("-i"), QStringLiteral("-H"),
                                 QStringLiteral("Origin: https://app.test"), url(QStringLiteral("/cors"))});
        QVERIFY2(actual.out.startsWith("HTTP/2 200"), actual.out.constData());
        QVERIFY2(actual.out.contains("\r\nx-sluice-workload: web-v1-1\r\n"), actual.out.constData());
        QVERIFY2(actual.out.contains("\r\naccess-control-allow-origin: https://app.test\r\n"),
                 actual.out.constData());

        const Run other = curl({QStringLiteral("--http2"), QStringLiteral("-i"), QStringLiteral("-H"),
                                QStringLiteral("Origin: https://evil.test"), url(QStringLiteral("/cors"))});
        QVERIFY2(other.out.contains("x-sluice-workload: web-v1-1"), other.out.constData());
        QVERIFY2(!other.out.contains("access-control-allow-origin"), other.out.constData());
    }

    // A mirrored HTTP/2 request reaches the shadow cluster over HTTP/1.1 with its body framed.
    void mirrorsHttp2Requests() {
        const qsizetype before = m_scripted.requests().size();
        const Run r = curl({QStringLiteral("--http2"), QStringLiteral("--data"), QStringLiteral("payload"),
                            url(QStringLiteral("/mirrored/x"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("\"path\":\"/mirrored/x\""), r.out.constData()); // the primary's answer
        QTRY_COMPARE_WITH_TIMEOUT(m_scripted.requests().size(), before + 1, 5000);
        const QByteArray shadow = m_scripted.requests().last();
        QVERIFY2(shadow.startsWith("POST /mirrored/x HTTP/1.1\r\n"), shadow.constData());
        QVERIFY2(shadow.toLower().contains("\r\nhost: h2s.test"), shadow.constData());
        QVERIFY2(shadow.toLower().contains("\r\ncontent-length: 7\r\n"), shadow.constData());
        QVERIFY2(shadow.endsWith("\r\n\r\npayload"), shadow.constData());
    }

    // A gRPC port's cluster of simulated replicas: they speak HTTP/1.1, so the gateway does too.
    void simulatedReplicasOfAGrpcPortAnswerHttp2Clients() {
        const Run r =
            curl({QStringLiteral("--http2"), QStringLiteral("-i"), url(QStringLiteral("/rpc/echo"))});
        QVERIFY2(r.out.startsWith("HTTP/2 200"), r.out.constData());
        QVERIFY2(r.out.contains("\r\nx-sluice-workload: rpc-v1-1\r\n"), r.out.constData());
    }

private:
    [[nodiscard]] QString url(const QString& path) const {
        return QStringLiteral("https://h2s.test:%1%2").arg(m_port).arg(path);
    }
    /// curl -sS against the proxy's TLS port (h2s.test pinned to loopback, the test CA trusted).
    [[nodiscard]] Run curl(const QStringList& args) const {
        return run(QStringLiteral("curl"),
                   QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("10"),
                               QStringLiteral("--cacert"), m_pki.caFile(), QStringLiteral("--resolve"),
                               QStringLiteral("h2s.test:%1:127.0.0.1").arg(m_port)} +
                       args);
    }
    std::uint64_t countedRequests() {
        std::uint64_t n = 0;
        for (const auto& s : m_collector.collect()->series)
            if (s.key->cluster == kCounted)
                n += s.requests;
        return n;
    }

    TestPki m_pki{"h2-ca"};
    ScriptedUpstream m_scripted;
    sluice::metrics::MetricsCollector m_collector;
    std::optional<Served> m_served;
    std::uint16_t m_port = 0;
};

QTEST_GUILESS_MAIN(ProxyH2TlsTest)
#include "proxy_h2_tls_test.moc"
