// SPDX-License-Identifier: Apache-2.0
// AnalyzerIndex, LabelIndex and the Istio host helpers of analyzer_support.h.

#include "analyzer_test_support.h"
#include "validate/analyzer_index.h"

using namespace sluice::validate;

namespace {

sluice::model::ResourceSet load(const QByteArray& yaml) {
    sluice::config::LoadResult loaded;
    sluice::config::loadText("test.yaml", yaml.toStdString(), loaded);
    return std::move(loaded.resources);
}

} // namespace

class AnalyzerIndexTest : public QObject {
    Q_OBJECT

private slots:
    void hostMatches_data() {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("matches");
        QTest::newRow("equal") << QByteArray("foo.com") << QByteArray("foo.com") << true;
        QTest::newRow("different") << QByteArray("foo.com") << QByteArray("bar.com") << false;
        QTest::newRow("wildcard covers") << QByteArray("*.com") << QByteArray("foo.com") << true;
        QTest::newRow("covered by wildcard") << QByteArray("bar.com") << QByteArray("*.com") << true;
        QTest::newRow("wildcard excludes its base")
            << QByteArray("*.foo.com") << QByteArray("foo.com") << false;
        QTest::newRow("star covers a wildcard") << QByteArray("*") << QByteArray("*.com") << true;
        QTest::newRow("multi-level") << QByteArray("*.example.org") << QByteArray("store.eu.example.org")
                                     << true;
    }

    void hostMatches() {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, matches);
        QCOMPARE(sluice::validate::hostMatches(a.toStdString(), b.toStdString()), matches);
    }

    void hostNames() {
        QCOMPARE(convertHostToFqdn("default", "reviews"), std::string("reviews.default.svc.cluster.local"));
        QCOMPARE(convertHostToFqdn("default", "reviews.other"), std::string("reviews.other"));
        QCOMPARE(convertHostToFqdn("default", "*.example.com"), std::string("*.example.com"));
        QVERIFY((resourceNameFromHost("ns", "a.b.c.svc.cluster.local") == FullName{"c", "a.b"}));
        QVERIFY((resourceNameFromHost("ns", "reviews.other") == FullName{"ns", "reviews.other"}));
        QVERIFY((shortOrFullName("ns", "istio-system/gw") == FullName{"istio-system", "gw"}));
        QVERIFY((shortOrFullName("ns", "gw") == FullName{"ns", "gw"}));
        QCOMPARE(goQuote("a\"b"), std::string("\"a\\\"b\""));
        QCOMPARE(goList(std::vector<std::uint32_t>{80, 443}), std::string("[80 443]"));
    }

    void labelIndexSelects() {
        const Labels a{{"app", "web"}, {"version", "v1"}};
        const Labels b{{"app", "web"}, {"version", "v2"}};
        const Labels c{{"app", "db"}};
        const LabelIndex index({&a, &b, &c});
        QCOMPARE(index.select({{"app", "web"}}), (std::vector<std::size_t>{0, 1}));
        QCOMPARE(index.select({{"app", "web"}, {"version", "v2"}}), (std::vector<std::size_t>{1}));
        QCOMPARE(index.select({}), (std::vector<std::size_t>{0, 1, 2}));
        QVERIFY(!index.any({{"app", "web"}, {"version", "v3"}}));
        QVERIFY(!index.any({{"tier", "x"}}));
    }

    void syntheticGatewayUnlessReal() {
        const auto none = load("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: x}}\n");
        const AnalyzerIndex withSynthetic(none, sluice::model::GatewayWorkload::defaultIngress());
        QVERIFY(withSynthetic.inputHasWorkloads());
        QCOMPARE(withSynthetic.workloads().size(), std::size_t(2));
        QVERIFY(withSynthetic.workloads().back().synthetic);
        QCOMPARE(withSynthetic.workloads().back().ns, std::string("istio-system"));
        QCOMPARE(withSynthetic.servicesIn("istio-system").size(), std::size_t(1));

        const auto real = load("apiVersion: v1\nkind: Pod\nmetadata: {name: gw, namespace: edge, labels: "
                               "{app: istio-ingressgateway, istio: ingressgateway}}\n");
        const AnalyzerIndex replaced(real, sluice::model::GatewayWorkload::defaultIngress());
        QCOMPARE(replaced.workloads().size(), std::size_t(1));
        QVERIFY(!replaced.workloads().front().synthetic);
    }

    void destinationHostVisibility() {
        const auto set = load(R"yaml(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: abc, namespace: other}
spec:
  hosts: [abc.example.com]
  exportTo: [default]
  ports: [{number: 443, name: https, protocol: HTTPS}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: local, namespace: other}
spec:
  hosts: [local.example.com]
  exportTo: ["."]
---
apiVersion: v1
kind: Service
metadata:
  name: hello
  namespace: hello
  annotations: {networking.istio.io/exportTo: "hello1,."}
spec:
  ports: [{name: http, port: 9080}]
)yaml");
        const AnalyzerIndex index(set, sluice::model::GatewayWorkload::defaultIngress());
        const std::vector<sluice::model::Located<std::string>> none;
        QVERIFY(index.destinationHost("default", none, "abc.example.com"));
        QVERIFY(!index.destinationHost("third", none, "abc.example.com"));
        QVERIFY(!index.destinationHost("default", none, "local.example.com"));
        QVERIFY(index.destinationHost("other", none, "local.example.com"));
        QVERIFY(index.destinationHost("hello1", none, "hello.hello.svc.cluster.local"));
        QVERIFY(index.destinationHost("hello", none, "hello"));
        QVERIFY(!index.destinationHost("hello2", none, "hello.hello.svc.cluster.local"));
        const auto* synthetic =
            index.destinationHost("default", none, "istio-ingressgateway.istio-system.svc.cluster.local");
        QVERIFY(synthetic && synthetic->ports.size() == 4);
    }

    void scalesLinearly() {
        // 10,000 resources: the index answers every selector without scanning all workloads per query.
        QByteArray yaml;
        for (int i = 0; i < 5000; ++i) {
            const QByteArray n = QByteArray::number(i);
            yaml +=
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p" + n + ", labels: {app: a" + n + "}}\n---\n";
            yaml += "apiVersion: v1\nkind: Service\nmetadata: {name: s" + n + "}\nspec: {selector: {app: a" +
                    n + "}, ports: [{name: http, port: 80}]}\n---\n";
        }
        const auto set = load(yaml);
        const AnalyzerIndex index(set, sluice::model::GatewayWorkload::defaultIngress());
        std::size_t selected = 0;
        for (const auto& w : index.workloads())
            selected += index.servicesSelecting(w.ns, w.labels).size();
        QCOMPARE(selected, std::size_t(5001)); // and the synthetic gateway Service selects its pod
        QCOMPARE(index.selectedWorkloads({{"app", sluice::model::Located<std::string>("a42")}}).size(),
                 std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(AnalyzerIndexTest)
#include "analyzer_index_test.moc"
