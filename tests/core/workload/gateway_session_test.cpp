// SPDX-License-Identifier: Apache-2.0
// GatewaySession: the live gateway run `sluice serve` and the Studio share. Real sockets on
// loopback, ephemeral ports.
#include "../../integration/raw_http_connection.h"
#include "config/loader.h"
#include "proxy/recent_requests.h"
#include "routing/route_table.h"
#include "workload/gateway_session.h"

#include <chrono>
#include <thread>

#include <QFile>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sluice;
using std::chrono_literals::operator""ms;

namespace {

std::string readSample(const char* name) {
    QFile file(QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary/") + QString::fromLatin1(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

/// samples/canary with its Gateway on `gatewayPort`, the rule named `ruleName`, and TLS on 443
/// without a certificate when `brokenTls`.
struct Canary {
    config::LoadResult loaded;
    routing::RouteTablePtr table;
};

Canary canary(int gatewayPort = 80, const std::string& ruleName = "frontend-split", bool brokenTls = false) {
    std::string gateway = readSample("gateway.yaml");
    const auto replace = [&gateway](const std::string& from, const std::string& to) {
        gateway.replace(gateway.find(from), from.size(), to);
    };
    replace("number: 80", "number: " + std::to_string(gatewayPort));
    replace("name: frontend-split", "name: " + ruleName);
    if (brokenTls)
        replace(
            "    hosts:\n    - \"shop.example.com\"\n",
            "    hosts:\n    - \"shop.example.com\"\n  - port: {number: 443, name: https, protocol: HTTPS}\n"
            "    hosts: [\"shop.example.com\"]\n    tls: {mode: SIMPLE, credentialName: missing-cert}\n");
    Canary c;
    config::loadText("gateway.yaml", gateway, c.loaded);
    config::loadText("workloads.yaml", readSample("workloads.yaml"), c.loaded);
    c.table = routing::compile(c.loaded.resources);
    return c;
}

workload::SessionOptions ephemeral(proxy::AccessLogSink* log = nullptr) {
    workload::SessionOptions o;
    o.serve.ephemeralPorts = true;
    o.serve.workers = 2;
    o.accessLog = log;
    o.drain = 200ms;
    return o;
}

std::string get(std::uint16_t port, const std::string& host = "shop.example.com") {
    test::RawHttpConnection c(port);
    if (!c.connected())
        return {};
    return c.exchange("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
}

/// A listening socket of our own on 127.0.0.1:`port` (0: any); -1 when it cannot be bound.
int holdPort(std::uint16_t port, std::uint16_t* bound = nullptr) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 || ::listen(fd, 1) != 0) {
        ::close(fd);
        return -1;
    }
    socklen_t size = sizeof at;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&at), &size);
    if (bound)
        *bound = ntohs(at.sin_port);
    return fd;
}

} // namespace

class GatewaySessionTest : public QObject {
    Q_OBJECT

private slots:
    void servesAndTellsWhereToSendRequests() {
        proxy::RecentRequests log;
        workload::GatewaySession session(ephemeral(&log));
        const Canary c = canary();
        QCOMPARE(session.start(c.loaded.resources, c.table), std::string());
        QVERIFY(session.running());
        const auto listeners = session.listeners();
        QCOMPARE(listeners.size(), std::size_t{1});
        QCOMPARE(listeners[0].gatewayPort, 80u);
        QVERIFY(listeners[0].localPort != 0);
        QCOMPARE(listeners[0].host, std::string("shop.example.com"));
        QCOMPARE(listeners[0].text(),
                 "http://127.0.0.1:" + std::to_string(listeners[0].localPort) + "  Host: shop.example.com");
        QVERIFY(get(listeners[0].localPort).starts_with("HTTP/1.1 200"));

        std::vector<proxy::RequestRecord> records;
        QTRY_VERIFY_WITH_TIMEOUT((log.drain(records), !records.empty()), 2000);
        QCOMPARE(records[0].status, 200);
        QCOMPARE(records[0].authority, std::string("shop.example.com"));
        QCOMPARE(records[0].routeName, std::string("frontend-split"));
        QVERIFY(records[0].upstreamCluster.find("frontend.canary.svc.cluster.local") != std::string::npos);
        QVERIFY(session.metrics());
        QTRY_VERIFY_WITH_TIMEOUT(session.metrics()->snapshot()->totalRequests() >= 1, 2000);
    }

    void aBusyPortIsSaidPlainlyAndNothingRuns() {
        std::uint16_t port = 0;
        const int held = holdPort(0, &port);
        QVERIFY(held >= 0);
        workload::SessionOptions options = ephemeral();
        options.serve.ephemeralPorts = false;
        workload::GatewaySession session(options);
        const Canary c = canary(port);
        const std::string error = session.start(c.loaded.resources, c.table);
        ::close(held);
        QVERIFY2(error.find("127.0.0.1:" + std::to_string(port)) != std::string::npos, error.c_str());
        QVERIFY2(error.find("in use") != std::string::npos, error.c_str());
        QVERIFY(!session.running());
        QVERIFY(session.listeners().empty());
        QVERIFY(!session.metrics());
    }

    void nothingToListenOnIsRefused() {
        workload::GatewaySession session(ephemeral());
        config::LoadResult none;
        const auto table = routing::compile(none.resources);
        QVERIFY(session.start(none.resources, table).find("nothing to listen on") != std::string::npos);
        QVERIFY(!session.running());
    }

    void aReloadIsServedAndARefusedOneKeepsTheLastGood() {
        proxy::RecentRequests log;
        workload::SessionOptions options = ephemeral(&log);
        options.refuseMissingTls = true;
        workload::GatewaySession session(options);
        const Canary first = canary();
        QCOMPARE(session.start(first.loaded.resources, first.table), std::string());
        const std::uint16_t port = session.listeners().at(0).localPort;

        const Canary renamed = canary(80, "renamed-split");
        QCOMPARE(session.apply(renamed.loaded.resources, renamed.table), std::string());
        QVERIFY(get(port).starts_with("HTTP/1.1 200"));

        const Canary refused = canary(80, "refused-split", true);
        const std::string why = session.apply(refused.loaded.resources, refused.table);
        QVERIFY2(why.find("TLS servers without a usable certificate") != std::string::npos, why.c_str());
        QVERIFY(get(port).starts_with("HTTP/1.1 200"));
        QCOMPARE(session.listeners().size(), std::size_t{1}); // 443 was not added

        std::vector<proxy::RequestRecord> records;
        QTRY_VERIFY_WITH_TIMEOUT((log.drain(records), records.size() >= 2), 2000);
        for (const auto& r : records)
            QCOMPARE(r.routeName, std::string("renamed-split"));
    }

    void stopFreesThePortsAndTheSessionStartsAgain() {
        workload::SessionOptions options = ephemeral();
        workload::GatewaySession session(options);
        const Canary c = canary();
        QCOMPARE(session.start(c.loaded.resources, c.table), std::string());
        const std::uint16_t port = session.listeners().at(0).localPort;
        QVERIFY(get(port).starts_with("HTTP/1.1 200"));
        session.stop(100ms);
        QVERIFY(!session.running());
        QVERIFY(session.listeners().empty());
        QVERIFY(!session.metrics());
        const int again = holdPort(port);
        QVERIFY2(again >= 0, "the port is still bound after stop()");
        ::close(again);

        QCOMPARE(session.start(c.loaded.resources, c.table), std::string());
        QVERIFY(get(session.listeners().at(0).localPort).starts_with("HTTP/1.1 200"));
        QCOMPARE(session.start(c.loaded.resources, c.table), std::string("the gateway is already running"));
    }

    void blockingErrorsLeaveMissingCredentialsToTheDevCa() {
        model::Diagnostics diagnostics(2);
        diagnostics[0].level = model::Level::Error;
        diagnostics[0].field = "spec.servers[1].tls.credentialName";
        diagnostics[1].level = model::Level::Warning;
        QCOMPARE(workload::GatewaySession::blockingErrors(diagnostics, false), std::size_t{1});
        QCOMPARE(workload::GatewaySession::blockingErrors(diagnostics, true), std::size_t{0});
    }
};

QTEST_GUILESS_MAIN(GatewaySessionTest)
#include "gateway_session_test.moc"
