// SPDX-License-Identifier: Apache-2.0
// Every recording under realworld/traffic reads, with counts checked independently (Python's json
// module for the HARs, `wc -l` / `grep -c` and a regex for the logs); plus the file-level
// errors: missing, a directory, empty, binary, over the size cap, and the format override.
#include "traffic/format_detector.h"
#include "traffic/recording_reader.h"

#include <algorithm>
#include <fstream>
#include <set>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice::traffic;

namespace {

const QString kTraffic = QStringLiteral(SLUICE_SHARED_DIR "/realworld/traffic/");

std::string sharedFile(const QString& relative) {
    return QString(kTraffic + relative).toStdString();
}
std::string sharedFile(const QByteArray& relative) {
    return sharedFile(QString::fromUtf8(relative));
}

/// What went wrong, for QVERIFY2 messages.
QByteArray describe(const ReadResult& result) {
    if (result.ok()) {
        QByteArray out = "ok; skipped:";
        for (const auto& skip : result.recording().skipped)
            out += " [" + QByteArray::number(qulonglong(skip.line)) + "] " +
                   QByteArray::fromStdString(skip.reason);
        return out;
    }
    QByteArray out = "error: " + QByteArray::fromStdString(result.error().message);
    for (const auto& skip : result.error().skipped)
        out +=
            " [" + QByteArray::number(qulonglong(skip.line)) + "] " + QByteArray::fromStdString(skip.reason);
    return out;
}

std::vector<std::size_t> skippedLines(const std::vector<SkippedLine>& skipped) {
    std::vector<std::size_t> lines;
    for (const auto& skip : skipped)
        lines.push_back(skip.line);
    return lines;
}

void writeFile(const QString& path, std::string_view bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

class RecordingReaderTest : public QObject {
    Q_OBJECT

private slots:
    void readsEveryRealWorldRecording_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("requests");
        QTest::addColumn<int>("skipped");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("authority");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("status");

        const auto row = [](const char* tag, const char* file, RecordingFormat format, int requests,
                            int skipped, const char* method, const char* authority, const char* path,
                            int status) {
            QTest::newRow(tag) << QByteArray(file) << int(format) << requests << skipped << QByteArray(method)
                               << QByteArray(authority) << QByteArray(path) << status;
        };
        const auto har = RecordingFormat::Har;
        const char* mitm = "mitmproxy.org";
        const char* sitespeed = "www.sitespeed.io";
        const char* onetag = "signal-metrics-collector-beta.s-onetag.com";
        // Counts: len(log.entries) from Python's json; first = earliest startedDateTime.
        row("charles", "har/mitmproxy__charles.har", har, 1, 0, "GET", mitm, "/?=", 200);
        row("chrome", "har/mitmproxy__chrome.har", har, 3, 0, "GET", mitm, "/", 304);
        row("firefox", "har/mitmproxy__firefox.har", har, 14, 0, "GET", mitm, "/", 304);
        row("head-content-length", "har/mitmproxy__head-content-length.har", har, 1, 0, "HEAD",
            "files.pythonhosted.org",
            "/packages/00/e5/f12a80907d0884e6dff9c16d0c0114d81b8cd07dc3ae54c5e962cc83037e/"
            "tqdm-4.66.1-py3-none-any.whl",
            200);
        row("insomnia", "har/mitmproxy__insomnia.har", har, 1, 0, "GET", "mitm.it", "/", 200);
        row("postdata", "har/mitmproxy__postdata.har", har, 1, 0, "POST", onetag, "/metrics", 200);
        row("with-bom", "har/mitmproxy__with-bom.har", har, 1, 0, "POST", onetag, "/metrics", 200);
        row("http1.1-chrome", "har/pagexray__http_http1.1-chrome.har", har, 13, 0, "GET", sitespeed, "/",
            200);
        row("http2-firefox", "har/pagexray__http_http2-firefox.har", har, 10, 0, "GET", "run.sitespeed.io",
            "/", 200);
        row("frontendredirect", "har/pagexray__redirect_frontendredirect.har", har, 12, 0, "GET",
            "127.0.0.1:8000", "/redirect.html", 200);
        row("redirecting-to-https", "har/pagexray__redirect_www.sitespeed.io-redirecting-to-https.har", har,
            15, 0, "GET", sitespeed, "/", 301);
        // One line each (istio.io's access-log task).
        row("istio httpbin", "envoy-text/istio-io__access-log-task__httpbin.log", RecordingFormat::EnvoyText,
            1, 0, "GET", "httpbin:8000", "/status/418", 418);
        row("istio sleep", "envoy-text/istio-io__access-log-task__sleep.log", RecordingFormat::EnvoyText, 1,
            0, "GET", "httpbin:8000", "/status/418", 418);
        // `wc -l`; the shop log: 1000 lines matching the combined regex (976 GET, 14 POST, 10 HEAD).
        const auto nginx = RecordingFormat::Nginx;
        row("access_log.0", "nginx-combined/lnav__logfile_access_log.0", nginx, 3, 0, "GET", "",
            "/vmw/cgi/tramp", 200);
        row("bad_access_log.0", "nginx-combined/lnav__logfile_bad_access_log.0", nginx, 2, 1, "GET", "",
            "/vmw/cgi/tramp", 200);
        row("shop_access_log.0", "nginx-combined/lnav__logfile_shop_access_log.0", nginx, 1000, 0, "GET", "",
            "/filter/"
            "27|13%20%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8%B3%D9%84,27|%DA%A9%D9%85%D8%AA%D8%B1%20%D8%A7%D8"
            "%B2%205%20%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8%B3%D9%84,p53",
            200);
    }

    // Detected format, count, first request; offsets start at 0 and never decrease, and (every one
    // of these files is in time order) the file order is kept.
    void readsEveryRealWorldRecording() {
        QFETCH(QByteArray, file);
        QFETCH(int, format);
        QFETCH(int, requests);
        QFETCH(int, skipped);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, authority);
        QFETCH(QByteArray, path);
        QFETCH(int, status);

        const ReadResult result = readRecordingFile(sharedFile(file));
        QVERIFY2(result.ok(), describe(result).constData());
        const Recording& recording = result.recording();
        QCOMPARE(int(recording.format), format);
        QCOMPARE(int(recording.requests.size()), requests);
        QCOMPARE(int(recording.skippedCount), skipped);
        const RecordedRequest& first = recording.requests.front();
        QCOMPARE(QByteArray::fromStdString(first.method), method);
        QCOMPARE(QByteArray::fromStdString(first.authority), authority);
        QCOMPARE(QByteArray::fromStdString(first.path), path);
        QCOMPARE(first.status.value_or(-1), status);
        QCOMPARE(first.offset.count(), 0);
        QCOMPARE(first.source.fileName(), sharedFile(file));
        for (std::size_t i = 1; i < recording.requests.size(); ++i) {
            QVERIFY(recording.requests[i].offset >= recording.requests[i - 1].offset);
            QVERIFY(recording.requests[i].source.line >= recording.requests[i - 1].source.line);
            if (recording.requests[i].source.entry)
                QCOMPARE(*recording.requests[i].source.entry, *recording.requests[i - 1].source.entry + 1);
        }
        for (const auto& request : recording.requests) {
            QVERIFY(request.source.line > 0);
            QVERIFY(request.startedAt.has_value());
            for (const auto& [name, value] : request.headers) {
                QVERIFY2(!name.starts_with(':') && name != "host", name.c_str());
                QCOMPARE(QString::fromStdString(name), QString::fromStdString(name).toLower());
            }
        }
    }

    // A new file in realworld/traffic must get a row above (or a test of its own below).
    void everyRealWorldFileIsCovered() {
        const std::set<QString> covered{
            QStringLiteral("har/mitmproxy__charles.har"),
            QStringLiteral("har/mitmproxy__chrome.har"),
            QStringLiteral("har/mitmproxy__firefox.har"),
            QStringLiteral("har/mitmproxy__head-content-length.har"),
            QStringLiteral("har/mitmproxy__insomnia.har"),
            QStringLiteral("har/mitmproxy__postdata.har"),
            QStringLiteral("har/mitmproxy__with-bom.har"),
            QStringLiteral("har/pagexray__http_http1.1-chrome.har"),
            QStringLiteral("har/pagexray__http_http2-firefox.har"),
            QStringLiteral("har/pagexray__redirect_frontendredirect.har"),
            QStringLiteral("har/pagexray__redirect_www.sitespeed.io-redirecting-to-https.har"),
            QStringLiteral("envoy-text/istio-io__access-log-task__httpbin.log"),
            QStringLiteral("envoy-text/istio-io__access-log-task__sleep.log"),
            QStringLiteral("nginx-combined/lnav__logfile_access_log.0"),
            QStringLiteral("nginx-combined/lnav__logfile_access_log.1"),
            QStringLiteral("nginx-combined/lnav__logfile_bad_access_log.0"),
            QStringLiteral("nginx-combined/lnav__logfile_shop_access_log.0"),
            QStringLiteral("nginx-combined/lnav__logfile_syslog_with_access_log.0"),
        };
        const QDir root(kTraffic);
        int files = 0;
        for (const QString& folder : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            for (const QString& name : QDir(root.filePath(folder)).entryList(QDir::Files)) {
                ++files;
                const QString relative = folder + QLatin1Char('/') + name;
                QVERIFY2(covered.count(relative) == 1, qPrintable(relative));
            }
        QCOMPARE(files, int(covered.size()));
    }

    // The line of each entry's '{' (lines 20, 196, 297 in the file), and its index.
    void harEntriesPointAtTheirLines() {
        const ReadResult result = readRecordingFile(sharedFile(QStringLiteral("har/mitmproxy__chrome.har")));
        QVERIFY2(result.ok(), describe(result).constData());
        const auto& requests = result.recording().requests;
        QCOMPARE(requests.size(), std::size_t(3));
        QCOMPARE(requests[0].source.line, std::size_t(20));
        QCOMPARE(requests[1].source.line, std::size_t(196));
        QCOMPARE(requests[2].source.line, std::size_t(297));
        QCOMPARE(requests[2].source.entry.value_or(99), std::size_t(2));
        QCOMPARE(requests[1].status.value_or(-1), 0); // the request failed: no response
        QCOMPARE(result.recording().detail, std::string("HAR 1.2"));
    }

    // HTTP/2 HAR: :authority fills authority, pseudo-headers are not headers, the body is
    // postData.text; the BOM copy of the same capture reads the same.
    void http2HarMapsPseudoHeadersAndBom() {
        const ReadResult plain = readRecordingFile(sharedFile(QStringLiteral("har/mitmproxy__postdata.har")));
        const ReadResult bom = readRecordingFile(sharedFile(QStringLiteral("har/mitmproxy__with-bom.har")));
        QVERIFY2(plain.ok() && bom.ok(), describe(bom).constData());
        const RecordedRequest& a = plain.recording().requests.front();
        const RecordedRequest& b = bom.recording().requests.front();
        QCOMPARE(a.scheme, std::string("https"));
        QCOMPARE(a.protocol, std::string("HTTP/2"));
        QVERIFY(a.body.starts_with("{\"metadata\":{\"pageViewId\":1689428126308"));
        QVERIFY(a.header("content-type") && *a.header("content-type") == "text/plain;charset=UTF-8");
        QCOMPARE(a.headers.size(), std::size_t(16)); // 20 recorded, 4 of them pseudo-headers
        QCOMPARE(b.method, a.method);
        QCOMPARE(b.authority, a.authority);
        QCOMPARE(b.path, a.path);
        QCOMPARE(b.body, a.body);
        QCOMPARE(b.headers, a.headers);
        QCOMPARE(b.source.line, a.source.line);
    }

    // 1000 lines over 177 seconds (03:56:14 to 03:59:11 +0330), 976 GET, 14 POST, 10 HEAD.
    void shopLogKeepsItsTiming() {
        const ReadResult result =
            readRecordingFile(sharedFile(QStringLiteral("nginx-combined/lnav__logfile_shop_access_log.0")));
        QVERIFY2(result.ok(), describe(result).constData());
        const auto& requests = result.recording().requests;
        QCOMPARE(requests.back().offset, std::chrono::microseconds(std::chrono::seconds(177)));
        const auto count = [&](const char* method) {
            return std::count_if(requests.begin(), requests.end(),
                                 [&](const auto& r) { return r.method == method; });
        };
        QCOMPARE(count("GET"), 976);
        QCOMPARE(count("POST"), 14);
        QCOMPARE(count("HEAD"), 10);
        QCOMPARE(requests.front().header("user-agent") != nullptr, true);
        QCOMPARE(result.recording().detail, std::string("nginx combined"));
    }

    // Line 2 lacks the ident and user fields: skipped with its number and why.
    void badNginxLineIsReportedWithItsNumber() {
        const ReadResult result =
            readRecordingFile(sharedFile(QStringLiteral("nginx-combined/lnav__logfile_bad_access_log.0")));
        QVERIFY2(result.ok(), describe(result).constData());
        const auto& skipped = result.recording().skipped;
        QCOMPARE(skippedLines(skipped), std::vector<std::size_t>{2});
        QVERIFY2(skipped[0].reason.find("ident and user") != std::string::npos, skipped[0].reason.c_str());
        QCOMPARE(skipped[0].column, std::size_t(17));
        QCOMPARE(result.recording().requests[1].source.line, std::size_t(3));
    }

    // nginx logged a connection that sent no request ("-", 400): a well-formed line that carries no
    // request, so the file reads (as nginx) with nothing to replay and the line reported.
    void requestDashIsASkipNotAnError() {
        const ReadResult result =
            readRecordingFile(sharedFile(QStringLiteral("nginx-combined/lnav__logfile_access_log.1")));
        QVERIFY2(result.ok(), describe(result).constData());
        QCOMPARE(result.recording().requests.size(), std::size_t(0));
        QCOMPARE(skippedLines(result.recording().skipped), std::vector<std::size_t>{1});
        QVERIFY(result.recording().skipped[0].reason.find("no request line") != std::string::npos);
    }

    // Syslog lines around tomcat entries without [$time_local] (SOURCES.md: a negative case): no
    // line is an nginx entry, so the file is an error value listing all five lines.
    void syslogWithoutAccessEntriesIsAnError() {
        const ReadResult result = readRecordingFile(
            sharedFile(QStringLiteral("nginx-combined/lnav__logfile_syslog_with_access_log.0")));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().format, std::optional<RecordingFormat>(RecordingFormat::Nginx));
        QCOMPARE(skippedLines(result.error().skipped), (std::vector<std::size_t>{1, 2, 3, 4, 5}));
        QCOMPARE(result.error().skippedCount, std::size_t(5));
        QVERIFY2(result.error().message.find("nginx") != std::string::npos, result.error().message.c_str());
        QVERIFY2(result.error().skipped[1].reason.find("[$time_local]") != std::string::npos,
                 result.error().skipped[1].reason.c_str());
        QVERIFY2(result.error().skipped[4].reason.find("tag") != std::string::npos,
                 result.error().skipped[4].reason.c_str());
    }

    // Istio's format: the cluster after the quoted fields, code details in between.
    void istioLinesKeepTheirCluster() {
        const ReadResult inbound = readRecordingFile(
            sharedFile(QStringLiteral("envoy-text/istio-io__access-log-task__httpbin.log")));
        const ReadResult outbound =
            readRecordingFile(sharedFile(QStringLiteral("envoy-text/istio-io__access-log-task__sleep.log")));
        QVERIFY2(inbound.ok() && outbound.ok(), describe(inbound).constData());
        const RecordedRequest& in = inbound.recording().requests.front();
        const RecordedRequest& out = outbound.recording().requests.front();
        QCOMPARE(in.upstreamCluster, std::string("inbound|8000||"));
        QCOMPARE(out.upstreamCluster, std::string("outbound|8000||httpbin.foo.svc.cluster.local"));
        QCOMPARE(in.duration, std::optional<std::chrono::microseconds>(std::chrono::milliseconds(3)));
        QCOMPARE(out.duration, std::optional<std::chrono::microseconds>(std::chrono::milliseconds(4)));
        QCOMPARE(in.responseFlags, std::string());
        QCOMPARE(*in.header("user-agent"), std::string("curl/7.73.0-DEV"));
        QCOMPARE(*in.header("x-request-id"), std::string("84961386-6d84-929d-98bd-c5aee93b5c88"));
        QCOMPARE(in.protocol, std::string("HTTP/1.1"));
        QCOMPARE(inbound.recording().detail, std::string("Istio text (1.9+)"));
    }

    void missingFileIsAnError() {
        const ReadResult result = readRecordingFile("/nonexistent/recording.har");
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.find("cannot open") != std::string::npos);
    }

    void directoryIsAnError() {
        const ReadResult result = readRecordingFile(kTraffic.toStdString());
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.find("not a regular file") != std::string::npos);
    }

    void emptyFileIsAnError_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("blank lines") << QByteArray("\n\r\n  \n") << QByteArray();
        QTest::newRow("bom only") << QByteArray("\xEF\xBB\xBF\n") << QByteArray();
        QTest::newRow("empty as har") << QByteArray() << QByteArray("har");
        QTest::newRow("empty as nginx") << QByteArray() << QByteArray("nginx");
    }
    void emptyFileIsAnError() {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, format);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rec.log"));
        writeFile(path, bytes.toStdString());
        const auto named = format.isEmpty() ? std::nullopt : formatFromName(format.toStdString());
        for (const ReadResult& result : {readRecordingFile(path.toStdString(), named),
                                         readRecordingText(bytes.toStdString(), "rec.log", named)}) {
            QVERIFY(!result.ok());
            QCOMPARE(result.error().message, std::string("the file is empty"));
        }
    }

    // Over 1 GiB (a sparse file: no disk used) is refused before anything is read.
    void overTheSizeCapIsRefused() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge.log"));
        writeFile(path, "1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n");
        QVERIFY(QFile::resize(path, qint64(ReadLimits::kMaxFileBytes) + 1));
        const ReadResult result = readRecordingFile(path.toStdString());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message,
                 std::string("the file is 1073741825 bytes, over the 1 GiB limit for recordings"));
    }

    // Binary bytes: no format is recognised, and the error says what the start looks like.
    void binaryGarbageIsAnError() {
        std::string garbage("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe", 18);
        for (int i = 0; i < 300; ++i)
            garbage += static_cast<char>((i * 131 + 7) % 256);
        const ReadResult detected = readRecordingText(garbage, "image.png");
        QVERIFY(!detected.ok());
        QVERIFY(!detected.error().format);
        QVERIFY2(detected.error().message.find("not a recording") != std::string::npos,
                 detected.error().message.c_str());
        // Forced through each reader: an error (nothing recognised), never a crash.
        for (const char* name : {"har", "envoy", "envoy-json", "nginx", "jsonl"}) {
            const ReadResult forced = readRecordingText(garbage, "image.png", formatFromName(name));
            QVERIFY2(!forced.ok(), name);
            QCOMPARE(forced.error().format, formatFromName(name));
        }
    }

    // An explicit format wins over detection: nginx lines read as JSONL are each malformed.
    void formatOverrideByName() {
        const std::string path = sharedFile(QStringLiteral("nginx-combined/lnav__logfile_access_log.0"));
        const ReadResult asJsonl = readRecordingFile(path, formatFromName("jsonl"));
        QVERIFY(!asJsonl.ok());
        QCOMPARE(asJsonl.error().skippedCount, std::size_t(3));
        QVERIFY(asJsonl.error().message.find("jsonl") != std::string::npos);
        const ReadResult asNginx = readRecordingFile(path, formatFromName("nginx"));
        QVERIFY(asNginx.ok());
    }

    void formatNamesRoundTrip() {
        for (const char* name : {"har", "envoy", "envoy-json", "nginx", "jsonl"})
            QCOMPARE(std::string(formatName(*formatFromName(name))), std::string(name));
        QVERIFY(!formatFromName("HAR"));
        QVERIFY(!formatFromName("apache"));
    }

    void detectsByContent_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("format");
        const auto row = [](const char* tag, QByteArray head, const char* format) {
            QTest::newRow(tag) << head << QByteArray(format);
        };
        row("har pretty", QByteArray("{\n  \"log\": {\n"), "har");
        row("har one line", QByteArray("{\"log\":{\"version\":\"1.2\",\"entries\":[]}}"), "har");
        row("har other key first", QByteArray("{\n\"comment\": 1,\n\"log\": {}}"), "har");
        row("har bom", QByteArray("\xEF\xBB\xBF{\"log\":"), "har");
        row("istio json",
            QByteArray("{\"start_time\":\"2020-11-25T21:26:18.409Z\",\"method\":\"GET\",\"path\":\"/\"}\n"),
            "envoy-json");
        row("jsonl", QByteArray("{\"t_ms\":0,\"path\":\"/\"}\n{\"path\":\"/a\"}\n"), "jsonl");
        row("jsonl with recorded keys",
            QByteArray("{\"t_ms\":0,\"path\":\"/\",\"status\":200,\"upstream_cluster\":\"c\"}\n"), "jsonl");
        row("jsonl comments", QByteArray("# recorded by hand\n\n{\"path\":\"/\"}\n"), "jsonl");
        row("envoy",
            QByteArray("[2016-04-15T20:17:00.310Z] \"POST /api HTTP/2\" 204 - 154 0 226 100 \"-\" "
                       "\"-\" \"-\" \"x\" \"-\"\n"),
            "envoy");
        row("nginx", QByteArray("1.2.3.4 - - [20/Jul/2009:22:59:26 +0000] \"GET / HTTP/1.0\" 200 1\n"),
            "nginx");
        row("syslog", QByteArray("<190>Nov 26 13:38:01 web nginx: 1.2.3.4 - - [...]"), "nginx");
        row("blank first", QByteArray("\n\r\n  1.2.3.4 - - [20/Jul/2009:22:59:26 +0000] \"-\" 400 0\n"),
            "nginx");
        row("plain text", QByteArray("hello world\n"), "");
        row("json array", QByteArray("[{\"method\":\"GET\"}]"), "");
        row("comments then text", QByteArray("# x\nGET / HTTP/1.1\n"), "");
    }
    void detectsByContent() {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, format);
        const Detection detection = detectFormat(std::string_view(head.constData(), size_t(head.size())));
        QCOMPARE(detection.format ? QByteArray(formatName(*detection.format).data()) : QByteArray(), format);
        QCOMPARE(detection.why.empty(), detection.format.has_value());
    }
};

QTEST_GUILESS_MAIN(RecordingReaderTest)
#include "recording_reader_test.moc"
