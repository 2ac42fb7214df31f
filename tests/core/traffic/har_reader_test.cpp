// SPDX-License-Identifier: Apache-2.0
// HAR entries into requests, and hostile HARs: truncated, wrong types, a BOM, CRLF, deep nesting,
// large bodies. Every unusable entry is skipped with its index and the line of its '{'.
#include "recording_test_support.h"
#include "traffic/har_reader.h"
#include "traffic/recording_reader.h"

#include <sstream>

#include <QTest>

using namespace sluice::traffic;
using sluice::test::describe;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

ReadResult har(std::string_view text) {
    return readRecordingText(text, "t.har", RecordingFormat::Har);
}

/// Wraps entries (each one JSON object, may span lines) in a HAR 1.2 document whose first entry
/// starts on line 5.
std::string document(const std::vector<std::string>& entries) {
    std::string out = "{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"entries\": [\n";
    for (std::size_t i = 0; i < entries.size(); ++i)
        out += entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
    return out + "    ]\n  }\n}\n";
}

/// A one-line entry.
std::string entry(std::string_view method, std::string_view url,
                  std::string_view started = "2024-05-01T10:00:00.000Z", std::string_view extra = "") {
    return R"({"startedDateTime": ")" + std::string(started) + R"(", "time": 12.5, "request": {"method": ")" +
           std::string(method) + R"(", "url": ")" + std::string(url) +
           R"(", "httpVersion": "HTTP/1.1", "headers": []}, "response": {"status": 200})" +
           std::string(extra) + "}";
}

/// `text` with the first `from` replaced by `to`.
std::string with(std::string text, std::string_view from, std::string_view to) {
    return text.replace(text.find(from), from.size(), to);
}

} // namespace

// The slots are defined below the class: moc mis-reads raw strings inside a class body.
class HarReaderTest : public QObject {
    Q_OBJECT

private slots:
    void readsAnEntry();
    void authorityPrecedence_data();
    void authorityPrecedence();
    void bodies_data();
    void bodies();
    void badEntriesAreSkippedWithIndexAndLine_data();
    void badEntriesAreSkippedWithIndexAndLine();
    void truncatedHar();
    void notAHar_data();
    void notAHar();
    void emptyEntriesIsAnEmptyRecording();
    void bomAndCrlf();
    void offsetsAcrossTimeZones();
    void absurdTimesAreUnknown();
    void largeBodyOnOneLine();
    void deepNesting();
    void readsAStream();
};

// URL, headers, body and timing of one entry.
void HarReaderTest::readsAnEntry() {
    const std::string text = document({R"({
  "startedDateTime": "2024-05-01T12:00:00.250+02:00",
  "time": 41.25,
  "request": {
    "method": "POST",
    "url": "https://user:pw@shop.example.com:8443/cart/add?item=7#frag",
    "httpVersion": "h2",
    "headers": [
      {"name": ":method", "value": "POST"},
      {"name": ":authority", "value": "shop.example.com:8443"},
      {"name": ":path", "value": "/cart/add?item=7"},
      {"name": ":scheme", "value": "https"},
      {"name": "Host", "value": "ignored.example.com"},
      {"name": "Content-Type", "value": "application/json"},
      {"name": "X-Dup", "value": "1"},
      {"name": "x-dup", "value": "2"}
    ],
    "cookies": [{"name": "a", "value": "b"}],
    "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "qty=1"}
  },
  "response": {"status": 201, "content": {"size": 5, "text": "hello"}},
  "timings": {"wait": 40}
})"});
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    const RecordedRequest& r = result.recording().requests.at(0);
    QCOMPARE(r.method, std::string("POST"));
    QCOMPARE(r.scheme, std::string("https"));
    QCOMPARE(r.authority, std::string("shop.example.com:8443"));
    QCOMPARE(r.path, std::string("/cart/add?item=7"));
    QCOMPARE(r.protocol, std::string("HTTP/2"));
    QCOMPARE(r.body, std::string("qty=1"));
    QCOMPARE(r.status, std::optional<int>(201));
    QCOMPARE(r.duration, std::optional<microseconds>(microseconds(41250)));
    const HeaderList expected{{"content-type", "application/json"}, {"x-dup", "1"}, {"x-dup", "2"}};
    QCOMPARE(r.headers, expected);
    QCOMPARE(r.startedAt->time_since_epoch(),
             std::chrono::system_clock::duration(std::chrono::seconds(1714557600) + milliseconds(250)));
    QCOMPARE(r.source.line, std::size_t(5));
    QCOMPARE(r.source.entry, std::optional<std::size_t>(0));
    QCOMPARE(r.source.fileName(), std::string("t.har"));
}

// Authority: :authority, else Host, else the URL's.
void HarReaderTest::authorityPrecedence_data() {
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("authority");
    QTest::newRow("url only") << QByteArray("[]") << QByteArray("url.example.com");
    QTest::newRow("host") << QByteArray(R"([{"name": "host", "value": "host.example.com"}])")
                          << QByteArray("host.example.com");
    QTest::newRow(":authority after host")
        << QByteArray(R"([{"name": "Host", "value": "h"}, {"name": ":authority", "value": "a"}])")
        << QByteArray("a");
}

void HarReaderTest::authorityPrecedence() {
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, authority);
    const std::string text =
        document({R"({"startedDateTime": "2024-05-01T10:00:00Z", "request": {"method": "GET", "url": )"
                  R"("http://url.example.com/", "headers": )" +
                  headers.toStdString() + "}}"});
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    QCOMPARE(QByteArray::fromStdString(result.recording().requests[0].authority), authority);
    QVERIFY(result.recording().requests[0].headers.empty());
}

// postData: base64 when its encoding says so; form params url-encoded when there is no text.
void HarReaderTest::bodies_data() {
    QTest::addColumn<QByteArray>("postData");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("text") << QByteArray(R"({"text": "a=1"})") << QByteArray("a=1");
    QTest::newRow("base64") << QByteArray(R"({"text": "AAEC/w==", "encoding": "base64"})")
                            << QByteArray("\x00\x01\x02\xff", 4);
    QTest::newRow("params")
        << QByteArray(R"({"text": "", "params": [{"name": "q", "value": "a b&c"}, {"name": "x"}]})")
        << QByteArray("q=a+b%26c&x=");
    QTest::newRow("empty") << QByteArray(R"({"mimeType": "", "text": "", "params": []})") << QByteArray();
}

void HarReaderTest::bodies() {
    QFETCH(QByteArray, postData);
    QFETCH(QByteArray, body);
    const std::string text = document({R"({"startedDateTime": "2024-05-01T10:00:00Z", "request": {"method": )"
                                       R"("POST", "url": "http://h/", "postData": )" +
                                       postData.toStdString() + "}}"});
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    QCOMPARE(QByteArray::fromStdString(result.recording().requests[0].body), body);
}

// Each bad entry is skipped with its index and line; the good ones around it read.
void HarReaderTest::badEntriesAreSkippedWithIndexAndLine_data() {
    QTest::addColumn<QByteArray>("bad");
    QTest::addColumn<QByteArray>("reason");
    const auto row = [](const char* tag, std::string bad, const char* reason) {
        QTest::newRow(tag) << QByteArray::fromStdString(bad) << QByteArray(reason);
    };
    row("method is a number", with(entry("GET", "http://h/"), R"("GET")", "5"),
        "log.entries[1].request.method is a number, not a string");
    row("url is an array",
        R"({"startedDateTime": "2024-05-01T10:00:00Z", "request": {"method": "GET", "url": []}})",
        "log.entries[1].request.url is an array, not a string");
    row("no request", R"({"startedDateTime": "2024-05-01T10:00:00Z"})", "log.entries[1].request is missing");
    row("request is a string", R"({"request": "GET /"})",
        "log.entries[1].request is a string, not an object");
    row("headers is a string",
        R"({"startedDateTime": "2024-05-01T10:00:00Z", "request": {"method": "GET", "url": "http://h/", "headers": "x"}})",
        "log.entries[1].request.headers is a string, not an array");
    row("header value is a number", with(entry("GET", "http://h/"), "[]", R"([{"name": "a", "value": 3}])"),
        "log.entries[1].request.headers[0].value is a number, not a string");
    row("time is a string", with(entry("GET", "http://h/"), "12.5", "\"fast\""),
        "log.entries[1].time is a string, not a number");
    row("status is a string", with(entry("GET", "http://h/"), "\"status\": 200", "\"status\": \"200\""),
        "log.entries[1].response.status");
    row("status is absurd", with(entry("GET", "http://h/"), "\"status\": 200", "\"status\": 99999999999"),
        "is not a status code");
    row("no startedDateTime", R"({"request": {"method": "GET", "url": "http://h/"}})",
        "log.entries[1].startedDateTime is missing");
    row("bad startedDateTime", entry("GET", "http://h/", "yesterday at noon"),
        "log.entries[1].startedDateTime \"yesterday at noon\" is not an ISO 8601 time");
    row("impossible date", entry("GET", "http://h/", "2023-02-30T10:00:00Z"), "is not an ISO 8601 time");
    row("data url", entry("GET", "data:image/png;base64,AAAA"), "is not an http(s) URL");
    row("relative url", entry("GET", "/just/a/path"), "is not an http(s) URL");
    row("method with space", entry("GE T", "http://h/"), "is not an HTTP method");
    row("bad base64",
        R"({"startedDateTime": "2024-05-01T10:00:00Z", "request": {"method": "POST", "url": "http://h/", )"
        R"("postData": {"text": "!!!", "encoding": "base64"}}})",
        "postData.text is not valid base64");
    row("entry is a number", "42", "log.entries[1] is a number, not an object");
    row("entry is null", "null", "log.entries[1] is null, not an object");
    row("entry is an array", "[1, 2]", "log.entries[1] is an array, not an object");
}

void HarReaderTest::badEntriesAreSkippedWithIndexAndLine() {
    QFETCH(QByteArray, bad);
    QFETCH(QByteArray, reason);
    const std::string text =
        document({entry("GET", "http://h/one"), bad.toStdString(), entry("GET", "http://h/three")});
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    const Recording& recording = result.recording();
    QCOMPARE(recording.requests.size(), std::size_t(2));
    QCOMPARE(recording.requests[1].path, std::string("/three"));
    QCOMPARE(recording.requests[1].source.entry, std::optional<std::size_t>(2));
    QCOMPARE(recording.requests[1].source.line, std::size_t(7));
    QCOMPARE(recording.skippedCount, std::size_t(1));
    QCOMPARE(recording.skipped[0].line, std::size_t(6));
    QVERIFY2(recording.skipped[0].reason.find(reason.toStdString()) != std::string::npos,
             recording.skipped[0].reason.c_str());
}

// Cut after the second entry: both read, the cut reported with its line; cut inside the first
// entry: an error value naming the line.
void HarReaderTest::truncatedHar() {
    const std::string full =
        document({entry("GET", "http://h/1"), entry("GET", "http://h/2"), entry("GET", "http://h/3")});
    const std::string afterTwo = full.substr(0, full.find("http://h/3") - 60);
    const ReadResult partial = har(afterTwo);
    QVERIFY2(partial.ok(), describe(partial).constData());
    QCOMPARE(partial.recording().requests.size(), std::size_t(2));
    QCOMPARE(partial.recording().skippedCount, std::size_t(1));
    QCOMPARE(partial.recording().skipped[0].line, std::size_t(7));
    QVERIFY(partial.recording().skipped[0].reason.find("cut short") != std::string::npos);

    const ReadResult none = har(full.substr(0, full.find("http://h/1")));
    QVERIFY(!none.ok());
    QCOMPARE(none.error().format, std::optional<RecordingFormat>(RecordingFormat::Har));
    QVERIFY2(none.error().message.find("cut short or malformed at line 5") != std::string::npos,
             none.error().message.c_str());
}

// Whole-document problems are error values that say what is wrong.
void HarReaderTest::notAHar_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("root array") << QByteArray("[1, 2]") << QByteArray("the document is an array");
    QTest::newRow("root string") << QByteArray("\"log\"") << QByteArray("the document is a string");
    QTest::newRow("no log") << QByteArray(R"({"entries": []})") << QByteArray("no \"log\" object");
    QTest::newRow("log is a list") << QByteArray(R"({"log": []})")
                                   << QByteArray("\"log\" is an array, not an object");
    QTest::newRow("no entries") << QByteArray(R"({"log": {"version": "1.2"}})")
                                << QByteArray("no log.entries array");
    QTest::newRow("entries object") << QByteArray(R"({"log": {"entries": {"0": {}}}})")
                                    << QByteArray("log.entries is an object, not an array");
    QTest::newRow("not json") << QByteArray("GET / HTTP/1.1\r\n")
                              << QByteArray("not a HAR file (not JSON at line 1");
    QTest::newRow("trailing garbage")
        << QByteArray(R"({"log": {"entries": []}} x)") << QByteArray("cut short or malformed");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff\xfe", 5) << QByteArray("not JSON");
    QTest::newRow("invalid utf-8") << QByteArray("{\"log\": {\"entries\": [{\"request\": \"\xff\"}]}}")
                                   << QByteArray("cut short or malformed");
}

void HarReaderTest::notAHar() {
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, message);
    const ReadResult result = har(std::string_view(text.constData(), std::size_t(text.size())));
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.find(message.toStdString()) != std::string::npos,
             result.error().message.c_str());
}

void HarReaderTest::emptyEntriesIsAnEmptyRecording() {
    const ReadResult result = har(R"({"log": {"version": "1.1", "entries": []}})");
    QVERIFY2(result.ok(), describe(result).constData());
    QVERIFY(result.recording().requests.empty());
    QCOMPARE(result.recording().detail, std::string("HAR 1.1"));
}

// A BOM and CRLF line ends: same requests, same lines.
void HarReaderTest::bomAndCrlf() {
    std::string text = document({entry("GET", "http://h/1"), entry("GET", "http://h/2")});
    std::string crlf;
    for (const char c : text)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const ReadResult result = har("\xEF\xBB\xBF" + crlf);
    QVERIFY2(result.ok(), describe(result).constData());
    QCOMPARE(result.recording().requests.size(), std::size_t(2));
    QCOMPARE(result.recording().requests[1].source.line, std::size_t(6));
    const ReadResult detected = readRecordingText("\xEF\xBB\xBF" + crlf, "t.har");
    QVERIFY(detected.ok());
    QCOMPARE(detected.recording().format, RecordingFormat::Har);
}

// Offsets from the earliest entry whatever the time zones; entries out of order come back in
// time order, each with its own line.
void HarReaderTest::offsetsAcrossTimeZones() {
    const std::string text = document({
        entry("GET", "http://h/late", "2024-05-01T12:00:01.500+02:00"),
        entry("GET", "http://h/early", "2024-05-01T10:00:00Z"),
        entry("GET", "http://h/fraction", "2024-05-01T05:30:00.123456789-04:30"),
    });
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    const auto& requests = result.recording().requests;
    QCOMPARE(requests[0].path, std::string("/early"));
    QCOMPARE(requests[0].offset, microseconds(0));
    QCOMPARE(requests[0].source.line, std::size_t(6));
    QCOMPARE(requests[1].path, std::string("/fraction"));
    QCOMPARE(requests[1].offset, microseconds(123456));
    QCOMPARE(requests[2].path, std::string("/late"));
    QCOMPARE(requests[2].offset, microseconds(1500000));
    QCOMPARE(requests[2].source.line, std::size_t(5));
}

// Time values: -1 and absurd ones mean unknown, not an error.
void HarReaderTest::absurdTimesAreUnknown() {
    const std::string text = document(
        {with(entry("GET", "http://h/"), "12.5", "-1"), with(entry("GET", "http://h/"), "12.5", "1e300")});
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    QVERIFY(!result.recording().requests[0].duration);
    QVERIFY(!result.recording().requests[1].duration);
}

// A 2 MiB body and a one-line document: no line limit applies to HAR.
void HarReaderTest::largeBodyOnOneLine() {
    const std::string big(2 << 20, 'x');
    std::string text =
        document({R"({"startedDateTime": "2024-05-01T10:00:00Z", "request": {"method": "POST", )"
                  R"("url": "http://h/", "postData": {"text": ")" +
                  big + "\"}}, \"response\": {\"status\": 200, \"content\": {\"text\": \"" + big + "\"}}}"});
    std::erase(text, '\n');
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    QCOMPARE(result.recording().requests[0].body.size(), big.size());
    QCOMPARE(result.recording().requests[0].source.line, std::size_t(1));
}

// 200,000 nested arrays where an entry should be: an error, no stack overflow.
void HarReaderTest::deepNesting() {
    const std::string text =
        R"({"log": {"entries": [)" + std::string(200000, '[') + std::string(200000, ']') + "]}}";
    const ReadResult result = har(text);
    QVERIFY2(result.ok(), describe(result).constData());
    QCOMPARE(result.recording().skippedCount, std::size_t(1));
    const ReadResult cut = har(R"({"log": {"entries": [)" + std::string(200000, '['));
    QVERIFY(!cut.ok());
}

// Reading from a stream directly.
void HarReaderTest::readsAStream() {
    std::istringstream in(document({entry("DELETE", "http://h/x")}));
    const ReadResult result = HarReader::read(in, "stream");
    QVERIFY2(result.ok(), describe(result).constData());
    QCOMPARE(result.recording().requests[0].method, std::string("DELETE"));
    QCOMPARE(result.recording().file, std::string("stream"));
}

QTEST_GUILESS_MAIN(HarReaderTest)
#include "har_reader_test.moc"
