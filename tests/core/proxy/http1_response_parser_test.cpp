// SPDX-License-Identifier: Apache-2.0
#include "proxy/http1_response_parser.h"

#include <string>

#include <QTest>

using sluice::proxy::Http1ResponseParser;
using Progress = Http1ResponseParser::Progress;

class Http1ResponseParserTest : public QObject {
    Q_OBJECT

private slots:
    void sizedResponseThenTheNextOne() {
        Http1ResponseParser p;
        const std::string wire =
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nx-sluice-workload: reviews-v2-1\r\n\r\n"
            "hello"
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
        auto head = p.parseHead(wire);
        QCOMPARE(head.progress, Progress::Done);
        QCOMPARE(p.head().status, 200);
        QCOMPARE(p.head().reason, std::string_view("OK"));
        QCOMPARE(p.head().fields.size(), std::size_t(2));
        QVERIFY(p.head().keepAlive);
        QVERIFY(!p.head().closeDelimited);
        std::string_view rest = std::string_view(wire).substr(head.consumed);
        const auto body = p.parseBody(rest);
        QCOMPARE(body.progress, Progress::Done);
        QCOMPARE(body.consumed, std::size_t(5));
        rest.remove_prefix(body.consumed);
        p.reset();
        head = p.parseHead(rest);
        QCOMPARE(head.progress, Progress::Done);
        QCOMPARE(p.head().status, 503);
        QCOMPARE(p.parseBody(rest.substr(head.consumed)).progress, Progress::Done);
    }

    // Responses that have no body whatever their headers say: to HEAD, 1xx, 204, 304.
    void bodylessResponses_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("toHead");
        QTest::newRow("HEAD with Content-Length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n") << true;
        QTest::newRow("100 Continue") << QByteArray("HTTP/1.1 100 Continue\r\n\r\n") << false;
        QTest::newRow("204") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false;
        QTest::newRow("304 with length")
            << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n") << false;
    }

    void bodylessResponses() {
        QFETCH(QByteArray, wire);
        QFETCH(bool, toHead);
        Http1ResponseParser p;
        p.expect(toHead);
        p.reset();
        const std::string_view data(wire.constData(), std::size_t(wire.size()));
        const auto head = p.parseHead(data);
        QCOMPARE(head.progress, Progress::Done);
        QCOMPARE(head.consumed, data.size());
        const auto body = p.parseBody({});
        QCOMPARE(body.progress, Progress::Done);
        QCOMPARE(body.consumed, std::size_t(0));
        QVERIFY(!p.head().closeDelimited);
    }

    // No length and not chunked: the body runs until the upstream closes.
    void closeDelimitedBodyEndsAtEof() {
        Http1ResponseParser p;
        QCOMPARE(p.parseHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n").progress, Progress::Done);
        QVERIFY(p.head().closeDelimited);
        QVERIFY(!p.head().keepAlive);
        const auto body = p.parseBody("some bytes");
        QCOMPARE(body.progress, Progress::NeedMore);
        QCOMPARE(body.consumed, std::size_t(10));
        QCOMPARE(p.finishAtEof(), Progress::Done);
    }

    void truncatedBodyAtEofIsAFailure() {
        Http1ResponseParser p;
        QCOMPARE(p.parseHead("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n").progress, Progress::Done);
        QCOMPARE(p.parseBody("12345").progress, Progress::NeedMore);
        QCOMPARE(p.finishAtEof(), Progress::Failed);
        QVERIFY(!p.error().empty());
    }

    void chunkedWithTrailers() {
        Http1ResponseParser p;
        QCOMPARE(p.parseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: grpc-status\r\n\r\n")
                     .progress,
                 Progress::Done);
        const std::string body = "2\r\nok\r\n0\r\ngrpc-status: 0\r\n\r\n";
        const auto step = p.parseBody(body);
        QCOMPARE(step.progress, Progress::Done);
        QCOMPARE(step.consumed, body.size());
        QCOMPARE(p.trailers().size(), std::size_t(1));
        QCOMPARE(p.trailers()[0].name, std::string_view("grpc-status"));
    }

    void malformedUpstreamsAreErrors_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        QTest::newRow("bad status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n");
        QTest::newRow("CL and TE") << QByteArray(
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
        QTest::newRow("huge head") << "HTTP/1.1 200 OK\r\nX: " + QByteArray(70 * 1024, 'x') + "\r\n\r\n";
    }

    void malformedUpstreamsAreErrors() {
        QFETCH(QByteArray, wire);
        Http1ResponseParser p;
        QCOMPARE(p.parseHead(std::string_view(wire.constData(), std::size_t(wire.size()))).progress,
                 Progress::Failed);
        QVERIFY(!p.error().empty());
    }
};

QTEST_GUILESS_MAIN(Http1ResponseParserTest)
#include "http1_response_parser_test.moc"
