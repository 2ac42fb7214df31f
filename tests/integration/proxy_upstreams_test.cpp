// SPDX-License-Identifier: Apache-2.0
// DestinationRule traffic policies on the live proxy, against simulated replicas: outlier
// ejection of a failing replica, circuit-breaker overflow (503 UO), cookie consistent hashing,
// the connection pool's per-connection and idle limits.

#include "proxy/admin_pages.h"
#include "served_config.h"

#include <set>

#include <QElapsedTimer>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using sluice::test::curl;
using sluice::test::Served;

namespace {

/// Gateway + VirtualService (no retries) to Service `svc` port 80, a DestinationRule with
/// `trafficPolicy` (indented for it), and `workloads` (Workload documents selected by app: svc).
std::string config(const std::string& trafficPolicy, const std::string& workloads) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["up.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: up}
spec:
  hosts: ["up.test"]
  gateways: ["istio-system/gw"]
  http:
  - route:
    - destination: {host: svc, port: {number: 80}}
    retries: {attempts: 0}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: svc}
spec:
  host: svc
  trafficPolicy:
)" + trafficPolicy +
           R"(---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {selector: {app: svc}, ports: [{name: http, port: 80}]}
)" + workloads;
}

std::string workload(const std::string& name, const std::string& spec) {
    return "---\napiVersion: sluice.dev/v1\nkind: Workload\nmetadata: {name: " + name +
           "}\nspec:\n  labels: {app: svc}\n" + spec;
}

/// A DestinationRule traffic policy hashing on a generated cookie (`user`, one hour).
const std::string kCookieHash = R"(    loadBalancer:
      consistentHash:
        httpCookie: {name: user, path: /, ttl: 3600s}
)";

QStringList request(const Served& s) {
    return {QStringLiteral("-H"), QStringLiteral("Host: up.test"),
            QStringLiteral("http://127.0.0.1:%1/").arg(s.port(80))};
}

/// "<status> <workload>" of one request.
QByteArray statusAndWorkload(const Served& s, const QStringList& extra = {}) {
    return curl(QStringList{QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                            QStringLiteral("%{http_code} %header{x-sluice-workload}")} +
                extra + request(s));
}

/// The svc cluster as the gateway's /clusters would show it now.
sluice::proxy::ClusterSnapshot svcCluster(const Served& s) {
    for (auto& c : s.server().clusters())
        if (c.name == "outbound|80||svc.default.svc.cluster.local")
            return c;
    return {};
}

} // namespace

class ProxyUpstreamsTest : public QObject {
    Q_OBJECT

    /// The same policy over HTTP/1.1 and over HTTP/2 (h2c with prior knowledge).
    static void protocols() {
        QTest::addColumn<QStringList>("protocol");
        QTest::newRow("http/1.1") << QStringList{};
        QTest::newRow("h2c") << QStringList{QStringLiteral("--http2-prior-knowledge")};
    }

private slots:
    // A replica answering 503 is ejected after two in a row and gets no more traffic; /clusters
    // shows it out of service with one ejection.
    void failingReplicaIsEjected() {
        Served s = Served::yaml(config(R"(    loadBalancer: {simple: ROUND_ROBIN}
    outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 100}
)",
                                       workload("bad", "  sequence: [503]\n") + workload("good", "")));
        QVERIFY2(s.error.empty(), s.error.c_str());
        int failures = 0;
        for (int i = 0; i < 12; ++i) {
            const QByteArray got = statusAndWorkload(s);
            if (got.startsWith("503")) {
                QCOMPARE(got, QByteArray("503 bad-1"));
                ++failures;
            } else {
                QCOMPARE(got, QByteArray("200 good-1"));
            }
        }
        QCOMPARE(failures, 2);
        const auto c = svcCluster(s);
        QCOMPARE(c.loadBalancer, std::string("ROUND_ROBIN"));
        QVERIFY(c.outlierDetection);
        QCOMPARE(c.endpoints.size(), std::size_t(2));
        for (const auto& e : c.endpoints) {
            QCOMPARE(e.healthy, e.workload == "good-1");
            QCOMPARE(e.ejections, e.workload == "bad-1" ? 1u : 0u);
            if (!e.healthy)
                QVERIFY(e.ejectedForMillis > 50'000);
        }

        // The admin endpoint's /clusters reads the same outlier state (its EndpointHealthSource).
        const sluice::proxy::AdminPages pages(s.server(), nullptr);
        const std::string text = pages.answer("GET", "/clusters").body;
        for (const auto& e : c.endpoints) {
            const std::string prefix = "outbound|80||svc.default.svc.cluster.local::" + e.address + ":" +
                                       std::to_string(e.port) + "::";
            const bool bad = e.workload == "bad-1";
            const std::string health =
                prefix + "health_flags::" + (bad ? "/failed_outlier_check" : "healthy") + "\n";
            const std::string ejections = prefix + "outlier_ejections::" + (bad ? "1" : "0") + "\n";
            QVERIFY2(text.find(health) != std::string::npos, text.c_str());
            QVERIFY2(text.find(ejections) != std::string::npos, text.c_str());
        }
        const std::string json = pages.answer("GET", "/clusters?format=json").body;
        QVERIFY2(json.find("\"failed_outlier_check\": true") != std::string::npos, json.c_str());
    }

    // Istio's circuit-breaking task: one connection, one pending request. Concurrent requests to
    // a slow replica beyond that overflow with 503 UO and Envoy's text.
    void overflowIs503UO_data() { protocols(); }
    void overflowIs503UO() {
        QFETCH(QStringList, protocol);
        Served s = Served::yaml(config(R"(    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}
)",
                                       workload("slow", "  latency: {fixed: 600ms}\n")));
        QVERIFY2(s.error.empty(), s.error.c_str());
        std::vector<std::unique_ptr<QProcess>> clients;
        for (int i = 0; i < 6; ++i) {
            auto p = std::make_unique<QProcess>();
            p->start(QStringLiteral("curl"),
                     QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("10"),
                                 QStringLiteral("-w"), QStringLiteral("\n%{http_code}")} +
                         protocol + request(s));
            QVERIFY(p->waitForStarted());
            clients.push_back(std::move(p));
        }
        int ok = 0, overflow = 0;
        for (auto& p : clients) {
            QVERIFY(p->waitForFinished(15000));
            const QByteArray out = p->readAllStandardOutput();
            if (out.endsWith("\n200"))
                ++ok;
            else if (out ==
                     "upstream connect error or disconnect/reset before headers. reset reason: overflow\n503")
                ++overflow;
            else
                QFAIL(out.constData());
        }
        QVERIFY2(ok >= 1 && overflow >= 1,
                 qPrintable(QStringLiteral("%1 ok, %2 overflow").arg(ok).arg(overflow)));
        QCOMPARE(ok + overflow, 6);
    }

    // The generated cookie goes on upstream answers only, as Envoy's router adds it: a reply the
    // gateway makes itself (here 503 UF, the replica refuses connections) has none.
    void cookieHashLeavesLocalRepliesAlone_data() { protocols(); }
    void cookieHashLeavesLocalRepliesAlone() {
        QFETCH(QStringList, protocol);
        Served s = Served::yaml(config(kCookieHash, workload("web", "  endpoint: 127.0.0.1:1\n")));
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QByteArray answer = curl(QStringList{QStringLiteral("-i")} + protocol + request(s));
        QVERIFY2(answer.contains(" 503"), answer.constData());
        QVERIFY2(answer.contains("reset reason: connection failure"), answer.constData());
        QVERIFY2(!answer.contains("set-cookie"), answer.constData());
    }

    // httpCookie with a ttl: the first answer sets the cookie, and requests carrying it stick to
    // one replica while others spread.
    void cookieHashSetsTheCookieAndSticks_data() { protocols(); }
    void cookieHashSetsTheCookieAndSticks() {
        QFETCH(QStringList, protocol);
        Served s = Served::yaml(config(kCookieHash, workload("web", "  replicas: 4\n")));
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QByteArray first = curl(QStringList{QStringLiteral("-i")} + protocol + request(s));
        const qsizetype at = first.indexOf("\r\nset-cookie: user=\"");
        QVERIFY2(at > 0, first.constData());
        const QByteArray line = first.mid(at + 2, first.indexOf("\r\n", at + 2) - at - 2);
        QVERIFY2(line.endsWith("\"; Max-Age=3600; Path=/; HttpOnly"), line.constData());
        const QByteArray value = line.mid(line.indexOf('"') + 1, 16);
        const QByteArray workload = first.mid(first.indexOf("x-sluice-workload: ") + 19, 5);
        for (int i = 0; i < 10; ++i) {
            const QByteArray got = statusAndWorkload(
                s, QStringList{QStringLiteral("-b"), QStringLiteral("user=") + QString::fromLatin1(value)} +
                       protocol);
            QCOMPARE(got, "200 " + workload);
        }
        // The cookie is not set again once the client has one.
        QVERIFY(!curl(QStringList{QStringLiteral("-i"), QStringLiteral("-b"), QStringLiteral("user=abc")} +
                      protocol + request(s))
                     .contains("set-cookie"));
        std::set<QByteArray> spread;
        for (int i = 0; i < 40; ++i)
            spread.insert(statusAndWorkload(
                s, QStringList{QStringLiteral("-b"), QStringLiteral("user=u%1").arg(i)} + protocol));
        QVERIFY(spread.size() >= 3);
    }

    // maxRequestsPerConnection: 1 closes each connection after its request; otherwise it stays
    // pooled until the idle timeout closes it.
    void connectionLimitsAndIdleTimeout() {
        Served once = Served::yaml(
            config("    connectionPool: {http: {maxRequestsPerConnection: 1}}\n", workload("web", "")));
        QVERIFY2(once.error.empty(), once.error.c_str());
        QCOMPARE(statusAndWorkload(once), QByteArray("200 web-1"));
        QTRY_COMPARE_WITH_TIMEOUT(svcCluster(once).connections, 0u, 2000);

        Served idle =
            Served::yaml(config("    connectionPool: {http: {idleTimeout: 300ms}}\n", workload("web", "")));
        QVERIFY2(idle.error.empty(), idle.error.c_str());
        QCOMPARE(statusAndWorkload(idle), QByteArray("200 web-1"));
        QCOMPARE(svcCluster(idle).connections, 1u); // kept for the next request
        QTRY_COMPARE_WITH_TIMEOUT(svcCluster(idle).connections, 0u, 3000);
    }

    // A connect timeout (tcp.connectTimeout) ends the attempt: 503 UF in Envoy's words, quickly.
    // The endpoint is a listener whose accept queue is full, so its SYNs go unanswered.
    void connectTimeoutIs503UF() {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof at;
        QVERIFY(::bind(listener, reinterpret_cast<sockaddr*>(&at), length) == 0);
        QVERIFY(::listen(listener, 0) == 0);
        QVERIFY(::getsockname(listener, reinterpret_cast<sockaddr*>(&at), &length) == 0);
        std::vector<int> fillers;
        for (int i = 0; i < 3; ++i) { // never accepted
            fillers.push_back(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
            (void)::connect(fillers.back(), reinterpret_cast<sockaddr*>(&at), length);
        }
        QTest::qWait(100);
        const std::string endpoint = "127.0.0.1:" + std::to_string(ntohs(at.sin_port));
        Served s =
            Served::yaml(config("    connectionPool: {tcp: {connectTimeout: 300ms}}\n",
                                "---\napiVersion: sluice.dev/v1\nkind: Workload\nmetadata: {name: far}\n"
                                "spec:\n  labels: {app: svc}\n  endpoint: " +
                                    endpoint + "\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QElapsedTimer clock;
        clock.start();
        const QByteArray got =
            curl(QStringList{QStringLiteral("-w"), QStringLiteral("\n%{http_code}")} + request(s));
        const qint64 elapsed = clock.elapsed();
        for (int fd : fillers)
            ::close(fd);
        ::close(listener);
        QVERIFY2(got.endsWith("reset reason: connection failure\n503"), got.constData());
        QVERIFY2(elapsed >= 250 && elapsed < 3000, qPrintable(QString::number(elapsed)));
    }
};

QTEST_GUILESS_MAIN(ProxyUpstreamsTest)
#include "proxy_upstreams_test.moc"
