// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "proxy/http1_request_parser.h"
#include "proxy/http2_request.h"
#include "proxy/request_identity.h"
#include "routing/route_table.h"

#include <string>
#include <utility>
#include <vector>

#include <QTest>

using sluice::proxy::Http1RequestParser;
using sluice::proxy::Http2Request;
using sluice::proxy::KnownHeader;
using sluice::proxy::toRoutingRequest;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Http2Request h2(const Fields& fields) {
    Http2Request r;
    for (const auto& [name, value] : fields)
        r.add(name, value);
    r.complete();
    return r;
}

constexpr const char* kConfig = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop}
spec:
  hosts: ["shop.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /api}, headers: {x-user: {exact: jason}}, method: {exact: POST}}]
    route: [{destination: {host: api-v2, port: {number: 80}}}]
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: api, port: {number: 80}}}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: api-v2}
spec: {ports: [{name: http-web, port: 80}]}
)";

} // namespace

class Http2RequestTest : public QObject {
    Q_OBJECT

private slots:
    void pseudoHeadersBecomeTheHead() {
        const Http2Request r = h2({{":method", "POST"},
                                   {":scheme", "https"},
                                   {":authority", "shop.test:8443"},
                                   {":path", "/api/cart?id=1"},
                                   {"content-type", "application/json"},
                                   {"content-length", "42"},
                                   {"te", "trailers"}});
        QCOMPARE(r.head().method, std::string_view("POST"));
        QCOMPARE(r.head().target, std::string_view("/api/cart?id=1"));
        QCOMPARE(r.head().host, std::string_view("shop.test:8443"));
        QCOMPARE(r.scheme(), std::string_view("https"));
        QCOMPARE(r.head().contentLength, std::optional<std::uint64_t>(42));
        QCOMPARE(r.head().fields.size(), std::size_t(3)); // pseudo-headers are not fields
        QCOMPARE(r.head().fields[0].name, std::string_view("content-type"));
        QCOMPARE(r.head().fields[1].known, KnownHeader::ContentLength);
        QCOMPARE(r.head().fields[2].known, KnownHeader::Te);
        QCOMPARE(r.header("content-type"), std::string_view("application/json"));
        QCOMPARE(r.header("accept"), std::string_view());
    }

    // Envoy's codec takes the host header as the authority when :authority is absent.
    void hostHeaderStandsInForAMissingAuthority() {
        const Http2Request r =
            h2({{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {"host", "shop.test"}});
        QCOMPARE(r.head().host, std::string_view("shop.test"));
        const Http2Request both =
            h2({{":method", "GET"}, {":authority", "a.test"}, {":path", "/"}, {"host", "b.test"}});
        QCOMPARE(both.head().host, std::string_view("a.test"));
    }

    // RFC 9113 8.2.3: an HTTP/2 client may split cookies; an HTTP/1.1 upstream gets one header.
    void cookiesAreJoined() {
        const Http2Request r = h2({{":method", "GET"},
                                   {":authority", "shop.test"},
                                   {":path", "/"},
                                   {"cookie", "a=1"},
                                   {"accept", "*/*"},
                                   {"cookie", "b=2"}});
        QCOMPARE(r.head().fields.size(), std::size_t(2));
        QCOMPARE(r.head().fields[0].name, std::string_view("cookie"));
        QCOMPARE(r.head().fields[0].value, std::string_view("a=1; b=2"));
        QCOMPARE(r.head().fields[1].name, std::string_view("accept"));
    }

    void countsTheHeaderListAsSettingsDo() {
        Http2Request r;
        r.add(":method", "GET");
        r.add("x-a", "bc");
        QCOMPARE(r.listSize(), std::size_t(7 + 3 + 32 + 3 + 2 + 32));
        QCOMPARE(r.fieldCount(), std::size_t(1));
    }

    // The h2 request and the same HTTP/1.1 request reach the routing engine identically.
    void routesLikeTheSameHttp1Request() {
        sluice::config::LoadResult loaded;
        sluice::config::loadText("h2.yaml", kConfig, loaded);
        QVERIFY(loaded.diagnostics.empty());
        const auto table = sluice::routing::compile(loaded.resources);

        const Http2Request r = h2({{":method", "POST"},
                                   {":scheme", "http"},
                                   {":authority", "shop.test"},
                                   {":path", "/api/cart"},
                                   {"x-user", "jason"}});
        const sluice::routing::Request viaH2 = toRoutingRequest(r, 80, false);
        Http1RequestParser parser;
        QCOMPARE(
            parser.parseHead("POST /api/cart HTTP/1.1\r\nhost: shop.test\r\nx-user: jason\r\n\r\n").progress,
            Http1RequestParser::Progress::Done);
        const sluice::routing::Request viaH1 = toRoutingRequest(parser.head(), 80, false);
        QCOMPARE(viaH2.method, viaH1.method);
        QCOMPARE(viaH2.target, viaH1.target);
        QCOMPARE(viaH2.authority, viaH1.authority);
        QCOMPARE(viaH2.port, 80u);
        QVERIFY(!viaH2.tls);
        QCOMPARE(viaH2.header("x-user"), std::optional<std::string>("jason"));

        sluice::routing::Rng rng(1);
        const auto d = table->route(viaH2, rng, sluice::routing::Explain::No);
        QCOMPARE(d.outcome, sluice::routing::Outcome::Forward);
        QCOMPARE(d.destination->host, std::string("api-v2.default.svc.cluster.local"));
        const Http2Request get = h2(
            {{":method", "GET"}, {":scheme", "http"}, {":authority", "shop.test"}, {":path", "/api/cart"}});
        QCOMPARE(table->route(toRoutingRequest(get, 80, false), rng, sluice::routing::Explain::No)
                     .destination->host,
                 std::string("api.default.svc.cluster.local"));
        const Http2Request elsewhere =
            h2({{":method", "GET"}, {":scheme", "http"}, {":authority", "shop.test"}, {":path", "/"}});
        QCOMPARE(
            table->route(toRoutingRequest(elsewhere, 80, false), rng, sluice::routing::Explain::No).outcome,
            sluice::routing::Outcome::NoRoute);
        // The connection's TLS reaches the engine (routing by https port and SNI).
        QVERIFY(toRoutingRequest(get, 443, true).tls);
    }
};

QTEST_GUILESS_MAIN(Http2RequestTest)
#include "http2_request_test.moc"
