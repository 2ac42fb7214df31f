// SPDX-License-Identifier: Apache-2.0
#include "routing/route_executor.h"
#include "routing_test_support.h"

#include <map>

#include <QTest>

#include <re2/re2.h>

using namespace sluice::routing;
using sluice::test::healthy;
using sluice::test::httpMatch;

namespace {

CompiledRoute route(const std::string& match, RouteAction action) {
    return CompiledRoute{*RequestMatcher::compile(httpMatch(match)),
                         std::make_shared<RouteAction>(std::move(action)),
                         {},
                         {},
                         {}};
}

RouteAction forward(std::vector<WeightedDestination> destinations = {
                        healthy("app.default.svc.cluster.local")}) {
    RouteAction a;
    a.destinations = std::move(destinations);
    for (const auto& d : a.destinations)
        a.totalWeight += d.weight;
    return a;
}

Decision run(const CompiledRoute& r, const Request& request, std::uint64_t seed = 1) {
    Rng rng(seed);
    Decision d;
    executeRoute(r, MatchInput(request), rng, d);
    return d;
}

} // namespace

class RouteExecutorTest : public QObject {
    Q_OBJECT

private slots:
    void location_data() {
        QTest::addColumn<RedirectSpec>("spec");
        QTest::addColumn<std::string>("match");
        QTest::addColumn<std::string>("authority");
        QTest::addColumn<std::string>("target");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<std::string>("location");
        const auto spec = [](auto&& fill) {
            RedirectSpec s;
            fill(s);
            return s;
        };
        const std::string prefix = "{uri: {prefix: /foo}}";
        QTest::newRow("uri replaces the path, keeps the query")
            << spec([](RedirectSpec& s) { s.uri = "/new"; }) << prefix << std::string("a.test")
            << std::string("/foo/x?q=1") << false << std::string("http://a.test/new?q=1");
        QTest::newRow("uri with its own query wins")
            << spec([](RedirectSpec& s) { s.uri = "/new?r=2"; }) << prefix << std::string("a.test")
            << std::string("/foo?q=1") << false << std::string("http://a.test/new?r=2");
        QTest::newRow("no path change keeps the normalised path")
            << spec([](RedirectSpec& s) { s.authority = "b.test"; }) << prefix << std::string("a.test:81")
            << std::string("/x/../foo?q") << false << std::string("http://b.test/foo?q");
        QTest::newRow("scheme change drops the old default port")
            << spec([](RedirectSpec& s) { s.scheme = "https"; }) << prefix << std::string("a.test:80")
            << std::string("/foo") << false << std::string("https://a.test/foo");
        QTest::newRow("scheme change keeps another port")
            << spec([](RedirectSpec& s) { s.scheme = "https"; }) << prefix << std::string("a.test:8000")
            << std::string("/foo") << false << std::string("https://a.test:8000/foo");
        QTest::newRow("https to http drops :443")
            << spec([](RedirectSpec& s) { s.scheme = "http"; }) << prefix << std::string("a.test:443")
            << std::string("/foo") << true << std::string("http://a.test/foo");
        QTest::newRow("explicit port replaces the host's")
            << spec([](RedirectSpec& s) { s.port = 9000; }) << prefix << std::string("a.test:8000")
            << std::string("/foo") << false << std::string("http://a.test:9000/foo");
        QTest::newRow("port 80 over http is never written")
            << spec([](RedirectSpec& s) { s.port = 80; }) << prefix << std::string("a.test:8000")
            << std::string("/foo") << false << std::string("http://a.test:8000/foo");
        QTest::newRow("port 443 over https is never written") << spec([](RedirectSpec& s) {
            s.port = 443;
            s.scheme = "https";
        }) << prefix << std::string("a.test") << std::string("/foo")
                                                              << false << std::string("https://a.test/foo");
        QTest::newRow("from request port uses the server port")
            << spec([](RedirectSpec& s) { s.portFromRequest = true; }) << prefix << std::string("a.test")
            << std::string("/foo") << false << std::string("http://a.test:8080/foo");
        QTest::newRow("IPv6 host gets the new port")
            << spec([](RedirectSpec& s) { s.port = 9000; }) << prefix << std::string("[2001:db8::1]:8000")
            << std::string("/foo") << false << std::string("http://[2001:db8::1]:9000/foo");
        QTest::newRow("prefix rewrite swaps the matched prefix")
            << spec([](RedirectSpec& s) { s.prefixRewrite = "/"; }) << prefix << std::string("a.test")
            << std::string("/foo/bar?x") << false << std::string("http://a.test//bar?x");
        QTest::newRow("prefix rewrite ignored for exact matches")
            << spec([](RedirectSpec& s) { s.prefixRewrite = "/bar"; }) << std::string("{uri: {exact: /foo}}")
            << std::string("a.test") << std::string("/foo") << false << std::string("http://a.test/foo");
        QTest::newRow("uri without slash gets one")
            << spec([](RedirectSpec& s) { s.uri = "landing"; }) << prefix << std::string("a.test")
            << std::string("/foo") << false << std::string("http://a.test/landing");
    }
    void location() {
        QFETCH(RedirectSpec, spec);
        QFETCH(std::string, match);
        QFETCH(std::string, authority);
        QFETCH(std::string, target);
        QFETCH(bool, tls);
        QFETCH(std::string, location);
        RouteAction action;
        action.kind = RouteAction::Kind::Redirect;
        action.redirect = spec;
        const auto r = route(match, action);
        Request request = sluice::test::request(authority, target, 8080);
        request.tls = tls;
        QCOMPARE(redirectLocation(spec, r, MatchInput(request), 8080), location);
        const Decision d = run(r, request);
        QCOMPARE(d.outcome, Outcome::Redirect);
        QCOMPARE(d.status, spec.code);
        QVERIFY(!d.destination);
    }

    void rewrite_data() {
        QTest::addColumn<std::string>("match");
        QTest::addColumn<RewriteSpec>("rewrite");
        QTest::addColumn<std::string>("target");
        QTest::addColumn<std::string>("upstream");
        const auto uri = [](const char* u) {
            RewriteSpec s;
            s.uri = u;
            return s;
        };
        RewriteSpec regex;
        regex.regex = std::make_shared<const re2::RE2>("^/service/([^/]+)(/.*)$");
        regex.regexSubstitution = "/customprefix\\2/\\1";
        QTest::newRow("prefix swapped") << std::string("{uri: {prefix: /api/}}") << uri("/")
                                        << std::string("/api/users?p=2") << std::string("/users?p=2");
        QTest::newRow("prefix without slash doubles it")
            << std::string("{uri: {prefix: /api}}") << uri("/") << std::string("/api/users")
            << std::string("//users");
        QTest::newRow("prefix any case swaps the matched length")
            << std::string("{uri: {prefix: /API}, ignoreUriCase: true}") << uri("/v2")
            << std::string("/api/x") << std::string("/v2/x");
        QTest::newRow("exact replaces the path, keeps the query")
            << std::string("{uri: {exact: /old}}") << uri("/new") << std::string("/old?a=1")
            << std::string("/new?a=1");
        QTest::newRow("regex match replaces the whole path")
            << std::string("{uri: {regex: \"/l/.*\"}}") << uri("/m") << std::string("/l/a/b")
            << std::string("/m");
        QTest::newRow("regex rewrite with groups")
            << std::string("{uri: {prefix: /service}}") << regex << std::string("/service/update/v1/api?q")
            << std::string("/customprefix/v1/api/update?q");
        QTest::newRow("no rewrite sends the normalised path")
            << std::string("{uri: {prefix: /}}") << RewriteSpec{} << std::string("/a/./b/../c?x")
            << std::string("/a/c?x");
    }
    void rewrite() {
        QFETCH(std::string, match);
        QFETCH(RewriteSpec, rewrite);
        QFETCH(std::string, target);
        QFETCH(std::string, upstream);
        RouteAction action = forward();
        action.rewrite = rewrite;
        const Decision d = run(route(match, action), sluice::test::request("a.test", target));
        QCOMPARE(d.outcome, Outcome::Forward);
        QCOMPARE(d.upstreamPath, upstream);
        const bool recorded =
            std::any_of(d.requestHeaders.set.begin(), d.requestHeaders.set.end(), [&](const auto& h) {
                return h.first == "x-envoy-original-path" && h.second == target;
            });
        QCOMPARE(recorded, rewrite.rewritesPath());
    }

    void authorityPrecedence() {
        RouteAction action = forward();
        action.destinations.front().authority = "destination.internal";
        QCOMPARE(run(route("{}", action), sluice::test::request("a.test", "/")).upstreamAuthority,
                 std::string("destination.internal"));
        action.rewrite.authority = "route.internal";
        QCOMPARE(run(route("{}", action), sluice::test::request("a.test", "/")).upstreamAuthority,
                 std::string("route.internal"));
        QCOMPARE(run(route("{}", forward()), sluice::test::request("a.test:8080", "/")).upstreamAuthority,
                 std::string("a.test:8080"));
    }

    void headerOperationsRouteThenDestination() {
        RouteAction action = forward();
        action.requestHeaders.set = {{"x-env", "prod"}};
        action.destinations.front().requestHeaders.set = {{"x-env", "canary"}};
        action.responseHeaders.add = {{"x-a", "1"}};
        action.destinations.front().responseHeaders.add = {{"x-b", "2"}};
        const Decision d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.requestHeaders.set.size(), std::size_t(2));
        QCOMPARE(d.requestHeaders.set.back().second, std::string("canary")); // applied last, so it wins
        QCOMPARE(d.responseHeaders.add.size(), std::size_t(2));
    }

    void weightedPickFollowsTheWeights() {
        const RouteAction action =
            forward({healthy("a.default.svc.cluster.local", 1), healthy("b.default.svc.cluster.local", 3)});
        const auto r = route("{}", action);
        Rng rng(42);
        int b = 0;
        for (int i = 0; i < 4000; ++i) {
            Decision d;
            executeRoute(r, MatchInput(sluice::test::request("a.test", "/")), rng, d);
            b += d.destination->host == "b.default.svc.cluster.local";
        }
        QVERIFY2(std::abs(b - 3000) < 120, qPrintable(QString::number(b)));
    }

    void endpointlessAndMissingClusters() {
        WeightedDestination missing = healthy("ghost.default.svc.cluster.local");
        missing.clusterExists = false;
        Decision d = run(route("{}", forward({missing})), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::ClusterNotFound);
        QCOMPARE(d.responseFlag, std::string("NC"));
        WeightedDestination empty = healthy("idle.default.svc.cluster.local");
        empty.endpoints = 0;
        d = run(route("{}", forward({empty})), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::NoHealthyUpstream);
        QCOMPARE(d.status, 503);
        QCOMPARE(d.responseFlag, std::string("UH"));
    }

    // The fault filter runs before the router: a drawn delay still holds a request whose cluster
    // is missing or empty, and both flags are logged, in Envoy's order.
    void delayBeforeMissingOrEmptyCluster() {
        WeightedDestination missing = healthy("ghost.default.svc.cluster.local");
        missing.clusterExists = false;
        RouteAction action = forward({missing});
        action.fault.delay = sluice::model::Duration::parse("250ms");
        action.fault.delayPercent = 100;
        Decision d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::ClusterNotFound);
        QCOMPARE(d.responseFlag, std::string("DI,NC"));
        QCOMPARE(d.injectedDelay(), std::chrono::milliseconds(250));

        WeightedDestination empty = healthy("idle.default.svc.cluster.local");
        empty.endpoints = 0;
        action.destinations = {empty};
        d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::NoHealthyUpstream);
        QCOMPARE(d.responseFlag, std::string("UH,DI"));
        QCOMPARE(d.injectedDelay(), std::chrono::milliseconds(250));
    }

    void faults() {
        RouteAction action = forward();
        action.fault.abortStatus = 418;
        action.fault.abortPercent = 100;
        Decision d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::FaultAbort);
        QCOMPARE(d.status, 418);
        QCOMPARE(d.responseFlag, std::string("FI"));
        action.fault.abortPercent = 0; // unset percentage: never fires
        d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::Forward);
        QVERIFY(d.responseFlag.empty());
        action.fault = {};
        action.fault.delay = sluice::model::Duration::parse("7s");
        action.fault.delayPercent = 100;
        d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::Forward);
        QCOMPARE(d.responseFlag, std::string("DI"));
        QCOMPARE(d.injectedDelay(), std::chrono::milliseconds(7000));
    }

    // Envoy's fault filter: the delay is drawn first and the abort after it, so a request can be
    // held and then aborted (flags DI,FI); a delay that is not drawn leaves a plain FI abort.
    void delayThenAbort() {
        RouteAction action = forward();
        action.fault.delay = sluice::model::Duration::parse("1.5s");
        action.fault.delayPercent = 100;
        action.fault.abortStatus = 503;
        action.fault.abortPercent = 100;
        Decision d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::FaultAbort);
        QCOMPARE(d.status, 503);
        QCOMPARE(d.responseFlag, std::string("DI,FI"));
        QCOMPARE(d.injectedDelay(), std::chrono::milliseconds(1500));

        action.fault.delayPercent = 0;
        d = run(route("{}", action), sluice::test::request("a.test", "/"));
        QCOMPARE(d.responseFlag, std::string("FI"));
        QCOMPARE(d.injectedDelay(), std::chrono::milliseconds(0));

        // Half delayed, half aborted, drawn independently: all four combinations occur.
        action.fault.delayPercent = 50;
        action.fault.abortPercent = 50;
        const auto r = route("{}", action);
        const Request request = sluice::test::request("a.test", "/");
        Rng rng(7);
        std::map<std::string, int> seen;
        for (int i = 0; i < 400; ++i) {
            Decision one;
            executeRoute(r, MatchInput(request), rng, one);
            ++seen[one.responseFlag];
        }
        QCOMPARE(seen.size(), std::size_t(4));
        for (const char* flags : {"", "DI", "FI", "DI,FI"})
            QVERIFY2(seen[flags] > 60, flags);
    }

    void directResponseAndMirrors() {
        RouteAction direct;
        direct.kind = RouteAction::Kind::DirectResponse;
        direct.directStatus = 503;
        direct.directBody = "down";
        Decision d = run(route("{}", direct), sluice::test::request("a.test", "/"));
        QCOMPARE(d.outcome, Outcome::DirectResponse);
        QCOMPARE(d.body, std::string("down"));
        QVERIFY(!d.destination);

        RouteAction mirrored = forward();
        MirrorPolicy m;
        m.destination = healthy("shadow.default.svc.cluster.local").destination;
        mirrored.mirrors.push_back(m);
        d = run(route("{}", mirrored), sluice::test::request("a.test:8000", "/"));
        QCOMPARE(d.mirrors.size(), std::size_t(1));
        QCOMPARE(d.mirrors.front().authority, std::string("a.test:8000")); // no -shadow suffix
    }

    void tcpRoute() {
        TcpRoute tcp;
        tcp.destinations = {healthy("db.default.svc.cluster.local")};
        tcp.totalWeight = 100;
        Rng rng(3);
        Decision d;
        executeTcpRoute(tcp, rng, d);
        QCOMPARE(d.outcome, Outcome::Forward);
        tcp.destinations.front().clusterExists = false;
        Decision closed;
        executeTcpRoute(tcp, rng, closed);
        QCOMPARE(closed.outcome, Outcome::ConnectionReset); // a TCP proxy cannot answer 503
    }

    void redirectHostHelper() {
        QCOMPARE(redirectHost("a.test:80", "https", false, "http"), std::string("a.test"));
        QCOMPARE(redirectHost("a.test:80", "http", false, "http"), std::string("a.test:80"));
        QCOMPARE(redirectHost("a.test:1", "http", true, "http"), std::string("a.test"));
        QCOMPARE(redirectHost("[::1]:443", "http", false, "https"), std::string("[::1]"));
        QCOMPARE(redirectHost("[::1]", "https", true, "http"), std::string("[::1]"));
        QCOMPARE(redirectHost("", "https", true, "http"), std::string());
    }
};

QTEST_GUILESS_MAIN(RouteExecutorTest)
#include "route_executor_test.moc"
