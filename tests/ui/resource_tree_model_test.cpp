// SPDX-License-Identifier: Apache-2.0
#include "models/resource_tree_model.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QTest>

using sluice::ui::ConfigSnapshot;
using sluice::ui::ResourceTreeModel;

namespace {

QModelIndex kindRow(const ResourceTreeModel& model, const QString& kind) {
    for (int i = 0; i < model.rowCount(); ++i)
        if (model.index(i, 0).data().toString().startsWith(kind + QStringLiteral(" (")))
            return model.index(i, 0);
    return {};
}

} // namespace

class ResourceTreeModelTest : public QObject {
    Q_OBJECT

private slots:
    void bookinfoByKind() {
        ResourceTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/bookinfo"}));
        const QModelIndex gateways = kindRow(model, QStringLiteral("Gateway"));
        QVERIFY(gateways.isValid());
        QCOMPARE(model.rowCount(gateways), 1);
        const QModelIndex istioSystem = model.index(0, 0, gateways);
        QCOMPARE(istioSystem.data().toString(), QStringLiteral("istio-system (1)"));
        QVERIFY(istioSystem.data(ResourceTreeModel::FileRole).isNull());
        const QModelIndex gateway = model.index(0, 0, istioSystem);
        QCOMPARE(gateway.data().toString(), QStringLiteral("bookinfo-gateway"));
        QCOMPARE(gateway.parent(), istioSystem);
        QCOMPARE(istioSystem.parent(), gateways);
        QVERIFY(gateway.data(Qt::DecorationRole).isNull()); // no badge on a clean resource
        QVERIFY(
            gateway.data(ResourceTreeModel::FileRole).toString().endsWith(QStringLiteral("gateway.yaml")));
        QVERIFY(gateway.data(ResourceTreeModel::LineRole).toInt() >= 1);
        QCOMPARE(gateway.data(ResourceTreeModel::ErrorCountRole).toInt(), 0);
        const QModelIndex services = kindRow(model, QStringLiteral("Service"));
        QVERIFY(services.isValid());
        QCOMPARE(services.data().toString(),
                 QStringLiteral("Service (4)")); // productpage, details, reviews, ratings
        QCOMPARE(model.rowCount(services), 1);   // all in default
        QCOMPARE(model.rowCount(model.index(0, 0, services)), 4);
    }

    // Namespaces sort by name under their kind, whatever order the files define them in.
    void namespacesSortUnderTheirKind() {
        ResourceTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto snapshot = std::make_shared<ConfigSnapshot>();
        for (const char* ns : {"zeta", "alpha", "zeta", "mid"})
            sluice::config::loadText("svc.yaml",
                                     std::string("apiVersion: v1\nkind: Service\nmetadata:\n  name: s") +
                                         std::to_string(snapshot->loaded.resources.services.size()) +
                                         "\n  namespace: " + ns + "\n",
                                     snapshot->loaded);
        model.setSnapshot(snapshot);
        const QModelIndex services = kindRow(model, QStringLiteral("Service"));
        QCOMPARE(services.data().toString(), QStringLiteral("Service (4)"));
        QStringList order;
        for (int i = 0; i < model.rowCount(services); ++i)
            order << model.index(i, 0, services).data().toString();
        QCOMPARE(order, (QStringList{QStringLiteral("alpha (1)"), QStringLiteral("mid (1)"),
                                     QStringLiteral("zeta (2)")}));
        const QModelIndex zeta = model.index(2, 0, services);
        QCOMPARE(model.index(1, 0, zeta).data().toString(), QStringLiteral("s2"));
        QCOMPARE(model.index(1, 0, zeta).parent(), zeta);
    }

    void countsFindingsPerResource() {
        ResourceTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml"}));
        const QModelIndex vss = kindRow(model, QStringLiteral("VirtualService"));
        QVERIFY(vss.isValid());
        const QModelIndex vs = model.index(0, 0, model.index(0, 0, vss));
        QCOMPARE(vs.data(ResourceTreeModel::ErrorCountRole).toInt(), 1);
        // The badge climbs: a collapsed kind still shows that something under it is wrong.
        QCOMPARE(vss.data(ResourceTreeModel::ErrorCountRole).toInt(), 1);
        QVERIFY(!vss.data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(vs.data(ResourceTreeModel::ResourceRole).toString(),
                 QStringLiteral("VirtualService default/shop"));
        model.setSnapshot(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(ResourceTreeModelTest)
#include "resource_tree_model_test.moc"
