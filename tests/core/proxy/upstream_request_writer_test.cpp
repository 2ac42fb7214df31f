// SPDX-License-Identifier: Apache-2.0
#include "proxy/upstream_request_writer.h"

#include <string>

#include <QTest>

using sluice::proxy::DownstreamFacts;
using sluice::proxy::Http1RequestParser;
using sluice::proxy::UpstreamRequestWriter;
using sluice::routing::Decision;

namespace {

/// The upstream head for `wire` routed by `decision`, with a loopback client.
std::string upstreamHead(const std::string& wire, const Decision& decision, DownstreamFacts facts = {}) {
    Http1RequestParser parser;
    if (parser.parseHead(wire).progress != Http1RequestParser::Progress::Done)
        qFatal("test request does not parse");
    if (facts.clientAddress.empty())
        facts.clientAddress = "127.0.0.1";
    if (facts.scheme.empty())
        facts.scheme = "http";
    if (facts.requestId.empty())
        facts.requestId = "0f5b3a2e-1111-4222-8333-444455556666";
    std::string out;
    UpstreamRequestWriter::write(parser.head(), decision, facts, out);
    return out;
}

} // namespace

class UpstreamRequestWriterTest : public QObject {
    Q_OBJECT

private slots:
    void rewritesPathAndAuthorityAndAddsEnvoyHeaders() {
        Decision d;
        d.upstreamPath = "/v2/productpage?u=1";
        d.upstreamAuthority = "productpage.default.svc.cluster.local:9080";
        const std::string head = upstreamHead(
            "GET /productpage?u=1 HTTP/1.1\r\nHost: bookinfo.example.com\r\nUser-Agent: curl/7.88\r\n"
            "X-Forwarded-For: 203.0.113.7\r\n\r\n",
            d);
        QCOMPARE(QString::fromStdString(head),
                 QStringLiteral("GET /v2/productpage?u=1 HTTP/1.1\r\n"
                                "host: productpage.default.svc.cluster.local:9080\r\n"
                                "user-agent: curl/7.88\r\n"
                                "x-forwarded-for: 203.0.113.7,127.0.0.1\r\n"
                                "x-forwarded-proto: http\r\n"
                                "x-request-id: 0f5b3a2e-1111-4222-8333-444455556666\r\n"
                                "x-envoy-attempt-count: 1\r\n\r\n"));
    }

    // Connection-level headers are this hop's business; a client cannot smuggle them upstream.
    void dropsHopByHopHeaders() {
        const std::string head =
            upstreamHead("POST /u HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, x-secret\r\n"
                         "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
                         "TE: gzip\r\nUpgrade: h2c\r\nX-Forwarded-Proto: https\r\n"
                         "x-envoy-attempt-count: 9\r\nTransfer-Encoding: chunked\r\n\r\n",
                         Decision{});
        for (const char* gone : {"connection:", "keep-alive:", "proxy-connection:", "te:", "upgrade:",
                                 "x-forwarded-proto: https", "x-envoy-attempt-count: 9"})
            QVERIFY2(head.find(gone) == std::string::npos, gone);
        QVERIFY(head.find("transfer-encoding: chunked\r\n") != std::string::npos); // re-declared by us
        QVERIFY(head.find("x-forwarded-proto: http\r\n") != std::string::npos);
        // TE: trailers is end to end (gRPC needs it); it survives.
        QVERIFY(upstreamHead("GET / HTTP/1.1\r\nHost: h\r\nTE: trailers\r\n\r\n", Decision{})
                    .find("te: trailers\r\n") != std::string::npos);
    }

    void keepsTheUpgradeHandshake() {
        DownstreamFacts facts;
        facts.upgrade = true;
        const std::string head =
            upstreamHead("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
                         Decision{}, facts);
        QVERIFY(head.find("connection: Upgrade\r\n") != std::string::npos);
        QVERIFY(head.find("upgrade: websocket\r\n") != std::string::npos);
    }

    // Route header operations: remove first, then set (replacing) and add (appending).
    void appliesRouteHeaderOperations() {
        Decision d;
        d.requestHeaders.remove = {"x-debug"};
        d.requestHeaders.set = {{"x-canary", "true"}};
        d.requestHeaders.add = {{"x-tag", "b"}};
        const std::string head =
            upstreamHead("GET / HTTP/1.1\r\nHost: h\r\nX-Debug: 1\r\nX-Canary: false\r\nx-tag: a\r\n\r\n", d);
        QVERIFY(head.find("x-debug") == std::string::npos);
        QVERIFY(head.find("x-canary: false") == std::string::npos);
        QVERIFY(head.find("x-canary: true\r\n") != std::string::npos);
        QVERIFY(head.find("x-tag: a\r\n") != std::string::npos);
        QVERIFY(head.find("x-tag: b\r\n") != std::string::npos);
    }

    // A sidecar's outbound side (no client address): x-forwarded-for is passed on, never appended.
    void sidecarDoesNotAppendForwardedFor() {
        Http1RequestParser parser;
        const std::string plain = "GET /ratings/0 HTTP/1.1\r\nHost: ratings:9080\r\n\r\n";
        QVERIFY(parser.parseHead(plain).progress == Http1RequestParser::Progress::Done);
        std::string out;
        UpstreamRequestWriter::write(parser.head(), Decision{}, {{}, "http", "id-1", 1, false}, out);
        QVERIFY2(out.find("x-forwarded-for") == std::string::npos, out.c_str());
        parser.reset();
        const std::string forwarded = "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n";
        QVERIFY(parser.parseHead(forwarded).progress == Http1RequestParser::Progress::Done);
        out.clear();
        UpstreamRequestWriter::write(parser.head(), Decision{}, {{}, "http", "id-1", 1, false}, out);
        QVERIFY2(out.find("x-forwarded-for: 203.0.113.7\r\n") != std::string::npos, out.c_str());
    }

    void announcesTheTighterTimeout() {
        Decision d;
        d.timeout = sluice::model::Duration{5'000'000'000};
        d.retries.perTryTimeout = sluice::model::Duration{2'000'000'000};
        DownstreamFacts facts;
        facts.attempt = 2;
        const std::string head = upstreamHead("GET / HTTP/1.1\r\nHost: h\r\n\r\n", d, facts);
        QVERIFY(head.find("x-envoy-expected-rq-timeout-ms: 2000\r\n") != std::string::npos);
        QVERIFY(head.find("x-envoy-attempt-count: 2\r\n") != std::string::npos);
        QVERIFY(upstreamHead("GET / HTTP/1.1\r\nHost: h\r\n\r\n", Decision{}).find("expected-rq-timeout") ==
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(UpstreamRequestWriterTest)
#include "upstream_request_writer_test.moc"
