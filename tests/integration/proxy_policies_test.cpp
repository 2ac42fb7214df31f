// SPDX-License-Identifier: Apache-2.0
// Route policies on the live proxy, against scripted replicas: retries (Istio's conversion and
// default), route timeouts, fault delays, connect failures.

#include "client_process.h"
#include "proxy/recent_requests.h"
#include "raw_http_connection.h"
#include "served_config.h"

#include <atomic>
#include <thread>

#include <QElapsedTimer>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using sluice::test::curl;
using sluice::test::Served;

namespace {

/// A Gateway on port 80 for policy.test and a VirtualService whose `http:` list is `rules`
/// (YAML, items indented two spaces).
std::string gatewayWithRules(const std::string& rules) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["policy.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: policy}
spec:
  hosts: ["policy.test"]
  gateways: ["istio-system/gw"]
  http:
)" + rules;
}

/// Service `name` on port 80 and a Workload `<name>-v1` behind it whose spec ends with `workload`.
std::string serviceWithWorkload(const std::string& name, const std::string& workload) {
    return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name +
           "}\nspec: {selector: {app: " + name +
           "}, ports: [{name: http, port: 80}]}\n---\napiVersion: sluice.dev/v1\nkind: Workload\nmetadata: "
           "{name: " +
           name + "-v1}\nspec:\n  labels: {app: " + name + "}\n" + workload;
}

/// The policy gateway routing everything to Service `svc` with `rule` (extra keys of the http
/// rule, indented for it), and a Workload behind it whose spec ends with `workload`.
std::string config(const std::string& rule, const std::string& workload) {
    return gatewayWithRules("  - route:\n    - destination: {host: svc, port: {number: 80}}\n" + rule) +
           serviceWithWorkload("svc", workload);
}

/// "<status> <x-sluice-workload>\n<body>" of one request to `s`.
QByteArray get(const Served& s, const QString& path = QStringLiteral("/")) {
    return curl({QStringLiteral("-w"), QStringLiteral("\\n%{http_code}"), QStringLiteral("-H"),
                 QStringLiteral("Host: policy.test"),
                 QStringLiteral("http://127.0.0.1:%1%2").arg(s.port(80)).arg(path)});
}

/// curl's run of one request to policy.test at `url` over `protocol` (--http1.1 or
/// --http2-prior-knowledge), printing only the status code.
sluice::test::ClientRun statusOf(const QString& protocol, const QString& url) {
    return sluice::test::curlRun({protocol, QStringLiteral("-sS"), QStringLiteral("-o"),
                                  QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                  QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                                  QStringLiteral("Host: policy.test"), url});
}

/// An upstream that answers each request with the head of a 10-byte body and 5 of its bytes, then
/// stalls (up to 3 s, or until the proxy closes the connection). One connection at a time.
class StallingUpstream {
public:
    StallingUpstream() {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(m_listen, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(m_listen, 8) != 0 ||
            ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~StallingUpstream() {
        m_stopping = true;
        ::shutdown(m_listen, SHUT_RDWR);
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_listen);
    }
    StallingUpstream(const StallingUpstream&) = delete;
    StallingUpstream& operator=(const StallingUpstream&) = delete;
    [[nodiscard]] std::uint16_t port() const { return m_port; }

private:
    void run() {
        while (!m_stopping) {
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                return;
            std::string request;
            char buffer[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = ::read(fd, buffer, sizeof buffer);
                if (n <= 0)
                    break;
                request.append(buffer, static_cast<std::size_t>(n));
            }
            const std::string answer = "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhello";
            if (::write(fd, answer.data(), answer.size()) == static_cast<ssize_t>(answer.size())) {
                pollfd p{fd, POLLIN, 0};
                ::poll(&p, 1, 3000); // the proxy's close ends the stall early
            }
            ::close(fd);
        }
    }

    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
};

/// A route with `routeYaml` in front of an upstream that sends its head and then stalls: over
/// HTTP/1.1 and HTTP/2 the client gets the head (200) and then loses the body (closed, or the
/// stream reset) between `fromMs` and `belowMs` after asking.
void expectStalledBodyCut(const std::string& routeYaml, qint64 fromMs, qint64 belowMs) {
    StallingUpstream upstream;
    QVERIFY(upstream.port() != 0);
    Served s = Served::yaml(
        config(routeYaml, "  endpoint: \"127.0.0.1:" + std::to_string(upstream.port()) + "\"\n"));
    QVERIFY2(s.error.empty(), s.error.c_str());
    const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(s.port(80));
    for (const QString& protocol : {QStringLiteral("--http1.1"), QStringLiteral("--http2-prior-knowledge")}) {
        QElapsedTimer clock;
        clock.start();
        const sluice::test::ClientRun r = statusOf(protocol, url);
        QVERIFY2(r.exitCode != 0, r.all().constData()); // the body never completed
        QVERIFY2(r.out == "200", r.all().constData());  // the head had been passed on
        QVERIFY2(clock.elapsed() >= fromMs && clock.elapsed() < belowMs,
                 qPrintable(protocol + QStringLiteral(": ") + QString::number(clock.elapsed())));
    }
}

} // namespace

class ProxyPoliciesTest : public QObject {
    Q_OBJECT

private slots:
    // retries {attempts: 2, retryOn: 5xx}: 503, 500, then 200 — the client sees the third attempt.
    void retriesUntilAnAttemptSucceeds() {
        Served s = Served::yaml(
            config("    retries: {attempts: 2, retryOn: 5xx}\n", "  sequence: [503, 500, 200]\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QByteArray got = get(s);
        QVERIFY2(got.endsWith("\n200"), got.constData());
        QVERIFY2(got.contains("\"x-envoy-attempt-count\":\"3\""), got.constData());
    }

    // Attempts exhausted: the last upstream answer goes to the client.
    void exhaustedRetriesPassTheLastAnswerOn() {
        Served s = Served::yaml(
            config("    retries: {attempts: 1, retryOn: 5xx}\n", "  sequence: [503, 500, 200]\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QVERIFY(get(s).endsWith("\n500"));
    }

    // Without a retries block Istio's default policy applies; since Istio 1.22 it no longer retries
    // a 503 answer (EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY defaults to true).
    void theDefaultPolicyDoesNotRetry503() {
        Served s = Served::yaml(config("", "  sequence: [503, 200]\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QVERIFY(get(s).endsWith("\n503"));
        QVERIFY(get(s).endsWith("\n200"));
    }

    // A route timeout answers 504 "upstream request timeout" when the upstream is slower.
    void routeTimeoutAnswers504() {
        Served s = Served::yaml(
            config("    timeout: 300ms\n    retries: {attempts: 0}\n", "  latency: {fixed: 3s}\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QElapsedTimer clock;
        clock.start();
        const QByteArray got = get(s);
        QVERIFY2(got.endsWith("upstream request timeout\n504"), got.constData());
        QVERIFY2(clock.elapsed() >= 300 && clock.elapsed() < 2500,
                 qPrintable(QString::number(clock.elapsed())));
    }

    // Timeouts of consecutive requests on one keep-alive connection: a tighter one than the
    // previous request's still fires on time, and a later one fires at its own deadline, not at
    // the deadline of the request before (the proxy re-arms its timer lazily).
    void timeoutsHoldAcrossAKeepAliveConnection() {
        Served s = Served::yaml(gatewayWithRules(R"(  - match: [{uri: {prefix: /tight}}]
    timeout: 300ms
    retries: {attempts: 0}
    route: [{destination: {host: slow}}]
  - match: [{uri: {prefix: /loose}}]
    timeout: 1s
    retries: {attempts: 0}
    route: [{destination: {host: slow}}]
  - timeout: 1s
    route: [{destination: {host: fast}}]
)") + serviceWithWorkload("fast", "") +
                                serviceWithWorkload("slow", "  latency: {fixed: 4s}\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        sluice::test::RawHttpConnection connection(s.port(80));
        QVERIFY(connection.connected());
        const auto get = [&connection](const char* path) {
            return connection.exchange(std::string("GET ") + path + " HTTP/1.1\r\nHost: policy.test\r\n\r\n");
        };
        QElapsedTimer clock;
        QVERIFY(get("/fast").starts_with("HTTP/1.1 200"));
        clock.start();
        std::string got = get("/tight"); // 300 ms, under the 1 s wait the previous request left
        QVERIFY2(got.starts_with("HTTP/1.1 504"), got.c_str());
        QVERIFY2(clock.elapsed() >= 280 && clock.elapsed() < 900,
                 qPrintable(QString::number(clock.elapsed())));

        QVERIFY(get("/fast").starts_with("HTTP/1.1 200")); // leaves a wait due 1 s from now
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        clock.restart();
        got = get("/loose"); // due 1 s from now: half a second after that wait
        QVERIFY2(got.starts_with("HTTP/1.1 504"), got.c_str());
        QVERIFY2(clock.elapsed() >= 950 && clock.elapsed() < 2500,
                 qPrintable(QString::number(clock.elapsed())));
        QVERIFY(get("/fast").starts_with("HTTP/1.1 200")); // the connection still serves
    }

    // A fault delay holds the request before it is forwarded; the answer is the upstream's.
    void faultDelayHoldsTheRequest() {
        Served s = Served::yaml(
            config("    fault: {delay: {fixedDelay: 400ms, percentage: {value: 100}}}\n", "  replicas: 1\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QElapsedTimer clock;
        clock.start();
        const QByteArray got = get(s);
        QVERIFY2(got.endsWith("\n200"), got.constData());
        QVERIFY2(clock.elapsed() >= 400, qPrintable(QString::number(clock.elapsed())));
    }

    // A delay and an abort on one rule: Envoy's fault filter holds the request, then aborts it
    // (an abort is not answered at once when the delay was drawn too).
    void faultDelayThenAbort() {
        Served s = Served::yaml(config("    fault:\n"
                                       "      delay: {fixedDelay: 300ms, percentage: {value: 100}}\n"
                                       "      abort: {httpStatus: 503, percentage: {value: 100}}\n",
                                       "  replicas: 1\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        QElapsedTimer clock;
        clock.start();
        const QByteArray got = get(s);
        QVERIFY2(got.endsWith("\n503"), got.constData());
        QVERIFY2(got.contains("fault filter abort"), got.constData());
        QVERIFY2(clock.elapsed() >= 300, qPrintable(QString::number(clock.elapsed())));
    }

    // The fault filter holds a request before the router finds its cluster empty: the 503 UH comes
    // after the delay, over HTTP/1.1 and HTTP/2 alike, and the log has both flags in Envoy's order.
    void faultDelayHoldsNoHealthyUpstream() {
        sluice::proxy::RecentRequests recent;
        sluice::proxy::ServeOptions options;
        options.accessLog = &recent;
        Served s =
            Served::yaml(gatewayWithRules("  - route:\n    - destination: {host: idle, port: {number: 80}}\n"
                                          "    fault:\n"
                                          "      delay: {fixedDelay: 300ms, percentage: {value: 100}}\n") +
                             "---\napiVersion: v1\nkind: Service\nmetadata: {name: idle}\n"
                             "spec: {selector: {app: idle}, ports: [{name: http, port: 80}]}\n" +
                             serviceWithWorkload("busy", "  replicas: 1\n"), // so no default replica
                         options);
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(s.port(80));
        for (const QString& protocol :
             {QStringLiteral("--http1.1"), QStringLiteral("--http2-prior-knowledge")}) {
            QElapsedTimer clock;
            clock.start();
            const sluice::test::ClientRun r = statusOf(protocol, url);
            QVERIFY2(r.out == "503", r.all().constData());
            QVERIFY2(clock.elapsed() >= 300, qPrintable(protocol + QString::number(clock.elapsed())));
        }
        std::vector<sluice::proxy::RequestRecord> records;
        QTRY_VERIFY_WITH_TIMEOUT((recent.drain(records), records.size() >= 2), 5000);
        for (const auto& r : records)
            QCOMPARE(QString::fromStdString(r.flags), QStringLiteral("UH,DI"));
    }

    // The route timeout covers the whole response (Envoy's global timeout runs until the upstream's
    // end of stream): a body that stalls after the head is cut at the timeout, HTTP/1.1 by closing
    // the connection, HTTP/2 by resetting the stream; not left hanging until the upstream gives up.
    void routeTimeoutCoversTheResponseBody() { expectStalledBodyCut("    timeout: 500ms\n", 450, 2500); }

    // The per-try timeout ends with the response head (Envoy's per_try_timeout covers the attempt
    // up to the upstream's headers); the route timeout then runs on to the end of the body. A body
    // that stalls after its head is therefore cut at the route timeout, not the per-try one.
    void perTryTimeoutStopsAtTheResponseHead() {
        expectStalledBodyCut("    timeout: 1500ms\n    retries: {attempts: 1, perTryTimeout: 300ms}\n", 1400,
                             4000);
    }

    // CORS: the gateway answers an allowed origin's preflight itself (the replica never sees it),
    // and the actual request's response carries the access-control headers.
    void corsPreflightIsAnsweredAtTheGateway() {
        Served s =
            Served::yaml(config("    corsPolicy:\n      allowOrigins: [{exact: \"https://app.test\"}]\n"
                                "      allowMethods: [GET, POST]\n      maxAge: 1m\n",
                                "  replicas: 1\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QString url = QStringLiteral("http://127.0.0.1:%1/api").arg(s.port(80));
        const QByteArray preflight =
            curl({QStringLiteral("-i"), QStringLiteral("-X"), QStringLiteral("OPTIONS"), QStringLiteral("-H"),
                  QStringLiteral("Host: policy.test"), QStringLiteral("-H"),
                  QStringLiteral("Origin: https://app.test"), QStringLiteral("-H"),
                  QStringLiteral("Access-Control-Request-Method: POST"), url});
        QVERIFY2(preflight.startsWith("HTTP/1.1 200 OK\r\n"), preflight.constData());
        QVERIFY2(preflight.contains("access-control-allow-origin: https://app.test\r\n"),
                 preflight.constData());
        QVERIFY2(preflight.contains("access-control-allow-methods: GET,POST\r\n"), preflight.constData());
        QVERIFY2(preflight.contains("access-control-max-age: 60\r\n"), preflight.constData());
        QVERIFY2(!preflight.contains("x-sluice-workload"), preflight.constData()); // not forwarded

        const QByteArray actual =
            curl({QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("Host: policy.test"),
                  QStringLiteral("-H"), QStringLiteral("Origin: https://app.test"), url});
        QVERIFY2(actual.contains("x-sluice-workload: svc-v1-1"), actual.constData());
        QVERIFY2(actual.contains("access-control-allow-origin: https://app.test\r\n"), actual.constData());

        // Another origin's preflight goes on to the upstream, which knows nothing of CORS.
        const QByteArray other =
            curl({QStringLiteral("-i"), QStringLiteral("-X"), QStringLiteral("OPTIONS"), QStringLiteral("-H"),
                  QStringLiteral("Host: policy.test"), QStringLiteral("-H"),
                  QStringLiteral("Origin: https://evil.test"), QStringLiteral("-H"),
                  QStringLiteral("Access-Control-Request-Method: POST"), url});
        QVERIFY2(other.contains("x-sluice-workload: svc-v1-1"), other.constData());
        QVERIFY2(!other.contains("access-control-allow-origin"), other.constData());
    }

    // An endpoint nothing listens on: connect failures are retried, then 503 with Envoy's words.
    void connectFailureIs503() {
        Served s = Served::yaml(config("", "  endpoint: 127.0.0.1:1\n"));
        QVERIFY2(s.error.empty(), s.error.c_str());
        const QByteArray got = get(s);
        QVERIFY2(got.endsWith("reset reason: connection failure\n503"), got.constData());
    }
};

QTEST_GUILESS_MAIN(ProxyPoliciesTest)
#include "proxy_policies_test.moc"
