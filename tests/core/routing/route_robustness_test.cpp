// SPDX-License-Identifier: Apache-2.0
// Bad input is data: whatever a client sends, route() returns a decision and never crashes.

#include "routing/route_table.h"
#include "routing_test_support.h"

#include <QTest>

using namespace sluice::routing;

namespace {

// Something of every kind: merged HTTP servers, httpsRedirect, HTTPS by SNI, TCP, passthrough,
// matchers of every sort, rewrites, redirects, delegation and the mesh.
const char* kConfig = R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
  - port: {number: 8080, name: http-redirect, protocol: HTTP}
    hosts: ["secure.example.com"]
    tls: {httpsRedirect: true}
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*.example.com"]
    tls: {mode: SIMPLE, credentialName: cert}
  - port: {number: 31400, name: tcp, protocol: TCP}
    hosts: ["*"]
  - port: {number: 8443, name: tls, protocol: TLS}
    hosts: ["*"]
    tls: {mode: PASSTHROUGH}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [edge, mesh]
  http:
  - match: [{uri: {regex: "/re/[a-z]+(/.*)?"}, headers: {x-a: {regex: ".*z.*"}}}]
    rewrite: {uriRegexRewrite: {match: "^/re/(.*)$", rewrite: '/\1/x'}}
    route: [{destination: {host: web.default.svc.cluster.local}}]
  - match: [{uri: {prefix: /API}, ignoreUriCase: true, queryParams: {q: {prefix: "a"}}}]
    rewrite: {uri: /, authority: api.internal}
    route: [{destination: {host: web.default.svc.cluster.local}}]
  - match: [{uri: {exact: /r}}, {withoutHeaders: {x-b: {exact: "1"}}, uri: {prefix: /r/}}]
    redirect: {uri: /moved, port: 8443, scheme: https}
  - match: [{uri: {prefix: /d}}]
    delegate: {name: leaf}
  - match: [{authority: {prefix: "a"}, method: {regex: "P.*"}}]
    fault: {abort: {httpStatus: 503, percentage: {value: 50}}, delay: {fixedDelay: 1s, percentage: {value: 50}}}
    route:
    - {destination: {host: web.default.svc.cluster.local}, weight: 1}
    - {destination: {host: nowhere}, weight: 1}
    mirror: {host: web.default.svc.cluster.local}
  - directResponse: {status: 200, body: {string: fallback}}
  tcp:
  - route: [{destination: {host: web.default.svc.cluster.local, port: {number: 80}}}]
  tls:
  - match: [{sniHosts: ["*.example.com"]}]
    route: [{destination: {host: web.default.svc.cluster.local, port: {number: 80}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: leaf, namespace: istio-system}
spec:
  http:
  - match: [{uri: {prefix: /d/x}}]
    route: [{destination: {host: web.default.svc.cluster.local}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
)";

std::vector<std::string> oddHosts() {
    return {"",
            ":",
            "::::",
            "[",
            "[]",
            "[::1",
            "[::1]:",
            "[::1]:99999",
            "2001:db8::1",
            "a:b:c",
            "a.com:",
            "a.com:-1",
            "a.com:99999999999999999999",
            "a..b",
            "*.example.com",
            "*",
            ".",
            "A.EXAMPLE.COM:443",
            "host with spaces",
            std::string("nul\0host", 8),
            "\xff\xfe\xfd",
            "secure.example.com:8080",
            std::string(100000, 'h') + ".example.com",
            "x.example.com:443:443"};
}

std::vector<std::string> oddTargets() {
    return {"",
            "?",
            "??",
            "#",
            "%",
            "%zz",
            "/%",
            "/%2",
            "/%2e%2e/%2E%2E/x",
            "/..",
            "/../../..",
            "//",
            "///a//b",
            "*",
            "http://absolute.example.com/a?b",
            "/re/abc/def",
            "/RE/ABC",
            "/api?q=abc&q",
            "/API/x?q=%zz&=&&=",
            "/r/?x=1",
            "/d/x/../y",
            "/d/x",
            std::string("/nul\0/x", 7),
            "/\xff\xfe?\xfe=\xff",
            "/a?" + std::string(5000, '&')};
}

std::vector<std::string> hugeTargets() {
    std::string dots;
    for (int i = 0; i < 100000; ++i)
        dots += i % 2 ? "/.." : "/%2e%2E";
    return {"/" + std::string(1 << 20, 'a'), "/re/" + std::string(1 << 20, 'b'),
            "/api" + std::string(1 << 16, '/'), "/API?q=" + std::string(1 << 20, 'a'), dots};
}

std::string optionalNanos(const std::optional<sluice::model::Duration>& d) {
    return d ? std::to_string(d->nanos) : "-";
}

std::string describe(const HeaderOperations& ops) {
    std::string out;
    for (const auto& [name, value] : ops.set)
        out += " set " + name + "=" + value;
    for (const auto& [name, value] : ops.add)
        out += " add " + name + "=" + value;
    for (const auto& name : ops.remove)
        out += " remove " + name;
    return out;
}

// Every field of a Decision, so two decisions compare equal exactly when they say the same.
std::string describe(const Decision& d) {
    std::string out =
        std::string(outcomeName(d.outcome)) + " " + std::to_string(d.status) + " [" + d.responseFlag + "]";
    if (d.destination)
        out += " dest " + d.destination->host + ":" + std::to_string(d.destination->port) + "/" +
               d.destination->subset + " " + d.destination->cluster;
    const RouteOrigin& o = d.origin;
    out += " origin " + o.gateway + "|" + o.virtualService + "|" + std::to_string(o.ruleIndex) + "|" +
           std::to_string(o.matchIndex) + "|" + o.ruleName + "|" + o.routeConfig + "|" + o.virtualHost + "|" +
           std::to_string(o.span.line) + ":" + std::to_string(o.span.column);
    out += " path " + d.upstreamPath + " authority " + d.upstreamAuthority;
    out += " request" + describe(d.requestHeaders) + " response" + describe(d.responseHeaders);
    out += " location " + d.location + " body " + d.body + " timeout " + optionalNanos(d.timeout);
    out += " retries " + std::to_string(d.retries.attempts) + " " + optionalNanos(d.retries.perTryTimeout) +
           " " + d.retries.retryOn + (d.retries.isDefault ? " default" : "");
    for (const auto code : d.retries.retriableStatusCodes)
        out += " " + std::to_string(code);
    out += " fault " + optionalNanos(d.fault.delay) + " " + std::to_string(d.fault.delayPercent) + " " +
           (d.fault.abortStatus ? std::to_string(*d.fault.abortStatus) : "-") + " " +
           d.fault.abortGrpcStatus + " " + std::to_string(d.fault.abortPercent);
    for (const auto& m : d.mirrors)
        out += " mirror " + m.destination.cluster + " " + std::to_string(m.percent) + " " + m.authority +
               (m.clusterExists ? "" : " missing");
    out += d.cors ? " cors" : "";
    out += " lb " + d.loadBalancer + (d.traced ? " traced" : "");
    for (const auto& step : d.trace)
        out += "\n  " + std::to_string(static_cast<int>(step.kind)) + " " + step.text;
    return out;
}

void check(const Decision& d, Explain explain) {
    QVERIFY(d.status >= 0 && d.status < 1000);
    if (explain == Explain::Yes)
        QVERIFY(!d.trace.empty());
    if (d.outcome == Outcome::Forward)
        QVERIFY(d.destination.has_value());
}

} // namespace

class RouteRobustnessTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_resources = sluice::test::load(kConfig);
        m_table = compile(m_resources);
        QVERIFY(m_table);
        QVERIFY(!m_table->listeners().empty());
    }

    void oddHostsAndTargets_data() {
        QTest::addColumn<std::uint32_t>("port");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<bool>("mesh");
        QTest::newRow("http 80") << 80u << false << false;
        QTest::newRow("redirect 8080") << 8080u << false << false;
        QTest::newRow("https 443") << 443u << true << false;
        QTest::newRow("plaintext to 443") << 443u << false << false;
        QTest::newRow("tcp 31400") << 31400u << false << false;
        QTest::newRow("passthrough 8443") << 8443u << true << false;
        QTest::newRow("no listener") << 0u << false << false;
        QTest::newRow("huge port") << 4294967295u << true << false;
        QTest::newRow("mesh") << 80u << false << true;
    }
    void oddHostsAndTargets() {
        QFETCH(std::uint32_t, port);
        QFETCH(bool, tls);
        QFETCH(bool, mesh);
        Rng rng(7);
        for (const auto& host : oddHosts())
            for (const auto& target : oddTargets()) {
                Request r = sluice::test::request(host, target, port);
                r.tls = tls;
                r.mesh = mesh;
                r.method = target.size() % 2 ? "POST" : "";
                r.headers = {{"x-a", "zz"}, {"", ""}, {"x-b", host}};
                for (const Explain e : {Explain::Yes, Explain::No})
                    check(m_table->route(r, rng, e), e);
            }
    }

    // A proxy session routes every request into the same Decision: what the previous request
    // left there (a destination, rewrites, a fault, a trace) must never leak into the next one.
    void reusedDecisionSaysWhatAFreshOneSays() {
        Rng fresh(11);
        Rng reused(11);
        Decision into;
        int forwarded = 0;
        int local = 0;
        const std::vector<std::string> targets = {"/re/abc/x", "/API/v?q=ab", "/r", "/d/x", "/x", "/", "*"};
        for (const std::uint32_t port : {80u, 8080u, 443u, 31400u, 8443u, 9u})
            for (const auto& host : {"a.example.com", "secure.example.com", "", "b.example.com:443", "web"})
                for (const auto& target : targets)
                    for (const Explain e : {Explain::No, Explain::Yes, Explain::No}) {
                        Request r = sluice::test::request(host, target, port);
                        r.tls = port == 443 || port == 8443;
                        r.method = target.size() % 2 ? "POST" : "GET";
                        r.headers = {{"x-a", "zz"}};
                        r.mesh = port == 9u; // the sidecar view of Service web on 80
                        if (r.mesh)
                            r.port = 80;
                        const Decision expected = m_table->route(r, fresh, e);
                        m_table->route(r, reused, e, into);
                        QCOMPARE(describe(into), describe(expected));
                        forwarded += expected.outcome == Outcome::Forward;
                        local += expected.outcome != Outcome::Forward;
                    }
        QVERIFY(forwarded > 50); // the mix really alternates between kinds of decision
        QVERIFY(local > 50);
    }

    void hugeTargets() {
        Rng rng(5);
        for (const auto& target : ::hugeTargets())
            for (const std::uint32_t port : {80u, 8080u, 443u}) {
                Request r = sluice::test::request("a.example.com", target, port);
                r.tls = port == 443;
                r.headers = {{"x-a", "z"}};
                for (const Explain e : {Explain::Yes, Explain::No})
                    check(m_table->route(r, rng, e), e);
                r.mesh = true;
                check(m_table->route(r, rng), Explain::Yes);
            }
    }

    void oddSni() {
        Rng rng(1);
        for (const auto& sni : oddHosts()) {
            Request r = sluice::test::request("a.example.com", "/", 443);
            r.tls = true;
            r.sni = sni;
            check(m_table->route(r, rng), Explain::Yes);
            r.port = 8443;
            check(m_table->route(r, rng), Explain::Yes);
        }
    }

    void hugeAndManyHeaders() {
        Rng rng(2);
        Request r = sluice::test::request("a.example.com", "/re/abc");
        r.headers.emplace_back("x-a", std::string(1 << 20, 'z')); // 1 MB value, read by a regex
        r.headers.emplace_back(std::string(1 << 20, 'n'), "v");   // 1 MB name
        for (int i = 0; i < 10000; ++i)
            r.headers.emplace_back("x-h-" + std::to_string(i),
                                   std::string(static_cast<std::size_t>(i % 64), 'v'));
        r.headers.emplace_back(std::string("x-\0nul", 6), std::string("v\0v", 3));
        r.headers.emplace_back("X-B", "\xff\xfe");
        const Decision d = m_table->route(r, rng);
        check(d, Explain::Yes);
        QCOMPARE(d.outcome, Outcome::Forward);
        r.mesh = true;
        check(m_table->route(r, rng), Explain::Yes);
    }

    void oddMethodsAndSources() {
        Rng rng(3);
        const std::vector<std::string> methods = {"", "GET", std::string("PO\0ST", 5), "\xff",
                                                  std::string(70000, 'P')};
        for (const std::string& method : methods) {
            Request r = sluice::test::request("a.example.com", "/x", 80);
            r.method = method;
            r.sourceNamespace = method;
            r.sourceLabels = {{method, method}};
            check(m_table->route(r, rng), Explain::Yes);
            r.mesh = true;
            r.authority = "web";
            check(m_table->route(r, rng), Explain::Yes);
        }
    }

    void emptyAndBrokenConfigs() {
        Rng rng(4);
        for (const char* yaml :
             {"", "kind: Gateway", "apiVersion: networking.istio.io/v1\nkind: VirtualService\n",
              "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\n"
              "spec: {hosts: [\"*\"], gateways: [a/b], http: [{match: [{uri: {regex: \"(\"}}]}]}\n"}) {
            const auto resources = sluice::test::load(yaml);
            const auto table = compile(resources);
            QVERIFY(table);
            check(table->route(sluice::test::request("a", "/"), rng), Explain::Yes);
        }
    }

private:
    sluice::model::ResourceSet m_resources;
    RouteTablePtr m_table;
};

QTEST_GUILESS_MAIN(RouteRobustnessTest)
#include "route_robustness_test.moc"
