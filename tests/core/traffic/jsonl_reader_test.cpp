// SPDX-License-Identifier: Apache-2.0
// Sluice JSONL: the schema (jsonl_reader.h) key by key, hostile lines, and every recording
// written as JSONL (jsonl_writer.h) reading back the same.
#include "recording_test_support.h"
#include "traffic/jsonl_reader.h"
#include "traffic/jsonl_writer.h"
#include "traffic/recording_reader.h"

#include <QTest>

using namespace sluice::traffic;
using sluice::test::describe;
using std::chrono::microseconds;

namespace {

ReadResult jsonl(std::string_view text) {
    return readRecordingText(text, "t.jsonl", RecordingFormat::Jsonl);
}

const std::string kFull =
    "{\"t_ms\": 12.5, \"method\": \"POST\", \"scheme\": \"HTTPS\", \"authority\": "
    "\"httpbin.example.com\", \"path\": \"/post?x=1\", \"headers\": {\"End-User\": \"jason\", "
    "\"cookie\": [\"a=1\", \"b=2\"]}, \"body\": \"{}\", \"protocol\": \"HTTP/2\", \"status\": 200, "
    "\"duration_ms\": 3.25, \"response_flags\": \"UO\", \"upstream_cluster\": \"c\"}";

} // namespace

class JsonlReaderTest : public QObject {
    Q_OBJECT

private slots:
    void readsEveryKey() {
        const LineOutcome out = JsonlReader::parseLine(kFull);
        QCOMPARE(out.kind, LineOutcome::Kind::Request);
        const RecordedRequest& r = out.request;
        QCOMPARE(out.stamp, std::optional<microseconds>(microseconds(12500)));
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.scheme, std::string("https"));
        QCOMPARE(r.authority, std::string("httpbin.example.com"));
        QCOMPARE(r.path, std::string("/post?x=1"));
        const HeaderList headers{{"end-user", "jason"}, {"cookie", "a=1"}, {"cookie", "b=2"}};
        QCOMPARE(r.headers, headers);
        QCOMPARE(r.body, std::string("{}"));
        QCOMPARE(r.protocol, std::string("HTTP/2"));
        QCOMPARE(r.status, std::optional<int>(200));
        QCOMPARE(r.duration, std::optional<microseconds>(microseconds(3250)));
        QCOMPARE(r.responseFlags, std::string("UO"));
        QCOMPARE(r.upstreamCluster, std::string("c"));
    }

    // Only path is required; method defaults to GET; headers as pairs keep order and repeats; Host
    // fills the authority.
    void minimalLinesAndHeaderPairs() {
        const ReadResult result =
            jsonl("# hand-written\n\n  # indented comment\n{\"path\": \"/\"}\n"
                  "{\"path\": \"/a\", \"headers\": [[\"x\", \"1\"], [\"Host\", \"h.example\"], "
                  "[\"x\", \"2\"]], \"body_base64\": \"AAEC\"}\n");
        QVERIFY2(result.ok(), describe(result).constData());
        const auto& requests = result.recording().requests;
        QCOMPARE(requests.size(), std::size_t(2));
        QCOMPARE(requests[0].method, std::string("GET"));
        QCOMPARE(requests[0].source.line, std::size_t(4));
        QCOMPARE(requests[1].authority, std::string("h.example"));
        const HeaderList headers{{"x", "1"}, {"x", "2"}};
        QCOMPARE(requests[1].headers, headers);
        QCOMPARE(requests[1].body, std::string("\x00\x01\x02", 3));
        QCOMPARE(requests[1].offset, microseconds(0));
        QCOMPARE(result.recording().skippedCount, std::size_t(0));
    }

    // t_ms: rebased on the earliest; a line without one starts with the line before; epoch
    // milliseconds work too.
    void timing() {
        const ReadResult result = jsonl("{\"t_ms\": 1700000001000, \"path\": \"/b\"}\n{\"path\": \"/c\"}\n"
                                        "{\"t_ms\": 1700000000000.5, \"path\": \"/a\"}\n");
        QVERIFY2(result.ok(), describe(result).constData());
        const auto& requests = result.recording().requests;
        QCOMPARE(requests[0].path, std::string("/a"));
        QCOMPARE(requests[0].offset, microseconds(0));
        QCOMPARE(requests[1].path, std::string("/b"));
        QCOMPARE(requests[1].offset, microseconds(999500));
        QCOMPARE(requests[2].path, std::string("/c"));
        QCOMPARE(requests[2].offset, microseconds(999500));
        QCOMPARE(requests[2].source.line, std::size_t(2));
    }

    void malformedLines_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("reason");
        const auto row = [](const char* tag, const char* line, const char* reason) {
            QTest::newRow(tag) << QByteArray(line) << QByteArray(reason);
        };
        row("no path", "{\"method\": \"GET\"}", "no \"path\"");
        row("relative path", "{\"path\": \"a/b\"}", "path \"a/b\" does not start with '/'");
        row("empty path", "{\"path\": \"\"}", "does not start with '/'");
        row("path number", "{\"path\": 5}", "path is a number, not a string");
        row("unknown key", "{\"path\": \"/\", \"header\": {}}", "unknown key \"header\"");
        row("negative t_ms", "{\"t_ms\": -1, \"path\": \"/\"}", "t_ms -1 is out of range");
        row("absurd t_ms", "{\"t_ms\": 1e300, \"path\": \"/\"}", "t_ms 1e+300 is out of range");
        row("t_ms string", "{\"t_ms\": \"0\", \"path\": \"/\"}", "t_ms is a string, not a number");
        row("status float", "{\"status\": 200.5, \"path\": \"/\"}", "status 200.5 is not an integer");
        row("status absurd", "{\"status\": 1000, \"path\": \"/\"}", "status 1000 is out of range");
        row("bad method", "{\"method\": \"GE T\", \"path\": \"/\"}", "method \"GE T\" is not an HTTP token");
        row("bad scheme", "{\"scheme\": \"ftp\", \"path\": \"/\"}", "scheme \"ftp\" is not http or https");
        row("headers string", "{\"headers\": \"a: b\", \"path\": \"/\"}",
            "headers is a string, not an object or an array");
        row("header number", "{\"headers\": {\"a\": 1}, \"path\": \"/\"}",
            "headers.a is a number, not a string");
        row("header triple", "{\"headers\": [[\"a\", \"b\", \"c\"]], \"path\": \"/\"}",
            "[name, value] pairs");
        row("pseudo header", "{\"headers\": {\":path\": \"/x\"}, \"path\": \"/\"}",
            "header name \":path\" is not an HTTP token (use the method, path and scheme keys)");
        row("both bodies", "{\"body\": \"a\", \"body_base64\": \"YQ==\", \"path\": \"/\"}",
            "body and body_base64 both given");
        row("bad base64", "{\"body_base64\": \"***\", \"path\": \"/\"}", "body_base64 is not base64");
        row("array", "[\"GET\", \"/\"]", "expected a JSON object, found an array");
        row("not json", "GET / HTTP/1.1", "not JSON: syntax error");
        row("cut short", "{\"path\": \"/", "not JSON");
        row("invalid utf-8", "{\"path\": \"/\xc3\x28\"}", "not JSON");
        row("nul", "{\"path\": \"/\"}\x01", "not JSON");
    }
    void malformedLines() {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, reason);
        const ReadResult result =
            jsonl("{\"path\": \"/ok\"}\n" + line.toStdString() + "\n{\"path\": \"/ok2\"}\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(2));
        QCOMPARE(result.recording().skipped.size(), std::size_t(1));
        QCOMPARE(result.recording().skipped[0].line, std::size_t(2));
        QVERIFY2(result.recording().skipped[0].reason.find(reason.toStdString()) != std::string::npos,
                 result.recording().skipped[0].reason.c_str());
    }

    // A line of 2 MiB is skipped with its length, never parsed.
    void hugeLine() {
        const std::string huge = "{\"path\": \"/" + std::string(2 << 20, 'x') + "\"}";
        const ReadResult result = jsonl(huge + "\n{\"path\": \"/\"}");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.at(0).source.line, std::size_t(2));
        QVERIFY(result.recording().skipped.at(0).reason.find("over the 1 MiB line limit") !=
                std::string::npos);
    }

    // Any recording converted to JSONL reads back the same (the real HARs and logs, and edge cases).
    void writerRoundTrips_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("postdata har") << QStringLiteral("har/mitmproxy__postdata.har");
        QTest::newRow("firefox har") << QStringLiteral("har/mitmproxy__firefox.har");
        QTest::newRow("istio log") << QStringLiteral("envoy-text/istio-io__access-log-task__httpbin.log");
        QTest::newRow("shop log") << QStringLiteral("nginx-combined/lnav__logfile_shop_access_log.0");
    }
    void writerRoundTrips() {
        QFETCH(QString, file);
        const ReadResult original = readRecordingFile(
            QString(QStringLiteral(SLUICE_SHARED_DIR "/realworld/traffic/") + file).toStdString());
        QVERIFY2(original.ok(), describe(original).constData());
        std::string text;
        for (const auto& request : original.recording().requests)
            text += formatJsonlLine(request);
        const ReadResult copy = readRecordingText(text, "copy.jsonl");
        QVERIFY2(copy.ok(), describe(copy).constData());
        QCOMPARE(copy.recording().format, RecordingFormat::Jsonl);
        const auto& a = original.recording().requests;
        const auto& b = copy.recording().requests;
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].offset, a[i].offset);
            QCOMPARE(b[i].method, a[i].method);
            QCOMPARE(b[i].scheme, a[i].scheme);
            QCOMPARE(b[i].authority, a[i].authority);
            QCOMPARE(b[i].path, a[i].path);
            QCOMPARE(b[i].protocol, a[i].protocol);
            QCOMPARE(b[i].headers, a[i].headers);
            QCOMPARE(b[i].body, a[i].body);
            QCOMPARE(b[i].status, a[i].status);
            QCOMPARE(b[i].duration, a[i].duration);
            QCOMPARE(b[i].responseFlags, a[i].responseFlags);
            QCOMPARE(b[i].upstreamCluster, a[i].upstreamCluster);
            QCOMPARE(b[i].source.line, i + 1);
        }
    }

    // A binary body goes through base64; repeated headers as pairs; µs offsets as fractions.
    void writerEdgeCases() {
        RecordedRequest r;
        r.offset = microseconds(1234567);
        r.method = "PUT";
        r.path = "/bin";
        r.body = std::string("\xff\x00\x01", 3);
        r.headers = {{"x", "1"}, {"x", "2"}};
        const std::string line = formatJsonlLine(r);
        QCOMPARE(
            line,
            std::string("{\"t_ms\":1234.567,\"method\":\"PUT\",\"path\":\"/bin\",\"headers\":[[\"x\",\"1\"],"
                        "[\"x\",\"2\"]],\"body_base64\":\"/wAB\"}\n"));
        const LineOutcome back = JsonlReader::parseLine(line.substr(0, line.size() - 1));
        QCOMPARE(back.kind, LineOutcome::Kind::Request);
        QCOMPARE(back.request.body, r.body);
        QCOMPARE(back.request.headers, r.headers);
        QCOMPARE(back.stamp, std::optional<microseconds>(r.offset));
    }
};

QTEST_GUILESS_MAIN(JsonlReaderTest)
#include "jsonl_reader_test.moc"
