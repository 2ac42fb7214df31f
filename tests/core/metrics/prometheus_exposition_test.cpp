// SPDX-License-Identifier: Apache-2.0
#include "metrics/metrics_collector.h"
#include "metrics/prometheus_exposition.h"

#include <cstring>
#include <map>

#include <QRegularExpression>
#include <QStringList>
#include <QTest>

using namespace sluice::metrics;

namespace {

RequestSample reviews(std::string_view replica, int code, std::uint64_t micros) {
    RequestSample s;
    s.virtualService = "default/reviews";
    s.ruleIndex = 1;
    s.ruleName = "v2-for-jason";
    s.service = "reviews.default.svc.cluster.local";
    s.port = 9080;
    s.subset = "v2";
    s.cluster = "outbound|9080|v2|reviews.default.svc.cluster.local";
    s.replica = replica;
    s.workload = "reviews-v2";
    s.workloadNamespace = "default";
    s.app = "reviews";
    s.version = "v2";
    s.responseCode = code;
    s.durationMicros = micros;
    s.bytesReceived = 0;
    s.bytesSent = 700;
    return s;
}

struct Sample {
    QString name;
    std::map<QString, QString> labels;
    double value = 0;
};

/// A strict reader of the text exposition format: returns the samples, or fails the test on a
/// line that is not a comment, a HELP/TYPE line or a well-formed sample of a declared family.
std::vector<Sample> parse(const std::string& text) {
    static const QRegularExpression help(QStringLiteral(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)"));
    static const QRegularExpression type(
        QStringLiteral(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)"));
    static const QRegularExpression sampleLine(
        QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|\+Inf|NaN)$)"));
    // A name, '=', a quoted value with backslash escapes, then ',' or the end.
    static const QRegularExpression labelPair(
        QStringLiteral("^([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)"));
    std::vector<Sample> out;
    std::map<QString, QString> families;
    const QStringList lines = QString::fromStdString(text).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString& line = lines[i];
        if (line.isEmpty()) {
            if (i + 1 != lines.size())
                qWarning("empty line %d", i + 1);
            continue;
        }
        if (const auto m = type.match(line); m.hasMatch()) {
            if (families.contains(m.captured(1)))
                qFatal("family %s declared twice", qPrintable(m.captured(1)));
            families[m.captured(1)] = m.captured(2);
            continue;
        }
        if (help.match(line).hasMatch())
            continue;
        const auto m = sampleLine.match(line);
        if (!m.hasMatch())
            qFatal("line %d is not exposition format: %s", i + 1, qPrintable(line));
        Sample s;
        s.name = m.captured(1);
        QString family = s.name;
        for (const auto* suffix : {"_bucket", "_sum", "_count"})
            if (!families.contains(family) && family.endsWith(QLatin1String(suffix)))
                family.chop(int(strlen(suffix)));
        if (!families.contains(family))
            qFatal("sample of undeclared family: %s", qPrintable(line));
        QString labels = m.captured(3);
        while (!labels.isEmpty()) {
            const auto l = labelPair.match(labels);
            if (!l.hasMatch())
                qFatal("bad labels: %s", qPrintable(labels));
            const QString raw = l.captured(2);
            QString value;
            for (int c = 0; c < raw.size(); ++c) {
                if (raw[c] != QLatin1Char('\\')) {
                    value += raw[c];
                    continue;
                }
                const QChar next = raw[++c];
                if (next != QLatin1Char('n') && next != QLatin1Char('"') && next != QLatin1Char('\\'))
                    qFatal("bad escape in %s", qPrintable(raw));
                value += next == QLatin1Char('n') ? QChar(u'\n') : next;
            }
            if (s.labels.contains(l.captured(1)))
                qFatal("label %s twice", qPrintable(l.captured(1)));
            s.labels[l.captured(1)] = value;
            labels = labels.mid(l.capturedLength());
        }
        bool ok = false;
        s.value = m.captured(4) == QLatin1String("+Inf") ? qInf() : m.captured(4).toDouble(&ok);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<Sample> named(const std::vector<Sample>& all, const QString& name) {
    std::vector<Sample> out;
    for (const auto& s : all)
        if (s.name == name)
            out.push_back(s);
    return out;
}

} // namespace

class PrometheusExpositionTest : public QObject {
    Q_OBJECT

private slots:
    // Istio's standard labels, replicas of one workload summed, one series per response code.
    void istioRequestsTotal() {
        MetricsCollector collector;
        MetricsShard& shard = collector.addShard();
        shard.record(reviews("reviews-v2-1", 200, 400));
        shard.record(reviews("reviews-v2-2", 200, 3000));
        shard.record(reviews("reviews-v2-2", 503, 70'000));
        std::string text;
        PrometheusExposition().write(*collector.collect(), text);
        const auto samples = parse(text);
        const auto totals = named(samples, QStringLiteral("istio_requests_total"));
        QCOMPARE(totals.size(), std::size_t(2));
        const Sample& ok = totals[0].labels.at(QStringLiteral("response_code")) == QLatin1String("200")
                               ? totals[0]
                               : totals[1];
        QCOMPARE(ok.value, 2.0);
        const std::map<QString, QString> want{
            {QStringLiteral("reporter"), QStringLiteral("source")},
            {QStringLiteral("source_workload"), QStringLiteral("istio-ingressgateway")},
            {QStringLiteral("source_workload_namespace"), QStringLiteral("istio-system")},
            {QStringLiteral("destination_workload"), QStringLiteral("reviews-v2")},
            {QStringLiteral("destination_workload_namespace"), QStringLiteral("default")},
            {QStringLiteral("destination_app"), QStringLiteral("reviews")},
            {QStringLiteral("destination_version"), QStringLiteral("v2")},
            {QStringLiteral("destination_service"), QStringLiteral("reviews.default.svc.cluster.local")},
            {QStringLiteral("destination_service_name"), QStringLiteral("reviews")},
            {QStringLiteral("destination_service_namespace"), QStringLiteral("default")},
            {QStringLiteral("destination_canonical_service"), QStringLiteral("reviews")},
            {QStringLiteral("destination_canonical_revision"), QStringLiteral("v2")},
            {QStringLiteral("request_protocol"), QStringLiteral("http")},
            {QStringLiteral("response_code"), QStringLiteral("200")},
            {QStringLiteral("response_flags"), QStringLiteral("-")},
            {QStringLiteral("connection_security_policy"), QStringLiteral("unknown")},
        };
        for (const auto& [k, v] : want)
            QCOMPARE(ok.labels.at(k), v);
        QCOMPARE(ok.labels.size(), std::size_t(25)); // Istio's standard label set

        const auto routes = named(samples, QStringLiteral("sluice_route_requests_total"));
        QCOMPARE(routes.size(), std::size_t(1));
        QCOMPARE(routes[0].labels.at(QStringLiteral("virtual_service")), QStringLiteral("default/reviews"));
        QCOMPARE(routes[0].labels.at(QStringLiteral("rule")), QStringLiteral("1"));
        QCOMPARE(routes[0].labels.at(QStringLiteral("rule_name")), QStringLiteral("v2-for-jason"));
        QCOMPARE(routes[0].value, 3.0);
    }

    // A call between workloads carries its caller as Istio's source labels (as the caller's sidecar
    // reports it); the gateway's requests to the same destination keep the gateway's.
    void sourceWorkloadLabels() {
        MetricsCollector collector;
        MetricsShard& shard = collector.addShard();
        shard.record(reviews("reviews-v2-1", 200, 400));
        RequestSample call = reviews("reviews-v2-1", 200, 400);
        call.sourceWorkload = "productpage-v1";
        call.sourceNamespace = "default";
        call.sourceApp = "productpage";
        call.sourceVersion = "v1";
        shard.record(call);
        shard.record(call);
        std::string text;
        PrometheusExposition().write(*collector.collect(), text);
        const auto totals = named(parse(text), QStringLiteral("istio_requests_total"));
        QCOMPARE(totals.size(), std::size_t(2));
        const bool firstIsCall =
            totals[0].labels.at(QStringLiteral("source_workload")) == QLatin1String("productpage-v1");
        const Sample& mesh = firstIsCall ? totals[0] : totals[1];
        const Sample& ingress = firstIsCall ? totals[1] : totals[0];
        QCOMPARE(mesh.value, 2.0);
        QCOMPARE(ingress.value, 1.0);
        const std::map<QString, QString> want{
            {QStringLiteral("reporter"), QStringLiteral("source")},
            {QStringLiteral("source_workload"), QStringLiteral("productpage-v1")},
            {QStringLiteral("source_workload_namespace"), QStringLiteral("default")},
            {QStringLiteral("source_app"), QStringLiteral("productpage")},
            {QStringLiteral("source_version"), QStringLiteral("v1")},
            {QStringLiteral("source_canonical_service"), QStringLiteral("productpage")},
            {QStringLiteral("source_canonical_revision"), QStringLiteral("v1")},
            {QStringLiteral("source_cluster"), QStringLiteral("Kubernetes")},
            {QStringLiteral("destination_workload"), QStringLiteral("reviews-v2")},
        };
        for (const auto& [k, v] : want)
            QCOMPARE(mesh.labels.at(k), v);
        QCOMPARE(mesh.labels.size(), std::size_t(25));
        QCOMPARE(ingress.labels.at(QStringLiteral("source_workload")),
                 QStringLiteral("istio-ingressgateway"));
        QCOMPARE(ingress.labels.at(QStringLiteral("source_workload_namespace")),
                 QStringLiteral("istio-system"));
        QCOMPARE(ingress.labels.at(QStringLiteral("source_app")), QStringLiteral("istio-ingressgateway"));
    }

    // Cumulative buckets on Envoy's default bounds, +Inf equal to the count, sum in milliseconds.
    void durationHistogram() {
        MetricsCollector collector;
        MetricsShard& shard = collector.addShard();
        shard.record(reviews("reviews-v2-1", 200, 400));    // 0.4 ms
        shard.record(reviews("reviews-v2-1", 200, 3000));   // 3 ms
        shard.record(reviews("reviews-v2-1", 200, 70'000)); // 70 ms
        std::string text;
        PrometheusExposition().write(*collector.collect(), text);
        const auto samples = parse(text);
        std::map<QString, double> buckets;
        for (const auto& s : named(samples, QStringLiteral("istio_request_duration_milliseconds_bucket")))
            buckets[s.labels.at(QStringLiteral("le"))] = s.value;
        QCOMPARE(buckets.size(), std::size_t(20));
        QCOMPARE(buckets[QStringLiteral("0.5")], 1.0);
        QCOMPARE(buckets[QStringLiteral("1")], 1.0);
        QCOMPARE(buckets[QStringLiteral("5")], 2.0);
        QCOMPARE(buckets[QStringLiteral("50")], 2.0);
        QCOMPARE(buckets[QStringLiteral("100")], 3.0);
        QCOMPARE(buckets[QStringLiteral("3600000")], 3.0);
        QCOMPARE(buckets[QStringLiteral("+Inf")], 3.0);
        const auto sum = named(samples, QStringLiteral("istio_request_duration_milliseconds_sum"));
        QCOMPARE(sum.size(), std::size_t(1));
        QCOMPARE(sum[0].value, 73.4);
        QCOMPARE(named(samples, QStringLiteral("istio_request_duration_milliseconds_count"))[0].value, 3.0);
        const auto bytes = named(samples, QStringLiteral("istio_response_bytes_sum"));
        QCOMPARE(bytes[0].value, 2100.0);
        std::map<QString, double> sizes; // 700 bytes each: exact buckets
        for (const auto& s : named(samples, QStringLiteral("istio_response_bytes_bucket")))
            sizes[s.labels.at(QStringLiteral("le"))] = s.value;
        QCOMPARE(sizes[QStringLiteral("500")], 0.0);
        QCOMPARE(sizes[QStringLiteral("1000")], 3.0);
        QCOMPARE(sizes[QStringLiteral("+Inf")], 3.0);
        QCOMPARE(named(samples, QStringLiteral("istio_request_bytes_bucket"))[0].value,
                 3.0); // le 0.5: empty bodies
        QVERIFY(text.find("# TYPE istio_request_duration_milliseconds histogram\n") != std::string::npos);
        QVERIFY(text.find("# HELP istio_requests_total ") != std::string::npos);
    }

    // A request no route took: destination labels are "unknown", flags as Envoy prints them.
    void unroutedRequest() {
        MetricsCollector collector;
        MetricsShard& shard = collector.addShard();
        RequestSample s;
        s.responseCode = 404;
        s.responseFlags = "NR";
        shard.record(s);
        std::string text;
        PrometheusExposition().write(*collector.collect(), text);
        const auto totals = named(parse(text), QStringLiteral("istio_requests_total"));
        QCOMPARE(totals.size(), std::size_t(1));
        QCOMPARE(totals[0].labels.at(QStringLiteral("destination_service")), QStringLiteral("unknown"));
        QCOMPARE(totals[0].labels.at(QStringLiteral("destination_workload")), QStringLiteral("unknown"));
        QCOMPARE(totals[0].labels.at(QStringLiteral("response_flags")), QStringLiteral("NR"));
        QVERIFY(named(parse(text), QStringLiteral("sluice_route_requests_total")).empty());
    }

    // Label values are escaped so that any text reads back unchanged.
    void labelEscaping_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("escaped");
        QTest::newRow("plain") << QStringLiteral("default/shop") << QStringLiteral("\"default/shop\"");
        QTest::newRow("quote") << QStringLiteral("a\"b") << QStringLiteral("\"a\\\"b\"");
        QTest::newRow("backslash") << QStringLiteral("a\\b") << QStringLiteral("\"a\\\\b\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\\nb\"");
        QTest::newRow("all") << QStringLiteral("\\\"\n\\n") << QStringLiteral("\"\\\\\\\"\\n\\\\n\"");
    }
    void labelEscaping() {
        QFETCH(QString, value);
        QFETCH(QString, escaped);
        std::string out;
        PrometheusExposition::appendLabelValue(out, value.toStdString());
        QCOMPARE(QString::fromStdString(out), escaped);

        MetricsCollector collector;
        MetricsShard& shard = collector.addShard();
        RequestSample s = reviews("r-1", 200, 10);
        const std::string name = value.toStdString();
        s.ruleName = name;
        shard.record(s);
        std::string text;
        PrometheusExposition().write(*collector.collect(), text);
        const auto routes = named(parse(text), QStringLiteral("sluice_route_requests_total"));
        QCOMPARE(routes.size(), std::size_t(1));
        QCOMPARE(routes[0].labels.at(QStringLiteral("rule_name")), value);
    }

    void numbers_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("integer") << 42.0 << QStringLiteral("42");
        QTest::newRow("half") << 0.5 << QStringLiteral("0.5");
        QTest::newRow("large") << 3600000.0 << QStringLiteral("3600000");
        QTest::newRow("fraction") << 73.4 << QStringLiteral("73.4");
    }
    void numbers() {
        QFETCH(double, value);
        QFETCH(QString, text);
        std::string out;
        PrometheusExposition::appendNumber(out, value);
        QCOMPARE(QString::fromStdString(out), text);
    }
};

QTEST_GUILESS_MAIN(PrometheusExpositionTest)
#include "prometheus_exposition_test.moc"
