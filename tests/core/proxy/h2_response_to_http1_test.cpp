// SPDX-License-Identifier: Apache-2.0
#include "proxy/h2_response_to_http1.h"
#include "proxy/response_writers.h"

#include <QTest>

using sluice::proxy::H2ResponseToHttp1;
using sluice::proxy::Http1BodyFraming;
using sluice::proxy::Http2HeaderBlock;
using sluice::proxy::ResponseHead;
using sluice::proxy::ResponseHeadWriter;

Q_DECLARE_METATYPE(Http1BodyFraming)

namespace {

/// A block from "name: value" lines (":status: 200" first).
Http2HeaderBlock block(const QStringList& fields) {
    Http2HeaderBlock b;
    for (const QString& f : fields) {
        const qsizetype colon = f.indexOf(QLatin1String(": "), 1);
        b.add(f.left(colon).toStdString(), f.mid(colon + 2).toStdString());
    }
    return b;
}

} // namespace

class H2ResponseToHttp1Test : public QObject {
    Q_OBJECT

private slots:
    void convertsAsEnvoysHttp1Codec_data() {
        QTest::addColumn<QStringList>("upstream");
        QTest::addColumn<bool>("toHead");
        QTest::addColumn<bool>("endStream");
        QTest::addColumn<int>("clientVersion");
        QTest::addColumn<Http1BodyFraming>("framing");
        QTest::addColumn<QString>("written"); // ResponseHeadWriter's head (keep-alive, no route ops)

        const QStringList grpc{QStringLiteral(":status: 200"),
                               QStringLiteral("content-type: application/grpc")};
        QTest::newRow("no length: chunked for HTTP/1.1")
            << grpc << false << false << 11 << Http1BodyFraming::Chunked
            << QStringLiteral(
                   "HTTP/1.1 200 OK\r\ncontent-type: application/grpc\r\ndate: D\r\nserver: istio-envoy\r\n"
                   "x-envoy-upstream-service-time: 3\r\ntransfer-encoding: chunked\r\n\r\n");
        QTest::newRow("no length: until close for HTTP/1.0")
            << grpc << false << false << 10 << Http1BodyFraming::UntilClose
            << QStringLiteral(
                   "HTTP/1.1 200 OK\r\ncontent-type: application/grpc\r\ndate: D\r\nserver: istio-envoy\r\n"
                   "x-envoy-upstream-service-time: 3\r\nconnection: close\r\n\r\n");
        QTest::newRow("the upstream's length is kept")
            << QStringList{QStringLiteral(":status: 201"), QStringLiteral("content-length: 12"),
                           QStringLiteral("date: Mon, 01 Jan 2026 00:00:00 GMT")}
            << false << false << 10 << Http1BodyFraming::Length
            << QStringLiteral(
                   "HTTP/1.1 201 Created\r\ncontent-length: 12\r\ndate: Mon, 01 Jan 2026 00:00:00 GMT\r\n"
                   "server: istio-envoy\r\nx-envoy-upstream-service-time: 3\r\n\r\n");
        QTest::newRow("ended with its headers: content-length 0")
            << QStringList{QStringLiteral(":status: 404")} << false << true << 11 << Http1BodyFraming::None
            << QStringLiteral(
                   "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\ndate: D\r\nserver: istio-envoy\r\n"
                   "x-envoy-upstream-service-time: 3\r\n\r\n");
        QTest::newRow("HEAD: no content-length 0, no body")
            << QStringList{QStringLiteral(":status: 200")} << true << true << 11 << Http1BodyFraming::None
            << QStringLiteral("HTTP/1.1 200 OK\r\ndate: D\r\nserver: istio-envoy\r\n"
                              "x-envoy-upstream-service-time: 3\r\n\r\n");
        QTest::newRow("HEAD with a length: kept, no body")
            << QStringList{QStringLiteral(":status: 200"), QStringLiteral("content-length: 5000")} << true
            << true << 11 << Http1BodyFraming::None
            << QStringLiteral("HTTP/1.1 200 OK\r\ncontent-length: 5000\r\ndate: D\r\nserver: istio-envoy\r\n"
                              "x-envoy-upstream-service-time: 3\r\n\r\n");
        QTest::newRow("204: no framing at all")
            << QStringList{QStringLiteral(":status: 204")} << false << false << 11 << Http1BodyFraming::None
            << QStringLiteral("HTTP/1.1 204 No Content\r\ndate: D\r\nserver: istio-envoy\r\n"
                              "x-envoy-upstream-service-time: 3\r\n\r\n");
        QTest::newRow("pseudo, connection-specific and Envoy's own fields dropped")
            << QStringList{QStringLiteral(":status: 200"),
                           QStringLiteral("content-length: 2"),
                           QStringLiteral("connection: keep-alive"),
                           QStringLiteral("keep-alive: timeout=5"),
                           QStringLiteral("transfer-encoding: chunked"),
                           QStringLiteral("server: inner"),
                           QStringLiteral("x-envoy-upstream-service-time: 99"),
                           QStringLiteral("x-sluice-workload: web-v1-1")}
            << false << false << 11 << Http1BodyFraming::Length
            << QStringLiteral(
                   "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-sluice-workload: web-v1-1\r\ndate: D\r\n"
                   "server: istio-envoy\r\nx-envoy-upstream-service-time: 3\r\n\r\n");
        QTest::newRow("a malformed length is not passed on: chunked instead")
            << QStringList{QStringLiteral(":status: 200"), QStringLiteral("content-length: 1x")} << false
            << false << 11 << Http1BodyFraming::Chunked
            << QStringLiteral("HTTP/1.1 200 OK\r\ndate: D\r\nserver: istio-envoy\r\n"
                              "x-envoy-upstream-service-time: 3\r\ntransfer-encoding: chunked\r\n\r\n");
    }

    void convertsAsEnvoysHttp1Codec() {
        QFETCH(QStringList, upstream);
        QFETCH(bool, toHead);
        QFETCH(bool, endStream);
        QFETCH(int, clientVersion);
        QFETCH(Http1BodyFraming, framing);
        QFETCH(QString, written);
        const Http2HeaderBlock b = block(upstream);
        ResponseHead head;
        head.fields.push_back({"stale", "field"}); // a reused head starts over
        QCOMPARE(H2ResponseToHttp1::convert(b, {toHead, endStream, clientVersion}, head), framing);
        std::string out;
        ResponseHeadWriter::write(head, {}, 3, true, "D", out);
        QCOMPARE(QString::fromStdString(out), written);
    }

    void routeOperationsApplyToTheConvertedHead() {
        const Http2HeaderBlock b =
            block({QStringLiteral(":status: 503"), QStringLiteral("x-secret: 1"),
                   QStringLiteral("x-version: v1"), QStringLiteral("content-length: 0")});
        ResponseHead head;
        QCOMPARE(H2ResponseToHttp1::convert(b, {}, head), Http1BodyFraming::Length);
        QCOMPARE(head.status, 503);
        QCOMPARE(head.contentLength, std::optional<std::uint64_t>(0));
        sluice::routing::HeaderOperations ops;
        ops.remove = {"x-secret"};
        ops.set = {{"x-version", "rewritten"}};
        std::string out;
        ResponseHeadWriter::write(head, ops, 0, false, "D", out);
        QCOMPARE(
            QString::fromStdString(out),
            QStringLiteral("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nx-version: rewritten\r\n"
                           "date: D\r\nserver: istio-envoy\r\nx-envoy-upstream-service-time: 0\r\n"
                           "connection: close\r\n\r\n"));
    }
};

QTEST_GUILESS_MAIN(H2ResponseToHttp1Test)
#include "h2_response_to_http1_test.moc"
