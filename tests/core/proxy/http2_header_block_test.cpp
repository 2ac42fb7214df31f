// SPDX-License-Identifier: Apache-2.0
#include "proxy/http1_response_parser.h"
#include "proxy/http2_header_block.h"

#include <QTest>

using sluice::proxy::Http1ResponseParser;
using sluice::proxy::Http2HeaderBlock;

namespace {

/// "name: value" lines of a block, for comparisons.
QStringList lines(const Http2HeaderBlock& b) {
    QStringList out;
    for (std::size_t i = 0; i < b.size(); ++i)
        out << QString::fromStdString(std::string(b.name(i)) + ": " + std::string(b.value(i)));
    return out;
}

} // namespace

class Http2HeaderBlockTest : public QObject {
    Q_OBJECT

private slots:
    // What HTTP/2 forbids is dropped, names are lowercased, Envoy's own headers are added.
    void upstreamResponseAsEnvoySendsIt() {
        Http1ResponseParser parser;
        const std::string wire =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\n"
            "Keep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\nServer: gunicorn\r\n"
            "X-Secret: 1\r\nX-Version: v1\r\nDate: Mon, 01 Jan 2026 00:00:00 GMT\r\n\r\n";
        QCOMPARE(parser.parseHead(wire).progress, Http1ResponseParser::Progress::Done);
        sluice::routing::HeaderOperations ops;
        ops.remove = {"x-secret"};
        ops.set = {{"x-version", "rewritten"}};
        ops.add = {{"x-served-by", "sluice"}};
        const Http2HeaderBlock b = Http2HeaderBlock::upstreamResponse(parser.head(), ops, 7, "today");
        QCOMPARE(lines(b),
                 QStringList({QStringLiteral(":status: 200"), QStringLiteral("content-type: text/plain"),
                              QStringLiteral("date: Mon, 01 Jan 2026 00:00:00 GMT"),
                              QStringLiteral("x-version: rewritten"), QStringLiteral("x-served-by: sluice"),
                              QStringLiteral("server: istio-envoy"),
                              QStringLiteral("x-envoy-upstream-service-time: 7")}));
    }

    void localReplyCarriesTheBodyLength() {
        sluice::routing::HeaderOperations ops;
        ops.add = {{"X-Route", "r1"}};
        const Http2HeaderBlock b = Http2HeaderBlock::localReply(503, 19, &ops, {}, "today");
        QCOMPARE(lines(b),
                 QStringList({QStringLiteral(":status: 503"), QStringLiteral("content-type: text/plain"),
                              QStringLiteral("x-route: r1"), QStringLiteral("content-length: 19"),
                              QStringLiteral("date: today"), QStringLiteral("server: istio-envoy")}));
        const Http2HeaderBlock redirect =
            Http2HeaderBlock::localReply(301, 0, nullptr, "http://h/new", "today");
        QCOMPARE(redirect.find("location"), std::string_view("http://h/new"));
        QCOMPARE(redirect.find("content-type"), std::string_view());
    }

    // Envoy's sendLocalReply for a gRPC request: trailers-only, HTTP 200, the status in grpc-status.
    void grpcLocalReplyIsTrailersOnly() {
        const Http2HeaderBlock b =
            Http2HeaderBlock::grpcLocalReply(14, "no healthy upstream\n", nullptr, {}, "today");
        QCOMPARE(lines(b),
                 QStringList(
                     {QStringLiteral(":status: 200"), QStringLiteral("content-type: application/grpc"),
                      QStringLiteral("grpc-status: 14"), QStringLiteral("grpc-message: no healthy upstream"),
                      QStringLiteral("date: today"), QStringLiteral("server: istio-envoy")}));
        const Http2HeaderBlock noMessage = Http2HeaderBlock::grpcLocalReply(12, {}, nullptr, {}, "today");
        QCOMPARE(noMessage.find("grpc-message"), std::string_view());
        QCOMPARE(noMessage.find("grpc-status"), std::string_view("12"));
    }

    // An HTTP/2 upstream gets the headers the HTTP/1.1 writer would send, as pseudo-headers first.
    void requestForAnHttp2Upstream() {
        const Http2HeaderBlock b = Http2HeaderBlock::fromHttp1Request(
            "POST /api/Say?x=1 HTTP/1.1\r\nhost: api.shop:9000\r\ncontent-type: application/grpc\r\n"
            "te: trailers\r\ntransfer-encoding: chunked\r\nx-request-id: r1\r\n\r\n",
            "http");
        QCOMPARE(lines(b), QStringList({QStringLiteral(":method: POST"), QStringLiteral(":scheme: http"),
                                        QStringLiteral(":authority: api.shop:9000"),
                                        QStringLiteral(":path: /api/Say?x=1"),
                                        QStringLiteral("content-type: application/grpc"),
                                        QStringLiteral("te: trailers"), QStringLiteral("x-request-id: r1")}));
    }

    // An HTTP/2 upstream's HEADERS: :status kept, what this hop sets itself replaced.
    void responseFromAnHttp2Upstream() {
        Http2HeaderBlock upstream;
        upstream.add(":status", "200");
        upstream.add("content-type", "application/grpc");
        upstream.add("x-envoy-upstream-service-time", "3");
        upstream.add("server", "inner");
        upstream.add("grpc-status", "0");
        const Http2HeaderBlock b = Http2HeaderBlock::upstreamResponse(upstream, {}, 9, "today");
        QCOMPARE(lines(b), QStringList({QStringLiteral(":status: 200"),
                                        QStringLiteral("content-type: application/grpc"),
                                        QStringLiteral("grpc-status: 0"), QStringLiteral("date: today"),
                                        QStringLiteral("server: istio-envoy"),
                                        QStringLiteral("x-envoy-upstream-service-time: 9")}));
    }

    void trailersDropConnectionHeaders() {
        const std::vector<sluice::proxy::HeaderField> fields{{"Grpc-Status", "0"}, {"Connection", "close"}};
        QCOMPARE(lines(Http2HeaderBlock::trailers(fields)), QStringList({QStringLiteral("grpc-status: 0")}));
    }

    // The CORS filter's header lines become fields (lowercased, the value's leading space gone).
    void headerLinesAreAdded_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("none") << QString() << QStringList();
        QTest::newRow("two lines")
            << QStringLiteral(
                   "Access-Control-Allow-Origin: https://app.test\r\naccess-control-max-age: 60\r\n")
            << QStringList({QStringLiteral("access-control-allow-origin: https://app.test"),
                            QStringLiteral("access-control-max-age: 60")});
        QTest::newRow("last line unterminated, junk skipped")
            << QStringLiteral("no colon\r\n: empty name\r\nx-a:1") << QStringList({QStringLiteral("x-a: 1")});
    }

    void headerLinesAreAdded() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        Http2HeaderBlock b;
        b.add(":status", "200");
        b.addLines(text.toStdString());
        QCOMPARE(lines(b), QStringList({QStringLiteral(":status: 200")}) + expected);
    }
};

QTEST_GUILESS_MAIN(Http2HeaderBlockTest)
#include "http2_header_block_test.moc"
