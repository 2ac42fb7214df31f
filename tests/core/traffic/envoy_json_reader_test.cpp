// SPDX-License-Identifier: Apache-2.0
// Envoy JSON access logs: Istio's keys, Sluice's own JSON lines read back, other spellings of the
// command operators, and hostile lines.
#include "proxy/access_log.h"
#include "recording_test_support.h"
#include "traffic/envoy_json_reader.h"
#include "traffic/recording_reader.h"

#include <QTest>

using namespace sluice::traffic;
using sluice::test::describe;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

ReadResult envoyJson(std::string_view text) {
    return readRecordingText(text, "access.json", RecordingFormat::EnvoyJson);
}

// Istio's JSON encoding of a gateway request (keys of EnvoyJSONLogFormatIstio).
const std::string kIstio =
    "{\"authority\":\"bookinfo.example.com\",\"bytes_received\":0,\"bytes_sent\":4294,"
    "\"connection_termination_details\":null,\"downstream_local_address\":\"10.1.0.9:8080\","
    "\"downstream_remote_address\":\"10.1.0.4:52000\",\"duration\":31,\"method\":\"GET\","
    "\"path\":\"/productpage?u=normal\",\"protocol\":\"HTTP/2\",\"request_id\":\"9d2c\","
    "\"requested_server_name\":null,\"response_code\":200,\"response_code_details\":\"via_upstream\","
    "\"response_flags\":\"-\",\"route_name\":null,\"start_time\":\"2024-03-01T08:00:00.250Z\","
    "\"upstream_cluster\":\"outbound|9080||productpage.default.svc.cluster.local\","
    "\"upstream_host\":\"10.1.0.20:9080\",\"upstream_local_address\":\"10.1.0.9:41000\","
    "\"upstream_service_time\":\"30\",\"upstream_transport_failure_reason\":null,"
    "\"user_agent\":\"Mozilla/5.0\",\"x_forwarded_for\":\"10.1.0.4\"}";

// A json_format dictionary written with the operators' own names, every value a string.
const std::string kOperatorNames =
    "{\"START_TIME\":\"2024-03-01T08:00:01.250Z\",\"REQ(:METHOD)\":\"POST\","
    "\"REQ(X-ENVOY-ORIGINAL-PATH?:PATH)\":\"/api/v1/products\",\"REQ(:AUTHORITY)\":\"shop\","
    "\"RESPONSE_CODE\":\"503\",\"RESPONSE_FLAGS\":\"UO\",\"DURATION\":\"12.5\",\"UPSTREAM_CLUSTER\":\"c\"}";

} // namespace

class EnvoyJsonReaderTest : public QObject {
    Q_OBJECT

private slots:
    void readsIstiosJson() {
        const LineOutcome out = EnvoyJsonReader::parseLine(kIstio);
        QCOMPARE(out.kind, LineOutcome::Kind::Request);
        const RecordedRequest& r = out.request;
        QCOMPARE(r.method, std::string("GET"));
        QCOMPARE(r.path, std::string("/productpage?u=normal"));
        QCOMPARE(r.authority, std::string("bookinfo.example.com"));
        QCOMPARE(r.protocol, std::string("HTTP/2"));
        QCOMPARE(r.status, std::optional<int>(200));
        QCOMPARE(r.responseFlags, std::string());
        QCOMPARE(r.duration, std::optional<microseconds>(milliseconds(31)));
        QCOMPARE(r.upstreamCluster, std::string("outbound|9080||productpage.default.svc.cluster.local"));
        const HeaderList headers{
            {"user-agent", "Mozilla/5.0"}, {"x-forwarded-for", "10.1.0.4"}, {"x-request-id", "9d2c"}};
        QCOMPARE(r.headers, headers);
        QCOMPARE(out.detail, std::string_view("Istio JSON"));
    }

    void readsOperatorNamesAndStringNumbers() {
        const ReadResult result = envoyJson(kIstio + "\n" + kOperatorNames + "\n");
        QVERIFY2(result.ok(), describe(result).constData());
        const RecordedRequest& r = result.recording().requests.at(1);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.path, std::string("/api/v1/products"));
        QCOMPARE(r.authority, std::string("shop"));
        QCOMPARE(r.status, std::optional<int>(503));
        QCOMPARE(r.responseFlags, std::string("UO"));
        QCOMPARE(r.duration, std::optional<microseconds>(microseconds(12500)));
        QCOMPARE(r.upstreamCluster, std::string("c"));
        QCOMPARE(r.offset, microseconds(1000000));
        QCOMPARE(r.source.line, std::size_t(2));
    }

    // Sluice's proxy in JSON mode: method, path, status, flags, cluster read back.
    void readsSluiceProxyJsonBack_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("flags");
        QTest::newRow("served") << QByteArray("GET") << QByteArray("/productpage") << 200 << QByteArray();
        QTest::newRow("no route") << QByteArray("GET") << QByteArray("/nowhere") << 404 << QByteArray("NR");
        QTest::newRow("fault") << QByteArray("GET") << QByteArray("/ratings/0") << 500 << QByteArray("FI");
        QTest::newRow("hostile path")
            << QByteArray("GET") << QByteArray("/a\"b\\c?\xff") << 400 << QByteArray();
    }
    void readsSluiceProxyJsonBack() {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(int, status);
        QFETCH(QByteArray, flags);
        sluice::proxy::RequestRecord record;
        record.start = std::chrono::system_clock::time_point(milliseconds(1764142208123));
        record.method = method.toStdString();
        record.path = path.toStdString();
        record.status = status;
        record.flags = flags.toStdString();
        record.durationMillis = 4;
        record.authority = "bookinfo.example.com";
        record.upstreamCluster = "outbound|9080||productpage.default.svc.cluster.local";
        record.userAgent = "curl/7.88.1";
        std::string line;
        sluice::proxy::formatEnvoyJson(record, line);
        const ReadResult result = readRecordingText(line, "sluice.json"); // detected, not forced
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().format, RecordingFormat::EnvoyJson);
        const RecordedRequest& r = result.recording().requests.at(0);
        QCOMPARE(QByteArray::fromStdString(r.method), method);
        // Invalid UTF-8 is written as U+FFFD, so only a valid path comes back byte for byte.
        QCOMPARE(QByteArray::fromStdString(r.path),
                 path.endsWith('\xff') ? QByteArray(path.chopped(1) + "\xef\xbf\xbd") : path);
        QCOMPARE(r.status, std::optional<int>(status));
        QCOMPARE(QByteArray::fromStdString(r.responseFlags), flags);
        QCOMPARE(r.upstreamCluster, record.upstreamCluster);
        QCOMPARE(r.authority, record.authority);
        QCOMPARE(r.duration, std::optional<microseconds>(milliseconds(4)));
        QCOMPARE(r.startedAt->time_since_epoch(),
                 std::chrono::system_clock::duration(milliseconds(1764142208123)));
    }

    // A TCP entry (no method) is counted as a well-formed line that carries no request.
    void tcpEntryIsASkip() {
        const ReadResult result = envoyJson(
            "{\"start_time\":\"2024-03-01T08:00:00Z\",\"method\":null,\"path\":null,\"bytes_sent\":10}\n" +
            kIstio + "\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(1));
        QCOMPARE(result.recording().skipped.at(0).line, std::size_t(1));
        QVERIFY(result.recording().skipped[0].reason.find("no HTTP method") != std::string::npos);
    }

    void malformedLines_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("not json") << QByteArray("method=GET path=/") << QByteArray("not JSON: syntax error");
        QTest::newRow("cut short") << QByteArray("{\"method\":\"GET\",\"path\":\"/")
                                   << QByteArray("not JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QByteArray("expected a JSON object, found an array");
        QTest::newRow("method number")
            << QByteArray("{\"method\":5,\"path\":\"/\"}") << QByteArray("method is a number, not a string");
        QTest::newRow("method object")
            << QByteArray("{\"method\":{},\"path\":\"/\"}") << QByteArray("method is an object");
        QTest::newRow("no method, no envoy key")
            << QByteArray("{\"path\":\"/\"}") << QByteArray("no \"method\" key");
        QTest::newRow("no path") << QByteArray("{\"method\":\"GET\",\"response_code\":200}")
                                 << QByteArray("no \"path\" for GET");
        QTest::newRow("bad time") << QByteArray("{\"method\":\"GET\",\"path\":\"/\",\"start_time\":\"noon\"}")
                                  << QByteArray("start_time \"noon\" is not an ISO 8601 time");
        QTest::newRow("bad status") << QByteArray(
                                           "{\"method\":\"GET\",\"path\":\"/\",\"response_code\":\"OK\"}")
                                    << QByteArray("response_code \"OK\" is not a status code");
        QTest::newRow("absurd status")
            << QByteArray("{\"method\":\"GET\",\"path\":\"/\",\"response_code\":1e300}")
            << QByteArray("is not a status code");
        QTest::newRow("negative duration")
            << QByteArray("{\"method\":\"GET\",\"path\":\"/\",\"duration\":-5}")
            << QByteArray("duration \"-5\" is not a number of milliseconds");
        QTest::newRow("bool flags") << QByteArray(
                                           "{\"method\":\"GET\",\"path\":\"/\",\"response_flags\":true}")
                                    << QByteArray("response_flags is a boolean, not a string");
        QTest::newRow("invalid utf-8")
            << QByteArray("{\"method\":\"GET\",\"path\":\"/\xff\"}") << QByteArray("not JSON");
        QTest::newRow("method with space")
            << QByteArray("{\"method\":\"G T\",\"path\":\"/\"}") << QByteArray("is not an HTTP token");
    }
    void malformedLines() {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, reason);
        const ReadResult result = envoyJson(kIstio + "\n" + line.toStdString() + "\n");
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(1));
        QCOMPARE(result.recording().skipped.size(), std::size_t(1));
        QCOMPARE(result.recording().skipped[0].line, std::size_t(2));
        QVERIFY2(result.recording().skipped[0].reason.find(reason.toStdString()) != std::string::npos,
                 result.recording().skipped[0].reason.c_str());
    }

    // A parse error points at its column.
    void parseErrorHasAColumn() {
        const LineOutcome out = EnvoyJsonReader::parseLine("{\"method\": GET}");
        QCOMPARE(out.kind, LineOutcome::Kind::Malformed);
        QCOMPARE(out.column, std::size_t(12));
    }
};

QTEST_GUILESS_MAIN(EnvoyJsonReaderTest)
#include "envoy_json_reader_test.moc"
