// SPDX-License-Identifier: Apache-2.0
#include "proxy/http1_request_parser.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QTest>

using sluice::proxy::Http1RequestParser;
using Progress = Http1RequestParser::Progress;

namespace {

std::string field(const Http1RequestParser& p, std::string_view name) {
    for (const auto& f : p.head().fields)
        if (f.name == name)
            return std::string(f.value);
    return "<absent>";
}

/// `head` plus `count` more header lines and the blank line.
QByteArray manyHeaders(const QByteArray& head, int count) {
    QByteArray wire = head;
    for (int i = 0; i < count; ++i)
        wire += "x-h" + QByteArray::number(i) + ": v\r\n";
    wire += "\r\n";
    return wire;
}

/// What a parse of one head says, with the fields as copies (the views die with the wire).
struct Reading {
    Progress progress = Progress::NeedMore;
    std::size_t consumed = 0;
    int status = 0;
    std::string method, target, host;
    int version = 0;
    bool keepAlive = false, upgrade = false, chunked = false, expectContinue = false;
    std::optional<std::uint64_t> contentLength;
    std::vector<std::pair<std::string, std::string>> fields;
    bool operator==(const Reading&) const = default;
};

/// Parses `wire`; with `slow`, first adds a field whose obs-text value only the full parser reads,
/// then takes it out of the reading: the plain-head path and the full parser must agree.
Reading readHead(const std::string& wire, bool slow) {
    std::string input = wire;
    const std::size_t lineEnd = wire.find("\r\n");
    constexpr std::string_view marker = "x-slow: \x80\r\n";
    if (slow && lineEnd != std::string::npos)
        input.insert(lineEnd + 2, marker);
    Http1RequestParser p;
    const auto step = p.parseHead(input);
    Reading r;
    r.progress = step.progress;
    r.status = p.error().status;
    if (step.progress != Progress::Done)
        return r;
    const auto& h = p.head();
    r.consumed = step.consumed - (slow && lineEnd != std::string::npos ? marker.size() : 0);
    r.method = h.method;
    r.target = h.target;
    r.host = h.host;
    r.version = h.version;
    r.keepAlive = h.keepAlive;
    r.upgrade = h.upgrade;
    r.chunked = h.chunked;
    r.expectContinue = h.expectContinue;
    r.contentLength = h.contentLength;
    for (const auto& f : h.fields)
        if (f.name != "x-slow")
            r.fields.emplace_back(f.name, f.value);
    return r;
}
} // namespace

class Http1RequestParserTest : public QObject {
    Q_OBJECT

private slots:
    // The common head is read without Beast's parser (parsePlainHead); every other shape goes to
    // it. Each byte of a few plain requests is replaced, dropped or cut off, and both readings
    // must say the same: progress, status, every view and flag.
    void plainHeadsReadAsTheFullParserReadsThem() {
        const std::string bases[] = {
            "GET /p?q=1 HTTP/1.1\r\nHost: h.example\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
            "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\nuser-agent:  x\ty  \r\n\r\n",
            "HEAD http://a.example:8080/x HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\nGET / "
            "HTTP/1.1\r\n",
            "OPTIONS * HTTP/1.1\r\nhost: h\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n",
        };
        const char replacements[] = {' ', '\t', '\r', '\n', ':', '\0', '\x7f', '\x80', 'A', ',', '"', '/'};
        int compared = 0, plain = 0;
        const auto check = [&](const std::string& wire) {
            const Reading fast = readHead(wire, false);
            const Reading full = readHead(wire, true);
            ++compared;
            plain += fast.progress == Progress::Done ? 1 : 0;
            if (!(fast == full))
                QFAIL(qPrintable(
                    QStringLiteral("readings differ for %1")
                        .arg(QString::fromLatin1(QByteArray::fromStdString(wire).toPercentEncoding()))));
        };
        for (const std::string& base : bases) {
            for (std::size_t i = 0; i <= base.size(); ++i)
                check(base.substr(0, i));
            for (std::size_t i = 0; i < base.size(); ++i) {
                check(base.substr(0, i) + base.substr(i + 1));
                for (const char c : replacements) {
                    std::string wire = base;
                    wire[i] = c;
                    check(wire);
                }
            }
        }
        QVERIFY(compared > 2000);
        QVERIFY(plain > 100); // the comparison covered accepted heads, not only refusals
    }

    void parsesAHeadAsViews() {
        Http1RequestParser p;
        const std::string wire = "GET /productpage?u=1 HTTP/1.1\r\nHost: bookinfo.example.com\r\n"
                                 "end-user: jason\r\nAccept: */*\r\n\r\n";
        const auto step = p.parseHead(wire);
        QCOMPARE(step.progress, Progress::Done);
        QCOMPARE(step.consumed, wire.size());
        QCOMPARE(p.head().method, std::string_view("GET"));
        QCOMPARE(p.head().target, std::string_view("/productpage?u=1"));
        QCOMPARE(p.head().host, std::string_view("bookinfo.example.com"));
        QCOMPARE(p.head().version, 11);
        QCOMPARE(p.head().fields.size(), std::size_t(3));
        QCOMPARE(field(p, "end-user"), std::string("jason"));
        QVERIFY(p.head().keepAlive);
        QVERIFY(!p.head().hasBody());
        // Views, not copies: they point into the caller's buffer.
        QVERIFY(p.head().target.data() >= wire.data() && p.head().target.data() < wire.data() + wire.size());
        QCOMPARE(p.parseBody(std::string_view(wire).substr(step.consumed)).progress, Progress::Done);
    }

    // A connection hands the parser whatever it has read so far; until the blank line arrives
    // nothing is consumed.
    void needsMoreUntilTheHeadIsComplete() {
        Http1RequestParser p;
        const std::string wire = "POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
        for (std::size_t n = 0; n < wire.size() - 5; ++n) {
            const auto step = p.parseHead(std::string_view(wire).substr(0, n));
            QCOMPARE(step.progress, Progress::NeedMore);
            QCOMPARE(step.consumed, std::size_t(0));
        }
        const auto head = p.parseHead(wire);
        QCOMPARE(head.progress, Progress::Done);
        QCOMPARE(p.head().contentLength, std::optional<std::uint64_t>(5));
        // The body arrives in pieces; each piece is measured and consumed, never held.
        std::string_view body = std::string_view(wire).substr(head.consumed);
        auto first = p.parseBody(body.substr(0, 2));
        QCOMPARE(first.progress, Progress::NeedMore);
        QCOMPARE(first.consumed, std::size_t(2));
        auto rest = p.parseBody(body.substr(2));
        QCOMPARE(rest.progress, Progress::Done);
        QCOMPARE(rest.consumed, std::size_t(3));
    }

    // Pipelining: bytes after one message are the next request; reset() reuses the parser.
    void pipelinedRequestsSplitExactly() {
        Http1RequestParser p;
        const std::string wire = "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "5\r\nhello\r\n0\r\nx-checksum: abc\r\n\r\n"
                                 "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
        std::string_view rest = wire;
        auto head = p.parseHead(rest);
        QCOMPARE(head.progress, Progress::Done);
        QVERIFY(p.head().chunked);
        rest.remove_prefix(head.consumed);
        auto body = p.parseBody(rest);
        QCOMPARE(body.progress, Progress::Done);
        QCOMPARE(p.trailers().size(), std::size_t(1));
        QCOMPARE(p.trailers()[0].value, std::string_view("abc"));
        rest.remove_prefix(body.consumed);
        QVERIFY(rest.starts_with("GET /b"));
        p.reset();
        head = p.parseHead(rest);
        QCOMPARE(head.progress, Progress::Done);
        QCOMPARE(p.head().target, std::string_view("/b"));
        QCOMPARE(head.consumed, rest.size());
        QVERIFY(p.trailers().empty());
    }

    void chunkedBodyArrivesByteByByte() {
        Http1RequestParser p;
        const std::string head = "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        QCOMPARE(p.parseHead(head).progress, Progress::Done);
        const std::string body = "3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
        std::string pending;
        std::size_t forwarded = 0;
        Progress last = Progress::NeedMore;
        for (char c : body) {
            pending += c;
            const auto step = p.parseBody(pending);
            QVERIFY(step.progress != Progress::Failed);
            forwarded += step.consumed;
            pending.erase(0, step.consumed);
            last = step.progress;
        }
        QCOMPARE(last, Progress::Done);
        QCOMPARE(forwarded, body.size()); // every raw byte forwarded, none invented or lost
    }

    void flagsForKeepAliveUpgradeAndContinue() {
        Http1RequestParser p;
        QCOMPARE(p.parseHead("GET / HTTP/1.0\r\n\r\n").progress, Progress::Done);
        QVERIFY(!p.head().keepAlive); // HTTP/1.0 closes unless asked
        QCOMPARE(p.head().version, 10);
        p.reset();
        QCOMPARE(
            p.parseHead("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                .progress,
            Progress::Done);
        QVERIFY(p.head().upgrade);
        p.reset();
        QCOMPARE(
            p.parseHead("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 9\r\n\r\n")
                .progress,
            Progress::Done);
        QVERIFY(p.head().expectContinue);
        p.reset();
        QCOMPARE(
            p.parseHead("GET http://other.example.com:8080/p?q HTTP/1.1\r\nHost: ignored\r\n\r\n").progress,
            Progress::Done);
        QCOMPARE(p.head().host, std::string_view("other.example.com:8080"));
    }

    void refusesHostileShapes_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        const QByteArray get = "GET / HTTP/1.1\r\nHost: h\r\n";
        QTest::newRow("CL then TE") << get + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    << 400 << "Content-Length / Transfer-Encoding";
        QTest::newRow("TE then CL") << get + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                                    << 400 << "Content-Length / Transfer-Encoding";
        QTest::newRow("two lengths") << get + "Content-Length: 4\r\nContent-Length: 5\r\n\r\n"
                                     << 400 << "Content-Length";
        QTest::newRow("negative length") << get + "Content-Length: -1\r\n\r\n" << 400 << "Content-Length";
        QTest::newRow("TE twice") << get + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  << 400 << "Transfer-Encoding";
        QTest::newRow("TE gzip only") << get + "Transfer-Encoding: gzip\r\n\r\n" << 400 << "final coding";
        QTest::newRow("TE gzip, chunked") << get + "Transfer-Encoding: gzip, chunked\r\n\r\n"
                                          << 501 << "not implemented";
        QTest::newRow("obs-fold") << get + "X-A: one\r\n two\r\n\r\n" << 400 << "line folding";
        QTest::newRow("space before colon") << get + "X-A : v\r\n\r\n" << 400 << "malformed";
        QTest::newRow("no Host in 1.1")
            << QByteArray("GET / HTTP/1.1\r\nX: y\r\n\r\n") << 400 << "without a Host";
        QTest::newRow("two Hosts") << get + "Host: evil\r\n\r\n" << 400 << "more than one Host";
        QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\nHost: h\r\n\r\n") << 505 << "version";
        QTest::newRow("HTTP/2.0 line") << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << 505 << "version";
        QTest::newRow("not HTTP") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n") << 400
                                  << "malformed";
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: h\n\n") << 400 << "malformed";
        QTest::newRow("NUL in value") << get + QByteArray("X-A: a\0b\r\n\r\n", 13) << 400 << "malformed";
        QTest::newRow("too many headers") << manyHeaders(get, 100) << 431 << "more than 100 request headers";
        QTest::newRow("head over 60 KiB") << get + "X-Big: " + QByteArray(61 * 1024, 'a') + "\r\n\r\n"
                                          << 431 << "larger than 60 KiB";
        QTest::newRow("endless head") << get + "X-Big: " + QByteArray(70 * 1024, 'a') << 431 << "larger than";
    }

    // Smuggling shapes and garbage are refused before routing, with the status a client can act on.
    void refusesHostileShapes() {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        QFETCH(QString, reason);
        Http1RequestParser p;
        const auto step = p.parseHead(std::string_view(wire.constData(), std::size_t(wire.size())));
        QCOMPARE(step.progress, Progress::Failed);
        QCOMPARE(p.error().status, status);
        QVERIFY2(QString::fromStdString(p.error().reason).contains(reason), p.error().reason.c_str());
    }

    // Mutated requests (flipped, dropped and duplicated bytes) never crash, never loop and always
    // end in a verdict once the input stops changing.
    void survivesMutatedInput() {
        const std::string valid = "POST /p?q=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                                  "X-A: b\r\n\r\n4\r\nbody\r\n0\r\n\r\n";
        std::uint64_t seed = 12345;
        const auto next = [&seed] {
            return (seed = seed * 6364136223846793005ull + 1442695040888963407ull) >> 33;
        };
        int failed = 0, done = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string wire = valid;
            for (int edits = 1 + int(next() % 4); edits > 0; --edits) {
                const std::size_t at = next() % wire.size();
                switch (next() % 3) {
                case 0:
                    wire[at] = char(next() % 256);
                    break;
                case 1:
                    wire.erase(at, 1 + next() % 3);
                    break;
                default:
                    wire.insert(at, wire.substr(at, 1 + next() % 8));
                    break;
                }
                if (wire.empty())
                    wire = "x";
            }
            Http1RequestParser p;
            auto step = p.parseHead(wire);
            QVERIFY(step.consumed <= wire.size());
            if (step.progress == Progress::Done) {
                const auto body = p.parseBody(std::string_view(wire).substr(step.consumed));
                QVERIFY(step.consumed + body.consumed <= wire.size());
                step = body;
            }
            failed += step.progress == Progress::Failed;
            done += step.progress == Progress::Done;
            if (step.progress == Progress::Failed)
                QVERIFY(p.error().status >= 400 && p.error().status < 600);
        }
        QVERIFY(failed > 1000); // the mutations do reach the error paths
        QVERIFY(done > 100);
    }

    void refusesABrokenChunkedBody() {
        Http1RequestParser p;
        QCOMPARE(p.parseHead("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n").progress,
                 Progress::Done);
        const auto step = p.parseBody("zz\r\nhello\r\n");
        QCOMPARE(step.progress, Progress::Failed);
        QCOMPARE(p.error().status, 400);
        p.reset();
        QCOMPARE(p.parseHead("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n").progress,
                 Progress::Done);
        QCOMPARE(p.parseBody("ffffffffffffffffff\r\n").progress, Progress::Failed); // chunk size overflow
    }
};

QTEST_GUILESS_MAIN(Http1RequestParserTest)
#include "http1_request_parser_test.moc"
