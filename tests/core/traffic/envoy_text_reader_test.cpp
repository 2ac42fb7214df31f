// SPDX-License-Identifier: Apache-2.0
// Envoy's default text access log, Istio's variants, and Sluice's own proxy's lines read back.
#include "proxy/access_log.h"
#include "recording_test_support.h"
#include "traffic/envoy_text_reader.h"
#include "traffic/recording_reader.h"

#include <QTest>

using namespace sluice::traffic;
using sluice::test::describe;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

ReadResult envoy(std::string_view text) {
    return readRecordingText(text, "access.log", RecordingFormat::EnvoyText);
}

// Envoy's documentation example of its default format.
const std::string kEnvoyDocs =
    "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100 "
    "\"10.0.35.28\" \"nsq2http\" \"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" "
    "\"tcp://10.0.2.1:80\"";

// Istio 1.9+ (EnvoyTextLogFormat in pilot/pkg/model/telemetry_logging.go): a gateway's 503.
const std::string kIstioNoHealthy =
    "[2024-03-01T08:00:00.000Z] \"GET /reviews/0 HTTP/1.1\" 503 UH no_healthy_upstream - \"-\" 0 19 0 - "
    "\"10.1.0.4\" \"Mozilla/5.0 (X11; Linux x86_64)\" \"4f7c\" \"bookinfo.example.com\" \"-\" "
    "outbound|9080|v2|reviews.default.svc.cluster.local - 10.1.0.9:8080 10.1.0.4:52000 - reviews-v2";

// Istio 1.5-1.8: "%DYNAMIC_METADATA(istio.mixer:status)%" and the failure reason quoted after the flags.
const std::string kIstioOld =
    "[2020-05-01T10:00:00.000Z] \"GET /status/418 HTTP/1.1\" 418 - \"-\" \"-\" 0 135 3 1 \"-\" "
    "\"curl/7.64.0\" \"abc\" \"httpbin:8000\" \"127.0.0.1:80\" "
    "inbound|8000|http|httpbin.default.svc.cluster.local "
    "127.0.0.1:41854 10.44.1.27:80 10.44.1.23:37652 - default";

// A TCP proxy entry in Istio's format: no HTTP request.
const std::string kIstioTcp =
    "[2024-03-01T08:00:01.000Z] \"- - -\" 0 - - - \"-\" 1543 2341 5007 - \"-\" \"-\" \"-\" \"-\" "
    "\"10.1.0.12:9000\" outbound|9000||tcp-echo.default.svc.cluster.local 10.1.0.9:40000 10.1.0.9:31400 "
    "10.1.0.4:52100 - -";

sluice::proxy::RequestRecord record(std::string method, std::string path, int status, std::string flags) {
    sluice::proxy::RequestRecord r;
    r.start = std::chrono::system_clock::time_point(milliseconds(1764142208123));
    r.method = std::move(method);
    r.path = std::move(path);
    r.status = status;
    r.flags = std::move(flags);
    r.durationMillis = 7;
    r.userAgent = "curl/7.88.1";
    r.requestId = "rid";
    r.authority = "bookinfo.example.com";
    return r;
}

} // namespace

class EnvoyTextReaderTest : public QObject {
    Q_OBJECT

private slots:
    void readsEnvoysDocumentationExample() {
        const LineOutcome out = EnvoyTextReader::parseLine(kEnvoyDocs);
        QCOMPARE(out.kind, LineOutcome::Kind::Request);
        const RecordedRequest& r = out.request;
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.path, std::string("/api/v1/locations"));
        QCOMPARE(r.protocol, std::string("HTTP/2"));
        QCOMPARE(r.status, std::optional<int>(204));
        QCOMPARE(r.responseFlags, std::string());
        QCOMPARE(r.duration, std::optional<microseconds>(milliseconds(226)));
        QCOMPARE(r.authority, std::string("locations"));
        QCOMPARE(r.upstreamCluster, std::string());
        const HeaderList headers{{"user-agent", "nsq2http"},
                                 {"x-forwarded-for", "10.0.35.28"},
                                 {"x-request-id", "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2"}};
        QCOMPARE(r.headers, headers);
        QCOMPARE(out.detail, std::string_view("Envoy default text"));
        QCOMPARE(out.stamp, std::optional<microseconds>(milliseconds(1460751420310)));
    }

    void readsIstioVariants() {
        const LineOutcome current = EnvoyTextReader::parseLine(kIstioNoHealthy);
        QCOMPARE(current.kind, LineOutcome::Kind::Request);
        QCOMPARE(current.request.status, std::optional<int>(503));
        QCOMPARE(current.request.responseFlags, std::string("UH"));
        QCOMPARE(current.request.upstreamCluster,
                 std::string("outbound|9080|v2|reviews.default.svc.cluster.local"));
        QCOMPARE(*current.request.header("user-agent"), std::string("Mozilla/5.0 (X11; Linux x86_64)"));
        QCOMPARE(current.request.duration, std::optional<microseconds>(microseconds(0)));
        QCOMPARE(current.detail, std::string_view("Istio text (1.9+)"));

        const LineOutcome old = EnvoyTextReader::parseLine(kIstioOld);
        QCOMPARE(old.kind, LineOutcome::Kind::Request);
        QCOMPARE(old.request.authority, std::string("httpbin:8000"));
        QCOMPARE(old.request.upstreamCluster,
                 std::string("inbound|8000|http|httpbin.default.svc.cluster.local"));
        QCOMPARE(old.detail, std::string_view("Istio text (1.5-1.8)"));
    }

    // A TCP entry is a well-formed line that carries no request: counted, the file still reads.
    void tcpEntryIsASkip() {
        const ReadResult result = envoy(kIstioTcp + "\n" + kIstioNoHealthy + "\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(1));
        QCOMPARE(result.recording().requests[0].source.line, std::size_t(2));
        QCOMPARE(result.recording().skipped.at(0).line, std::size_t(1));
        QVERIFY(result.recording().skipped[0].reason.find("TCP") != std::string::npos);
        const ReadResult onlyTcp = envoy(kIstioTcp + "\n");
        QVERIFY2(onlyTcp.ok(), describe(onlyTcp).constData());
        QVERIFY(onlyTcp.recording().requests.empty());
    }

    // Every line Sluice's proxy writes reads back with the same method, path, status and flags.
    void readsSluiceProxyLinesBack_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("flags");
        QTest::newRow("served") << QByteArray("GET") << QByteArray("/productpage") << 200 << QByteArray();
        QTest::newRow("no route") << QByteArray("GET") << QByteArray("/nowhere/at/all") << 404
                                  << QByteArray("NR");
        QTest::newRow("no healthy upstream")
            << QByteArray("POST") << QByteArray("/api/v1/products?x=1&y=%20") << 503 << QByteArray("UH");
        QTest::newRow("retries") << QByteArray("PUT") << QByteArray("/a") << 503 << QByteArray("URX,UF");
        QTest::newRow("downstream reset")
            << QByteArray("GET") << QByteArray("/slow") << 0 << QByteArray("DC");
    }
    void readsSluiceProxyLinesBack() {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(int, status);
        QFETCH(QByteArray, flags);
        std::string line;
        sluice::proxy::formatEnvoyLine(
            record(method.toStdString(), path.toStdString(), status, flags.toStdString()), line);
        const ReadResult result = envoy(line);
        QVERIFY2(result.ok(),
                 QByteArray(describe(result) + " for " + QByteArray::fromStdString(line)).constData());
        const RecordedRequest& r = result.recording().requests.at(0);
        QCOMPARE(QByteArray::fromStdString(r.method), method);
        QCOMPARE(QByteArray::fromStdString(r.path), path);
        QCOMPARE(r.status, std::optional<int>(status));
        QCOMPARE(QByteArray::fromStdString(r.responseFlags), flags);
        QCOMPARE(r.authority, std::string("bookinfo.example.com"));
        QCOMPARE(r.duration, std::optional<microseconds>(milliseconds(7)));
        QCOMPARE(*r.header("user-agent"), std::string("curl/7.88.1"));
        QCOMPARE(r.startedAt->time_since_epoch(),
                 std::chrono::system_clock::duration(milliseconds(1764142208123)));
        QCOMPARE(result.recording().detail, std::string("Envoy default text"));
    }

    // The literal line tests/core/proxy/access_log_test.cpp expects our logger to write.
    void readsTheLoggersLiteralLine() {
        const ReadResult result = envoy(
            "[2025-11-26T07:30:08.123Z] \"GET /productpage HTTP/1.1\" 200 - 0 322 4 3 \"-\" \"curl/7.88.1\" "
            "\"rid\" \"bookinfo.example.com\" \"127.0.0.1:40000\"\n");
        QVERIFY2(result.ok(), describe(result).constData());
        const RecordedRequest& r = result.recording().requests.at(0);
        QCOMPARE(r.method, std::string("GET"));
        QCOMPARE(r.path, std::string("/productpage"));
        QCOMPARE(r.status, std::optional<int>(200));
        QCOMPARE(r.responseFlags, std::string());
        QCOMPARE(r.duration, std::optional<microseconds>(milliseconds(4)));
    }

    // Offsets from the first line, in file order; CRLF line ends change nothing.
    void offsetsAndCrlf() {
        const std::string second =
            "[2016-04-15T20:17:01.810Z] \"GET /b HTTP/1.1\" 200 - 0 0 1 1 \"-\" \"-\" \"-\" "
            "\"h\" \"-\"";
        const ReadResult result = envoy(kEnvoyDocs + "\r\n" + second + "\r\n");
        QVERIFY2(result.ok(), describe(result).constData());
        const auto& requests = result.recording().requests;
        QCOMPARE(requests.size(), std::size_t(2));
        QCOMPARE(requests[0].offset, microseconds(0));
        QCOMPARE(requests[1].offset, microseconds(1500000));
        QCOMPARE(requests[1].authority, std::string("h"));
        QCOMPARE(requests[1].source.line, std::size_t(2));
    }

    // A quote inside a value ends the field only when a space or the end follows it.
    void quoteInsideAValue() {
        const LineOutcome out =
            EnvoyTextReader::parseLine("[2016-04-15T20:17:00.310Z] \"GET / HTTP/1.1\" 200 - 0 0 1 1 \"-\" "
                                       "\"say \"hi\"there\" \"-\" \"h\" \"-\"");
        QCOMPARE(out.kind, LineOutcome::Kind::Request);
        QCOMPARE(*out.request.header("user-agent"), std::string("say \"hi\"there"));
    }

    void malformedLines_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<int>("column");
        QTest::newRow("no time") << QByteArray(
                                        "\"GET / HTTP/1.1\" 200 - 0 0 1 1 \"-\" \"-\" \"-\" \"h\" \"-\"")
                                 << QByteArray("expected [%START_TIME%]") << 1;
        QTest::newRow("bad time")
            << QByteArray("[yesterday] \"GET / HTTP/1.1\" 200 - 0 0 1 1 \"-\" \"-\" \"-\" \"h\" \"-\"")
            << QByteArray("[yesterday] is not an ISO 8601 time") << 2;
        QTest::newRow("no request") << QByteArray("[2016-04-15T20:17:00.310Z] GET / 200")
                                    << QByteArray("expected \"%REQ(:METHOD)%") << 28;
        QTest::newRow("status word")
            << QByteArray("[2016-04-15T20:17:00.310Z] \"GET / HTTP/1.1\" OK - 0 0 1 1 \"-\" \"-\" "
                          "\"-\" \"h\" \"-\"")
            << QByteArray("expected %RESPONSE_CODE%") << 45;
        QTest::newRow("cut short")
            << QByteArray("[2016-04-15T20:17:00.310Z] \"GET / HTTP/1.1\" 200 - 0 0 1 1 \"-\" \"-\"")
            << QByteArray("then 5 quoted fields") << 49;
        QTest::newRow("unterminated")
            << QByteArray("[2016-04-15T20:17:00.310Z] \"GET / HTTP/1.1\" 200 - 0 0 1 1 \"-")
            << QByteArray("unterminated quoted field") << 59;
        QTest::newRow("request without path")
            << QByteArray("[2016-04-15T20:17:00.310Z] \"GET\" 200 - 0 0 1 1 \"-\" \"-\" "
                          "\"-\" \"h\" \"-\"")
            << QByteArray("is not \"METHOD PATH PROTOCOL\"") << 28;
        QTest::newRow("nginx line")
            << QByteArray("1.2.3.4 - - [20/Jul/2009:22:59:26 +0000] \"GET / HTTP/1.0\" 200 1")
            << QByteArray("expected [%START_TIME%]") << 1;
        QTest::newRow("binary") << QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11)
                                << QByteArray("expected [%START_TIME%]") << 1;
    }
    void malformedLines() {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, reason);
        QFETCH(int, column);
        const std::string good = kEnvoyDocs;
        const ReadResult result = envoy(good + "\n" + line.toStdString() + "\n" + good + "\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(2));
        QCOMPARE(result.recording().requests[1].source.line, std::size_t(3));
        QCOMPARE(result.recording().skippedCount, std::size_t(1));
        const SkippedLine& skip = result.recording().skipped[0];
        QCOMPARE(skip.line, std::size_t(2));
        QVERIFY2(skip.reason.find(reason.toStdString()) != std::string::npos, skip.reason.c_str());
        QCOMPARE(int(skip.column), column);
    }

    // Nothing in the file is an Envoy line: an error value with every line listed.
    void nothingReadableIsAnError() {
        const ReadResult result = envoy("hello\nworld\n");
        QVERIFY(!result.ok());
        QCOMPARE(result.error().skippedCount, std::size_t(2));
        QCOMPARE(result.error().message, std::string("no line could be read as envoy"));
    }
};

QTEST_GUILESS_MAIN(EnvoyTextReaderTest)
#include "envoy_text_reader_test.moc"
