// SPDX-License-Identifier: Apache-2.0
#include "models/resource_tree_model.h"

#include <QAbstractItemModelTester>
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
        const QModelIndex gateway = model.index(0, 0, gateways);
        QCOMPARE(gateway.data().toString(), QStringLiteral("istio-system/bookinfo-gateway"));
        QCOMPARE(gateway.parent(), gateways);
        QVERIFY(
            gateway.data(ResourceTreeModel::FileRole).toString().endsWith(QStringLiteral("gateway.yaml")));
        QVERIFY(gateway.data(ResourceTreeModel::LineRole).toInt() >= 1);
        QCOMPARE(gateway.data(ResourceTreeModel::ErrorCountRole).toInt(), 0);
        const QModelIndex services = kindRow(model, QStringLiteral("Service"));
        QVERIFY(services.isValid());
        QCOMPARE(model.rowCount(services), 4); // productpage, details, reviews, ratings
    }

    void countsFindingsPerResource() {
        ResourceTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml"}));
        const QModelIndex vss = kindRow(model, QStringLiteral("VirtualService"));
        QVERIFY(vss.isValid());
        const QModelIndex vs = model.index(0, 0, vss);
        QCOMPARE(vs.data(ResourceTreeModel::ErrorCountRole).toInt(), 1);
        QCOMPARE(vs.data(ResourceTreeModel::ResourceRole).toString(),
                 QStringLiteral("VirtualService default/shop"));
        model.setSnapshot(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(ResourceTreeModelTest)
#include "resource_tree_model_test.moc"
