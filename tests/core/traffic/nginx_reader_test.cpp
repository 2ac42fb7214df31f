// SPDX-License-Identifier: Apache-2.0
// nginx combined/common lines, syslog-prefixed lines, escapes, and hostile lines: each bad line
// skipped with its number, column and reason, huge lines skipped with their length.
#include "recording_test_support.h"
#include "traffic/nginx_reader.h"
#include "traffic/recording_reader.h"

#include <QTest>

using namespace sluice::traffic;
using sluice::test::describe;
using std::chrono::microseconds;

namespace {

ReadResult nginx(std::string_view text) {
    return readRecordingText(text, "access.log", RecordingFormat::Nginx);
}

const std::string kCombined =
    "203.0.113.7 - alice [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?x=1 HTTP/1.0\" "
    "200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
const std::string kCommon = "127.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"POST /form HTTP/1.1\" 302 -";

} // namespace

class NginxReaderTest : public QObject {
    Q_OBJECT

private slots:
    void readsCombined() {
        const LineOutcome out = NginxReader::parseLine(kCombined);
        QCOMPARE(out.kind, LineOutcome::Kind::Request);
        const RecordedRequest& r = out.request;
        QCOMPARE(r.method, std::string("GET"));
        QCOMPARE(r.path, std::string("/apache_pb.gif?x=1"));
        QCOMPARE(r.protocol, std::string("HTTP/1.0"));
        QCOMPARE(r.authority, std::string());
        QCOMPARE(r.status, std::optional<int>(200));
        const HeaderList headers{{"referer", "http://www.example.com/start.html"},
                                 {"user-agent", "Mozilla/4.08 [en] (Win98; I ;Nav)"}};
        QCOMPARE(r.headers, headers);
        // 13:55:36 -0700 is 20:55:36 UTC.
        QCOMPARE(out.stamp, std::optional<microseconds>(std::chrono::seconds(971211336)));
        QCOMPARE(out.detail, std::string_view("nginx combined"));
    }

    void readsCommonAndKeepsOrder() {
        const ReadResult result = nginx(kCombined + "\n" + kCommon + "\n");
        QVERIFY2(result.ok(), describe(result).constData());
        const auto& requests = result.recording().requests;
        QCOMPARE(requests.size(), std::size_t(2));
        QCOMPARE(requests[1].method, std::string("POST"));
        QCOMPARE(requests[1].status, std::optional<int>(302));
        QVERIFY(requests[1].headers.empty());
        QCOMPARE(requests[1].offset, microseconds(std::chrono::seconds(1)));
        QCOMPARE(result.recording().detail, std::string("nginx combined"));
    }

    // nginx escapes '"' and bytes outside printable ASCII as \xHH; Apache writes \".
    void decodesEscapes() {
        const LineOutcome out = NginxReader::parseLine("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET "
                                                       "/caf\\xC3\\xA9?q=\\x22a\\x22 HTTP/1.1\" 200 5 \"-\" "
                                                       "\"say \\\"hi\\\" \\\\ ok\"");
        QCOMPARE(out.kind, LineOutcome::Kind::Request);
        QCOMPARE(out.request.path, std::string("/caf\xC3\xA9?q=\"a\""));
        QCOMPARE(*out.request.header("user-agent"), std::string("say \"hi\" \\ ok"));
        QVERIFY(!out.request.header("referer"));
    }

    // A proxy's absolute-form target gives scheme and authority.
    void absoluteFormTarget() {
        const LineOutcome out = NginxReader::parseLine("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET "
                                                       "http://shop.example.com:8080/cart HTTP/1.1\" 200 5");
        QCOMPARE(out.kind, LineOutcome::Kind::Request);
        QCOMPARE(out.request.scheme, std::string("http"));
        QCOMPARE(out.request.authority, std::string("shop.example.com:8080"));
        QCOMPARE(out.request.path, std::string("/cart"));
        QCOMPARE(out.detail, std::string_view("nginx common"));
    }

    // nginx's `access_log syslog:` lines, as a syslog server stores them (with or without <PRI>).
    void syslogPrefixIsRemoved() {
        const std::string entry =
            "1.2.3.4 - - [24/Mar/2024:14:02:50 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" \"curl\"";
        const ReadResult result =
            nginx("Mar 24 14:02:50 web1 nginx: " + entry + "\n<190>Mar  4 14:02:51 web1 nginx: " + entry +
                  "\nMar 24 14:02:52 web1 kernel: eth0 link up\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(2));
        QCOMPARE(result.recording().requests[1].source.line, std::size_t(2));
        QCOMPARE(result.recording().requests[0].path, std::string("/x"));
        QCOMPARE(result.recording().skipped.at(0).line, std::size_t(3));
        QVERIFY(
            result.recording().skipped[0].reason.starts_with("syslog message is not an access log entry"));
    }

    // Well-formed entries without a request: counted skips that say why.
    void entriesWithoutARequest_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("dash") << QByteArray("-")
                              << QByteArray("no request line was recorded (\"-\") (status 400)");
        QTest::newRow("tls bytes") << QByteArray("\\x16\\x03\\x01\\x00\\xA5\\x01\\x00")
                                   << QByteArray("is not an HTTP request line");
        QTest::newRow("no target") << QByteArray("GET") << QByteArray("is not an HTTP request line");
        QTest::newRow("space in target")
            << QByteArray("GET /a b HTTP/1.1") << QByteArray("is not an HTTP request line");
        QTest::newRow("not http") << QByteArray("GET / SSH-2.0") << QByteArray("has no HTTP/ version");
        QTest::newRow("odd target")
            << QByteArray("CONNECT example.com:443 HTTP/1.1")
            << QByteArray("request target \"example.com:443\" is neither a path nor an http(s) URL");
    }
    void entriesWithoutARequest() {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, reason);
        const std::string line =
            "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"" + request.toStdString() + "\" 400 0";
        const LineOutcome out = NginxReader::parseLine(line);
        QCOMPARE(out.kind, LineOutcome::Kind::NotARequest);
        QVERIFY2(out.reason.find(reason.toStdString()) != std::string::npos, out.reason.c_str());
        QCOMPARE(out.column, std::size_t(42));
    }

    // HTTP/0.9 ("GET /") and OPTIONS * are requests.
    void oddButValidRequests() {
        const LineOutcome simple =
            NginxReader::parseLine("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET /\" 200 5");
        QCOMPARE(simple.kind, LineOutcome::Kind::Request);
        QCOMPARE(simple.request.protocol, std::string());
        const LineOutcome star =
            NginxReader::parseLine("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"OPTIONS * HTTP/1.1\" 200 0");
        QCOMPARE(star.kind, LineOutcome::Kind::Request);
        QCOMPARE(star.request.path, std::string("*"));
    }

    void malformedLines_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<int>("column");
        QTest::newRow("no ident") << QByteArray(
                                         "1.2.3.4 [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5")
                                  << QByteArray("missing the ident and user fields") << 9;
        QTest::newRow("bad time") << QByteArray("1.2.3.4 - - [2024-01-01 00:00:00] \"GET / HTTP/1.1\" 200 5")
                                  << QByteArray("[2024-01-01 00:00:00] is not a time like") << 13;
        QTest::newRow("month") << QByteArray(
                                      "1.2.3.4 - - [01/Foo/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5")
                               << QByteArray("is not a time like") << 13;
        QTest::newRow("no zone") << QByteArray("1.2.3.4 - - [01/Jan/2024:00:00:00] \"GET / HTTP/1.1\" 200 5")
                                 << QByteArray("is not a time like") << 13;
        QTest::newRow("unquoted request")
            << QByteArray("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] GET / 200 5")
            << QByteArray("expected \"$request\"") << 42;
        QTest::newRow("unterminated request")
            << QByteArray("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / 200 5")
            << QByteArray("expected \"$request\"") << 42;
        QTest::newRow("status word")
            << QByteArray("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" OK 5")
            << QByteArray("expected the status code") << 59;
        QTest::newRow("status 4 digits")
            << QByteArray("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 2000 5")
            << QByteArray("expected the status code") << 59;
        QTest::newRow("no bytes") << QByteArray(
                                         "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200")
                                  << QByteArray("expected $body_bytes_sent") << 62;
        QTest::newRow("referer unquoted")
            << QByteArray("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5 http://x")
            << QByteArray("expected \"$http_referer\"") << 65;
        QTest::newRow("no user agent")
            << QByteArray("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\"")
            << QByteArray("expected \"$http_user_agent\"") << 68;
        QTest::newRow("one word") << QByteArray("hello") << QByteArray("expected \"$remote_addr") << 6;
        QTest::newRow("syslog without tag")
            << QByteArray("Mar 24 14:26:01 --- last message repeated 2 times ---")
            << QByteArray("syslog line without a \"tag:\"") << 17;
        QTest::newRow("binary") << QByteArray("\x89PNG\r\x1a\x00\x00\x00\rIHDR", 13) << QByteArray("expected")
                                << 0;
        QTest::newRow("json") << QByteArray("{\"method\":\"GET\"}") << QByteArray("expected") << 17;
    }
    void malformedLines() {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, reason);
        QFETCH(int, column);
        const ReadResult result = nginx(kCommon + "\n" + line.toStdString() + "\n" + kCommon + "\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(2));
        QCOMPARE(result.recording().requests[1].source.line, std::size_t(3));
        QCOMPARE(result.recording().skippedCount, std::size_t(1));
        const SkippedLine& skip = result.recording().skipped[0];
        QCOMPARE(skip.line, std::size_t(2));
        QVERIFY2(skip.reason.find(reason.toStdString()) != std::string::npos, skip.reason.c_str());
        if (column > 0)
            QCOMPARE(int(skip.column), column);
    }

    // A 2 MiB line between good ones: skipped with its length; the lines around keep their numbers.
    void hugeLineIsSkippedWithItsLength() {
        const std::string huge = "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET /" +
                                 std::string(2 << 20, 'a') + " HTTP/1.1\" 200 5";
        const ReadResult result = nginx(kCombined + "\r\n" + huge + "\r\n" + kCommon + "\r\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(2));
        QCOMPARE(result.recording().requests[1].source.line, std::size_t(3));
        QCOMPARE(result.recording().skipped.at(0).line, std::size_t(2));
        QCOMPARE(result.recording().skipped[0].reason,
                 "line is " + std::to_string(huge.size()) + " bytes long, over the 1 MiB line limit");
    }

    // Thousands of bad lines: all counted, the first 10,000 listed; a whole file of them is an error.
    void manyBadLinesAreCountedAndCapped() {
        std::string text;
        for (int i = 0; i < 10050; ++i)
            text += "garbage line\n";
        const ReadResult bad = nginx(text);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().skippedCount, std::size_t(10050));
        QCOMPARE(bad.error().skipped.size(), ReadLimits::kMaxListedSkips);
        QCOMPARE(bad.error().skipped.back().line, ReadLimits::kMaxListedSkips);
        const ReadResult mixed = nginx(text + kCommon + "\n");
        QVERIFY(mixed.ok());
        QCOMPARE(mixed.recording().requests.at(0).source.line, std::size_t(10051));
        QCOMPARE(mixed.recording().skippedCount, std::size_t(10050));
    }
};

QTEST_GUILESS_MAIN(NginxReaderTest)
#include "nginx_reader_test.moc"
