// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "inspect/item_locator.h"

#include <QTest>

using namespace sluice;
using inspect::ItemKind;
using inspect::ItemLocator;

Q_DECLARE_METATYPE(ItemKind)

namespace {

config::LoadResult loadInline(const char* yaml) {
    config::LoadResult loaded;
    config::loadText("inline.yaml", yaml, loaded);
    return loaded;
}

std::string nameOf(const inspect::ItemLocation& item) {
    return std::visit([](const auto* r) { return model::resourceName(*r); }, item.resource);
}

constexpr const char* kVirtualService = R"(# a comment before the document
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - name: jason
    match:
    - headers:
        end-user: {exact: jason}
    route:
    - destination: {host: reviews, subset: v2}
  # a comment between rules belongs to the rule above
  - name: default
    route:
    - destination: {host: reviews, subset: v1}
      weight: 100
  tcp:
  - route:
    - destination: {host: reviews}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
  - {name: v2, labels: {version: v2}}
)";

constexpr const char* kList = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: a}
  spec: {ports: [{port: 80}]}
- apiVersion: v1
  kind: Service
  metadata: {name: b}
  spec:
    ports:
    - port: 81
)";

} // namespace

class ItemLocatorTest : public QObject {
    Q_OBJECT

private slots:
    void innermostItem_data() {
        QTest::addColumn<int>("line");
        QTest::addColumn<ItemKind>("kind");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<int>("firstLine");
        QTest::addColumn<int>("lastLine");
        const QString vs = QStringLiteral("VirtualService default/reviews");
        const QString dr = QStringLiteral("DestinationRule default/reviews");
        QTest::newRow("comment before the document") << 1 << ItemKind::Resource << "" << vs << 1 << 22;
        QTest::newRow("metadata") << 5 << ItemKind::Resource << "" << vs << 1 << 22;
        QTest::newRow("hosts") << 7 << ItemKind::Resource << "" << vs << 1 << 22;
        QTest::newRow("http: key") << 8 << ItemKind::Resource << "" << vs << 1 << 22;
        QTest::newRow("first rule, its name") << 9 << ItemKind::HttpRoute << "spec.http[0]" << vs << 9 << 15;
        QTest::newRow("first rule, header match")
            << 12 << ItemKind::HttpRoute << "spec.http[0]" << vs << 9 << 15;
        QTest::newRow("first rule, destination")
            << 14 << ItemKind::HttpRoute << "spec.http[0]" << vs << 9 << 15;
        QTest::newRow("comment between rules")
            << 15 << ItemKind::HttpRoute << "spec.http[0]" << vs << 9 << 15;
        QTest::newRow("second rule, weight") << 19 << ItemKind::HttpRoute << "spec.http[1]" << vs << 16 << 19;
        QTest::newRow("tcp: key") << 20 << ItemKind::Resource << "" << vs << 1 << 22;
        QTest::newRow("tcp rule") << 22 << ItemKind::TcpRoute << "spec.tcp[0]" << vs << 21 << 22;
        QTest::newRow("second document") << 28 << ItemKind::Resource << "" << dr << 24 << 32;
        QTest::newRow("first subset") << 31 << ItemKind::Subset << "spec.subsets[0]" << dr << 30 << 31;
        QTest::newRow("flow-style subset") << 32 << ItemKind::Subset << "spec.subsets[1]" << dr << 32 << 32;
    }

    void innermostItem() {
        QFETCH(int, line);
        QFETCH(ItemKind, kind);
        QFETCH(QString, field);
        QFETCH(QString, resource);
        QFETCH(int, firstLine);
        QFETCH(int, lastLine);
        const config::LoadResult loaded = loadInline(kVirtualService);
        QVERIFY(loaded.diagnostics.empty());
        const ItemLocator locator(loaded.resources);
        const auto item = locator.locate("inline.yaml", static_cast<std::uint32_t>(line));
        QVERIFY(item);
        QCOMPARE(item->kind, kind);
        QCOMPARE(QString::fromStdString(item->field), field);
        QCOMPARE(QString::fromStdString(nameOf(*item)), resource);
        QCOMPARE(static_cast<int>(item->firstLine), firstLine);
        QCOMPARE(static_cast<int>(item->lastLine), lastLine);
    }

    void nothingOutsideDocuments() {
        const config::LoadResult loaded = loadInline(kVirtualService);
        const ItemLocator locator(loaded.resources);
        QVERIFY(!locator.locate("inline.yaml", 23)); // the `---` marker
        QVERIFY(!locator.locate("inline.yaml", 500));
        QVERIFY(!locator.locate("other.yaml", 2));
        QVERIFY(!locator.locate(7, 2)); // no such file
    }

    void listItemsAreResourcesOfTheirOwn() {
        const config::LoadResult loaded = loadInline(kList);
        QCOMPARE(loaded.resources.services.size(), std::size_t{2});
        const ItemLocator locator(loaded.resources);
        QCOMPARE(QString::fromStdString(nameOf(*locator.locate(0, 6))), QStringLiteral("Service default/a"));
        QCOMPARE(QString::fromStdString(nameOf(*locator.locate(0, 13))), QStringLiteral("Service default/b"));
        QVERIFY(!locator.locate(0, 2)); // `kind: List` is not a resource of its own
    }

    void bookinfoFiles() {
        const config::LoadResult loaded = config::loadPaths({SLUICE_SOURCE_DIR "/samples/bookinfo"});
        const ItemLocator locator(loaded.resources);
        const auto gateway =
            locator.locate(std::string(SLUICE_SOURCE_DIR "/samples/bookinfo/gateway.yaml"), 14);
        QVERIFY(gateway);
        QCOMPARE(gateway->kind, ItemKind::GatewayServer);
        QCOMPARE(gateway->field, std::string("spec.servers[0]"));
        // Another spelling of the same file.
        const auto same =
            locator.locate(std::string(SLUICE_SOURCE_DIR "/samples/./bookinfo/gateway.yaml"), 14);
        QVERIFY(same);
        QCOMPARE(same->field, gateway->field);
        const auto deployment =
            locator.locate(std::string(SLUICE_SOURCE_DIR "/samples/bookinfo/platform.yaml"), 30);
        QVERIFY(deployment);
        QCOMPARE(QString::fromStdString(nameOf(*deployment)),
                 QStringLiteral("Deployment default/details-v1"));
        QVERIFY(!locator.locate(std::string(SLUICE_SOURCE_DIR "/samples/bookinfo/platform.yaml"), 21)); // ---
        // Items are listed in file and line order, each resource before the items inside it.
        const auto& items = locator.items();
        for (std::size_t i = 1; i < items.size(); ++i)
            QVERIFY(std::tie(items[i - 1].file, items[i - 1].firstLine) <=
                    std::tie(items[i].file, items[i].firstLine));
    }
};

QTEST_GUILESS_MAIN(ItemLocatorTest)
#include "item_locator_test.moc"
