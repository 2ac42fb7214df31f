// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "inspect/outline_builder.h"

#include <initializer_list>

#include <QTest>

using namespace sluice;
using inspect::Outline;
using inspect::OutlineBuilder;
using inspect::OutlineNode;

namespace {

const std::string kBookinfo = SLUICE_SOURCE_DIR "/samples/bookinfo/";
const std::string kCanary = SLUICE_SOURCE_DIR "/samples/canary/";

/// The node reached by following labels from the top level; nullptr when a label is missing.
const OutlineNode* find(const std::vector<OutlineNode>& nodes, std::initializer_list<std::string_view> path) {
    const std::vector<OutlineNode>* level = &nodes;
    const OutlineNode* found = nullptr;
    for (const std::string_view label : path) {
        found = nullptr;
        for (const OutlineNode& node : *level)
            if (node.label == label)
                found = &node;
        if (!found)
            return nullptr;
        level = &found->children;
    }
    return found;
}

QString value(const Outline& outline, std::initializer_list<std::string_view> path) {
    const OutlineNode* node = find(outline.nodes, path);
    return node ? QString::fromStdString(node->value) : QStringLiteral("<missing>");
}

int line(const Outline& outline, std::initializer_list<std::string_view> path) {
    const OutlineNode* node = find(outline.nodes, path);
    return node ? static_cast<int>(node->span.line) : -1;
}

QString fileOf(const model::ResourceSet& set, const Outline& outline,
               std::initializer_list<std::string_view> path) {
    const OutlineNode* node = find(outline.nodes, path);
    return node ? QString::fromStdString(std::string(set.fileName(node->span.file)))
                      .section(QLatin1Char('/'), -1)
                : QString();
}

} // namespace

class OutlineBuilderTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_bookinfo = config::loadPaths({kBookinfo});
        m_canary = config::loadPaths({kCanary});
    }

    void gatewayServer() {
        const OutlineBuilder builder(m_bookinfo.resources);
        const auto outline = builder.inspectAt(kBookinfo + "gateway.yaml", 13);
        QVERIFY(outline);
        QCOMPARE(outline->kind, std::string("Gateway server"));
        QCOMPARE(outline->resource, std::string("Gateway istio-system/bookinfo-gateway"));
        QCOMPARE(outline->item, std::string("servers[0] http"));
        QCOMPARE(outline->span.line, 12u);
        QCOMPARE(value(*outline, {"port"}), QStringLiteral("80 HTTP (http)"));
        QCOMPARE(value(*outline, {"port", "number"}), QStringLiteral("80"));
        QCOMPARE(line(*outline, {"port", "number"}), 13);
        QCOMPARE(value(*outline, {"port", "protocol"}), QStringLiteral("HTTP"));
        QCOMPARE(line(*outline, {"port", "protocol"}), 15);
        QCOMPARE(value(*outline, {"hosts"}), QStringLiteral("bookinfo.example.com"));
        QCOMPARE(line(*outline, {"hosts", "[0]"}), 17);
        QVERIFY(!find(outline->nodes, {"tls"})); // not written, not shown
    }

    void virtualServiceRuleWithItsDestination() {
        const OutlineBuilder builder(m_bookinfo.resources);
        const auto outline = builder.inspectAt(kBookinfo + "virtualservice.yaml", 18);
        QVERIFY(outline);
        QCOMPARE(outline->kind, std::string("VirtualService http rule"));
        QCOMPARE(outline->field, std::string("spec.http[0]"));
        QCOMPARE(value(*outline, {"match[0]"}), QStringLiteral("uri prefix /productpage"));
        QCOMPARE(value(*outline, {"match[3]", "uri", "prefix"}), QStringLiteral("/api/v1/products"));
        QCOMPARE(line(*outline, {"match[3]", "uri", "prefix"}), 22);
        QCOMPARE(line(*outline, {"destinations", "productpage:9080"}), 24);
        QCOMPARE(value(*outline, {"route[0]"}), QStringLiteral("productpage:9080"));
        const char* dest = "productpage:9080";
        QCOMPARE(value(*outline, {"destinations", dest}), QStringLiteral("100 %"));
        QCOMPARE(value(*outline, {"destinations", dest, "host"}),
                 QStringLiteral("productpage.default.svc.cluster.local"));
        QCOMPARE(value(*outline, {"destinations", dest, "service"}),
                 QStringLiteral("Service default/productpage"));
        QCOMPARE(fileOf(m_bookinfo.resources, *outline, {"destinations", dest, "service"}),
                 QStringLiteral("platform.yaml"));
        QCOMPARE(value(*outline, {"destinations", dest, "endpoints"}),
                 QStringLiteral("1 workload, 1 replica"));
        QCOMPARE(line(*outline, {"destinations", dest, "endpoints", "Deployment default/productpage-v1"}),
                 233);
    }

    void weightedDestinationsAndSubsets() {
        const OutlineBuilder builder(m_canary.resources);
        const auto outline = builder.inspectAt(kCanary + "gateway.yaml", 37);
        QVERIFY(outline);
        QCOMPARE(outline->item, std::string("http[0] frontend-split"));
        QCOMPARE(value(*outline, {"name"}), QStringLiteral("frontend-split"));
        QCOMPARE(value(*outline, {"route[0]"}), QStringLiteral("frontend:8080 subset stable · weight 90"));
        const char* stable = "frontend:8080 subset stable";
        const char* canary = "frontend:8080 subset canary";
        QCOMPARE(value(*outline, {"destinations", stable}), QStringLiteral("90 %"));
        QCOMPARE(value(*outline, {"destinations", canary}), QStringLiteral("10 %"));
        QCOMPARE(line(*outline, {"destinations", canary, "weight"}), 43);
        QCOMPARE(value(*outline, {"destinations", stable, "subset"}),
                 QStringLiteral("stable in DestinationRule canary/frontend (version=v1)"));
        QCOMPARE(line(*outline, {"destinations", stable, "subset"}), 53);
        QCOMPARE(value(*outline, {"destinations", stable, "endpoints"}),
                 QStringLiteral("1 workload, 3 replicas"));
        QVERIFY(find(outline->nodes, {"destinations", canary, "endpoints", "Deployment canary/frontend-v2"}));
    }

    void zeroWeightAndMissingSubset() {
        config::LoadResult loaded;
        config::loadText("vs.yaml", R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: split}
spec:
  hosts: [a]
  http:
  - route:
    - destination: {host: a, subset: v1}
      weight: 100
    - destination: {host: b}
      weight: 0
)",
                         loaded);
        const OutlineBuilder builder(loaded.resources);
        const auto outline = builder.inspectAt("vs.yaml", 8);
        QVERIFY(outline);
        QCOMPARE(value(*outline, {"destinations", "a subset v1"}), QStringLiteral("100 %"));
        QCOMPARE(value(*outline, {"destinations", "a subset v1", "subset"}),
                 QStringLiteral("v1: defined by no DestinationRule"));
        QCOMPARE(value(*outline, {"destinations", "a subset v1", "service"}),
                 QStringLiteral("no Service of this config"));
        QCOMPARE(value(*outline, {"destinations", "b"}),
                 QStringLiteral("0 % (weight 0: receives no traffic)"));
    }

    void subsetWithInheritedPolicyAndWorkloads() {
        const OutlineBuilder builder(m_bookinfo.resources);
        const auto outline = builder.inspectAt(kBookinfo + "destinationrule.yaml", 16);
        QVERIFY(outline);
        QCOMPARE(outline->kind, std::string("DestinationRule subset"));
        QCOMPARE(value(*outline, {"name"}), QStringLiteral("v1"));
        QCOMPARE(value(*outline, {"labels"}), QStringLiteral("version=v1"));
        QCOMPARE(line(*outline, {"labels", "version"}), 16);
        QCOMPARE(value(*outline, {"trafficPolicy (from the rule)", "loadBalancer", "simple"}),
                 QStringLiteral("ROUND_ROBIN"));
        QCOMPARE(line(*outline, {"trafficPolicy (from the rule)", "loadBalancer", "simple"}), 12);
        QCOMPARE(value(*outline, {"service"}), QStringLiteral("Service default/productpage"));
        QCOMPARE(value(*outline, {"workloads"}), QStringLiteral("1 workload, 1 replica"));
        QVERIFY(find(outline->nodes, {"workloads", "Deployment default/productpage-v1"}));
    }

    void serviceWithItsEndpoints() {
        const OutlineBuilder builder(m_bookinfo.resources);
        const auto outline = builder.inspectAt(kBookinfo + "platform.yaml", 93);
        QVERIFY(outline);
        QCOMPARE(outline->kind, std::string("Service"));
        QCOMPARE(outline->resource, std::string("Service default/reviews"));
        QCOMPARE(outline->span.line, 88u);
        QCOMPARE(value(*outline, {"metadata", "name"}), QStringLiteral("reviews"));
        QCOMPARE(value(*outline, {"spec", "ports[0]"}), QStringLiteral("9080/TCP (http)"));
        QCOMPARE(value(*outline, {"spec", "selector"}), QStringLiteral("app=reviews"));
        QCOMPARE(value(*outline, {"endpoints"}), QStringLiteral("3 workloads, 3 replicas"));
        QCOMPARE(value(*outline, {"endpoints", "Deployment default/reviews-v2"}),
                 QStringLiteral("1 replica · app=reviews, version=v2"));
        QCOMPARE(line(*outline, {"endpoints", "Deployment default/reviews-v3"}), 180);
    }

    void workloadSelectedByServiceAndSubset() {
        const OutlineBuilder builder(m_bookinfo.resources);
        const auto outline = builder.inspectAt(kBookinfo + "platform.yaml", 241);
        QVERIFY(outline);
        QCOMPARE(outline->resource, std::string("Deployment default/productpage-v1"));
        QCOMPARE(value(*outline, {"spec", "replicas"}), QStringLiteral("1"));
        QCOMPARE(line(*outline, {"spec", "replicas"}), 241);
        QCOMPARE(value(*outline, {"selected by"}), QStringLiteral("2"));
        QCOMPARE(value(*outline, {"selected by", "Service default/productpage"}),
                 QStringLiteral("app=productpage"));
        QCOMPARE(line(*outline, {"selected by", "subset v1 of DestinationRule default/productpage"}), 14);
    }

    void secretValuesAreNeverShown() {
        config::LoadResult loaded;
        config::loadText("secret.yaml", R"(apiVersion: v1
kind: Secret
metadata: {name: tls}
type: kubernetes.io/tls
data:
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t
)",
                         loaded);
        const OutlineBuilder builder(loaded.resources);
        const auto outline = builder.inspectAt("secret.yaml", 6);
        QVERIFY(outline);
        QCOMPARE(value(*outline, {"data", "tls.key"}), QStringLiteral("(hidden, 36 characters)"));
        QCOMPARE(line(*outline, {"data", "tls.key"}), 6);
        QCOMPARE(value(*outline, {"data"}), QString());
    }

    void writtenFieldsKeepTheirLines() {
        // Every row that comes from the schema points at a line; only derived sections may not.
        const OutlineBuilder builder(m_canary.resources);
        for (const auto& item : builder.locator().items()) {
            const Outline outline = builder.build(item);
            QVERIFY(!outline.nodes.empty());
            for (const OutlineNode& node : outline.nodes) {
                const bool derived = node.label == "destinations" || node.label == "endpoints" ||
                                     node.label == "workloads" || node.label == "selected by";
                QVERIFY2(derived || node.span.line > 0, node.label.c_str());
            }
        }
    }

private:
    config::LoadResult m_bookinfo;
    config::LoadResult m_canary;
};

QTEST_GUILESS_MAIN(OutlineBuilderTest)
#include "outline_builder_test.moc"
