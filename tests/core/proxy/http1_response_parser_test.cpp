// SPDX-License-Identifier: Apache-2.0
#include "proxy/http1_response_parser.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QTest>

using sluice::proxy::Http1ResponseParser;
using sluice::proxy::ResponseHead;
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

    // Every chunked body byte is taken, whatever the reads' boundaries: fed one byte at a time the
    // body still ends exactly at its last byte, with its trailers.
    void chunkedBodySplitAnywhere() {
        const std::string body = "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\ngrpc-status: 0\r\n"
                                 "grpc-message: fine \r\n\r\nNEXT";
        for (std::size_t piece = 1; piece <= 7; ++piece) {
            Http1ResponseParser p;
            QCOMPARE(p.parseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").progress,
                     Progress::Done);
            std::size_t at = 0;
            Progress progress = Progress::NeedMore;
            while (progress == Progress::NeedMore && at < body.size()) {
                const auto step = p.parseBody(std::string_view(body).substr(at, piece));
                QVERIFY2(step.progress != Progress::Failed, p.error().c_str());
                progress = step.progress;
                at += step.consumed;
            }
            QCOMPARE(progress, Progress::Done);
            QCOMPARE(at, body.size() - 4); // "NEXT" belongs to whatever follows
            QCOMPARE(p.trailers().size(), std::size_t(2));
            QCOMPARE(p.trailers()[1].name, std::string_view("grpc-message"));
            QCOMPARE(p.trailers()[1].value, std::string_view("fine"));
        }
    }

    void badChunkFramingIsAnError_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("no size") << QByteArray("\r\nhello\r\n");
        QTest::newRow("not hex") << QByteArray("5x\r\nhello\r\n");
        QTest::newRow("data longer than size") << QByteArray("2\r\nhello\r\n");
        QTest::newRow("size overflow") << QByteArray("10000000000000000\r\n");
        QTest::newRow("bare LF after size") << QByteArray("5\nhello\r\n");
        QTest::newRow("bad trailer") << QByteArray("0\r\n: no name\r\n\r\n");
    }

    void badChunkFramingIsAnError() {
        QFETCH(QByteArray, body);
        Http1ResponseParser p;
        QCOMPARE(p.parseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").progress,
                 Progress::Done);
        QCOMPARE(p.parseBody(std::string_view(body.constData(), std::size_t(body.size()))).progress,
                 Progress::Failed);
        QVERIFY(!p.error().empty());
    }

    // Keep-alive as RFC 9112 says: HTTP/1.1 unless "close", HTTP/1.0 only with "keep-alive", never
    // for a body that ends at close. A second Content-Length with the same value is harmless.
    void keepAliveAndLengths_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<bool>("closeDelimited");
        QTest::newRow("1.1") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n") << true << false;
        QTest::newRow("1.1 close") << QByteArray(
                                          "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 2\r\n\r\n")
                                   << false << false;
        QTest::newRow("1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n") << false << false;
        QTest::newRow("1.0 keep-alive")
            << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n") << true
            << false;
        QTest::newRow("no length") << QByteArray("HTTP/1.1 200 OK\r\n\r\n") << false << true;
        QTest::newRow("gzip only") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")
                                   << false << true;
        QTest::newRow("same length twice")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\n") << true
            << false;
        QTest::newRow("no reason") << QByteArray("HTTP/1.1 204\r\n\r\n") << true << false;
    }

    void keepAliveAndLengths() {
        QFETCH(QByteArray, wire);
        QFETCH(bool, keepAlive);
        QFETCH(bool, closeDelimited);
        Http1ResponseParser p;
        const auto step = p.parseHead(std::string_view(wire.constData(), std::size_t(wire.size())));
        QCOMPARE(step.progress, Progress::Done);
        QCOMPARE(step.consumed, std::size_t(wire.size()));
        QCOMPARE(p.head().keepAlive, keepAlive);
        QCOMPARE(p.head().closeDelimited, closeDelimited);
    }

    // Interim answers are taken off the front of the buffer, whatever follows them: the final
    // head is read where they were, and 101 (an upgrade's answer) is final.
    void interimAnswersGiveWayToTheFinalHead() {
        const std::string finalHead = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
        std::string wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" +
                           finalHead + "ok";
        std::size_t used = wire.size();
        Http1ResponseParser p;
        auto step = p.parseFinalHead(wire.data(), used);
        QCOMPARE(step.progress, Progress::Done);
        QCOMPARE(p.head().status, 200);
        QCOMPARE(step.consumed, finalHead.size());
        QCOMPARE(std::string_view(wire.data(), used), std::string_view(finalHead + "ok"));

        std::string partial = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 20";
        used = partial.size();
        Http1ResponseParser q;
        QCOMPARE(q.parseFinalHead(partial.data(), used).progress, Progress::NeedMore);
        QCOMPARE(std::string_view(partial.data(), used), std::string_view("HTTP/1.1 20"));

        std::string upgrade = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        used = upgrade.size();
        Http1ResponseParser r;
        QCOMPARE(r.parseFinalHead(upgrade.data(), used).progress, Progress::Done);
        QCOMPARE(r.head().status, 101);
        QCOMPARE(used, upgrade.size());
    }

    // A head read as it arrives, cut at any byte: every part short of its blank line asks for more;
    // the whole gives each field as sent (optional whitespace around a value dropped, tabs and
    // obs-text inside it kept), names and values of any length across the scanner's 8-byte steps.
    void headCutAnywhereAsksForMoreThenReadsEveryField() {
        const std::string wire = "HTTP/1.1 200 Fine by me\r\n"
                                 "Server: nginx/1.22.1\r\n"
                                 "X-Tabbed:\t one\ttwo \t\r\n"
                                 "X-Obs-Text: caf\xc3\xa9 cr\xe8me\r\n"
                                 "X-Empty:\r\n"
                                 "X-A-Rather-Long-Field-Name-Indeed: 0123456789abcdefghij\r\n"
                                 "Content-Length: 2\r\n"
                                 "\r\n"
                                 "ok";
        const std::size_t headSize = wire.size() - 2;
        for (std::size_t cut = 0; cut < headSize; ++cut) {
            Http1ResponseParser p;
            const auto step = p.parseHead(std::string_view(wire).substr(0, cut));
            QVERIFY2(step.progress == Progress::NeedMore, std::to_string(cut).c_str());
            QCOMPARE(step.consumed, std::size_t(0));
        }
        Http1ResponseParser p;
        const auto step = p.parseHead(wire);
        QCOMPARE(step.progress, Progress::Done);
        QCOMPARE(step.consumed, headSize);
        const ResponseHead& h = p.head();
        QCOMPARE(h.status, 200);
        QCOMPARE(h.reason, std::string_view("Fine by me"));
        const std::vector<std::pair<std::string_view, std::string_view>> expected = {
            {"Server", "nginx/1.22.1"},
            {"X-Tabbed", "one\ttwo"},
            {"X-Obs-Text", "caf\xc3\xa9 cr\xe8me"},
            {"X-Empty", ""},
            {"X-A-Rather-Long-Field-Name-Indeed", "0123456789abcdefghij"},
            {"Content-Length", "2"},
        };
        QCOMPARE(h.fields.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(h.fields[i].name, expected[i].first);
            QCOMPARE(h.fields[i].value, expected[i].second);
        }
        QCOMPARE(h.contentLength, std::optional<std::uint64_t>(2));
    }

    // Hostile bytes in any order, cut anywhere: an answer (Done, NeedMore or Failed with a reason),
    // never a crash, and never more bytes taken than given.
    void mutatedResponsesNeverCrash() {
        const std::string valid = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n"
                                  "4\r\nwxyz\r\n0\r\nT: v\r\n\r\n";
        std::uint64_t seed = 0x5EED;
        const auto next = [&seed] {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            return static_cast<std::size_t>(seed >> 33);
        };
        for (int round = 0; round < 20000; ++round) {
            std::string wire = valid;
            for (std::size_t m = next() % 4 + 1; m > 0; --m)
                wire[next() % wire.size()] = static_cast<char>(next() % 256);
            Http1ResponseParser p;
            const auto head = p.parseHead(wire);
            QVERIFY(head.consumed <= wire.size());
            if (head.progress == Progress::Failed)
                QVERIFY(!p.error().empty());
            if (head.progress != Progress::Done)
                continue;
            std::size_t at = head.consumed;
            const std::size_t piece = next() % 7 + 1;
            for (;;) {
                const auto step = p.parseBody(std::string_view(wire).substr(at, piece));
                QVERIFY(step.consumed <= piece);
                at += step.consumed;
                if (step.progress != Progress::NeedMore || step.consumed == 0 || at >= wire.size())
                    break;
            }
        }
    }

    void malformedUpstreamsAreErrors_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        QTest::newRow("bad status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n");
        QTest::newRow("CL and TE") << QByteArray(
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
        QTest::newRow("huge head") << "HTTP/1.1 200 OK\r\nX: " + QByteArray(70 * 1024, 'x') + "\r\n\r\n";
        QTest::newRow("bare LF") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 0\n\n");
        QTest::newRow("bare LF mid-head") << QByteArray("HTTP/1.1 200 OK\r\nA: b\nC: d\r\n\r\n");
        QTest::newRow("obs-fold") << QByteArray("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\n\r\n");
        QTest::newRow("space before colon") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n");
        QTest::newRow("conflicting lengths")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        QTest::newRow("length list") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n");
        QTest::newRow("negative length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        QTest::newRow("coding after chunked")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n");
        QTest::newRow("NUL in value") << QByteArray("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 27);
        QTest::newRow("CR inside a value") << QByteArray("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n");
        QTest::newRow("DEL in a value") << QByteArray("HTTP/1.1 200 OK\r\nX: abcdefgh\x7fijk\r\n\r\n");
        QTest::newRow("control byte in the reason") << QByteArray("HTTP/1.1 200 O\x01K\r\n\r\n");
        QTest::newRow("line without a colon") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length\r\n\r\n");
        QTest::newRow("CR CR for the blank line") << QByteArray("HTTP/1.1 200 OK\r\nA: b\r\n\r\r\n");
        QTest::newRow("bare LF after a name") << QByteArray("HTTP/1.1 200 OK\r\nA\nB: c\r\n\r\n");
        QTest::newRow("HTTP/2.0") << QByteArray("HTTP/2.0 200 OK\r\n\r\n");
        QTest::newRow("status 099") << QByteArray("HTTP/1.1 099 OK\r\n\r\n");
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
