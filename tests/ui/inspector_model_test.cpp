// SPDX-License-Identifier: Apache-2.0
#include "models/inspector_model.h"
#include "widgets/inspector_panel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using sluice::ui::ConfigSnapshot;
using sluice::ui::InspectorModel;
using sluice::ui::InspectorPanel;

namespace {

const QString kBookinfo = QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo/");

/// The row reached by following Property labels from the top level; invalid when one is missing.
QModelIndex find(const QAbstractItemModel& model, const QStringList& path) {
    QModelIndex parent;
    for (const QString& label : path) {
        QModelIndex found;
        for (int row = 0; row < model.rowCount(parent); ++row) {
            const QModelIndex candidate = model.index(row, InspectorModel::PropertyColumn, parent);
            if (candidate.data().toString() == label)
                found = candidate;
        }
        if (!found.isValid())
            return {};
        parent = found;
    }
    return parent;
}

QString valueOf(const QAbstractItemModel& model, const QStringList& path) {
    const QModelIndex i = find(model, path);
    return i.isValid() ? i.siblingAtColumn(InspectorModel::ValueColumn).data().toString()
                       : QStringLiteral("<missing>");
}

} // namespace

class InspectorModelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_bookinfo = ConfigSnapshot::build({kBookinfo.toStdString()}); }

    void inspectAt_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("valueLine");
        QTest::newRow("gateway server")
            << "gateway.yaml" << 13
            << "Gateway server · Gateway istio-system/bookinfo-gateway · servers[0] http"
            << QStringList{QStringLiteral("port"), QStringLiteral("number")} << "80" << 13;
        QTest::newRow("virtual service rule")
            << "virtualservice.yaml" << 16
            << "VirtualService http rule · VirtualService default/bookinfo · http[0]"
            << QStringList{QStringLiteral("destinations"), QStringLiteral("productpage:9080")} << "100 %"
            << 24;
        QTest::newRow("rule destination service")
            << "virtualservice.yaml" << 25
            << "VirtualService http rule · VirtualService default/bookinfo · http[0]"
            << QStringList{QStringLiteral("destinations"), QStringLiteral("productpage:9080"),
                           QStringLiteral("service")}
            << "Service default/productpage" << 219;
        QTest::newRow("subset")
            << "destinationrule.yaml" << 15
            << "DestinationRule subset · DestinationRule default/productpage · subsets[0] v1"
            << QStringList{QStringLiteral("labels"), QStringLiteral("version")} << "v1" << 16;
        QTest::newRow("service endpoints")
            << "platform.yaml" << 17 << "Service · Service default/details"
            << QStringList{QStringLiteral("endpoints"), QStringLiteral("Deployment default/details-v1")}
            << "1 replica · app=details, version=v1" << 22;
        QTest::newRow("workload selected by")
            << "platform.yaml" << 30 << "Deployment · Deployment default/details-v1"
            << QStringList{QStringLiteral("selected by"), QStringLiteral("Service default/details")}
            << "app=details" << 8;
    }

    void inspectAt() {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(QString, title);
        QFETCH(QStringList, path);
        QFETCH(QString, value);
        QFETCH(int, valueLine);
        InspectorModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(m_bookinfo);
        QVERIFY(model.inspectAt(kBookinfo + file, line));
        QCOMPARE(model.title(), title);
        const QModelIndex row = find(model, path);
        QVERIFY(row.isValid());
        QCOMPARE(valueOf(model, path), value);
        QCOMPARE(row.data(InspectorModel::LineRole).toInt(), valueLine);
        QCOMPARE(row.siblingAtColumn(InspectorModel::LineColumn).data().toInt(), valueLine);
        QVERIFY(row.data(InspectorModel::FileRole).toString().startsWith(kBookinfo));
    }

    void emptyBetweenDocumentsAndKeptAcrossSnapshots() {
        InspectorModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!model.inspectAt(kBookinfo + QStringLiteral("gateway.yaml"), 13)); // no snapshot yet
        model.setSnapshot(m_bookinfo);
        QVERIFY(!model.inspectAt(kBookinfo + QStringLiteral("platform.yaml"), 21)); // a `---` line
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.title(), QString());
        QVERIFY(model.inspectAt(kBookinfo + QStringLiteral("gateway.yaml"), 13));
        const int rows = model.rowCount();
        QVERIFY(rows > 0);
        // A new snapshot of the same files (re-validation): the same item is shown again.
        model.setSnapshot(ConfigSnapshot::build({kBookinfo.toStdString()}));
        QCOMPARE(model.rowCount(), rows);
        QVERIFY(model.title().startsWith(QStringLiteral("Gateway server")));
        model.setSnapshot(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void derivedRowsHaveNoLine() {
        InspectorModel model;
        model.setSnapshot(m_bookinfo);
        QVERIFY(model.inspectAt(kBookinfo + QStringLiteral("virtualservice.yaml"), 14));
        const QModelIndex destinations = find(model, {QStringLiteral("destinations")});
        QVERIFY(destinations.data(InspectorModel::DerivedRole).toBool());
        QVERIFY(!destinations.siblingAtColumn(InspectorModel::LineColumn).data().isValid());
        QCOMPARE(destinations.data(InspectorModel::LineRole).toInt(), 0);
        QVERIFY(!find(model, {QStringLiteral("match[0]")}).data(InspectorModel::DerivedRole).toBool());
    }

    void panelShowsTitleAndRequestsSource() {
        InspectorPanel panel;
        panel.setSnapshot(m_bookinfo);
        panel.inspectAt(kBookinfo + QStringLiteral("gateway.yaml"), 17);
        QCOMPARE(panel.title(),
                 QStringLiteral("Gateway server · Gateway istio-system/bookinfo-gateway · servers[0] http"));
        QSignalSpy spy(&panel, &InspectorPanel::sourceRequested);
        auto* tree = panel.findChild<QTreeView*>();
        QVERIFY(tree);
        const QModelIndex hosts = find(*tree->model(), {QStringLiteral("hosts"), QStringLiteral("[0]")});
        QVERIFY(hosts.isValid());
        emit tree->activated(hosts);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), kBookinfo + QStringLiteral("gateway.yaml"));
        QCOMPARE(spy.at(0).at(1).toInt(), 17);
        emit tree->activated(find(*tree->model(), {QStringLiteral("port")}).parent()); // invalid: nothing
        QCOMPARE(spy.count(), 1);
    }

private:
    sluice::ui::ConfigSnapshotPtr m_bookinfo;
};

QTEST_MAIN(InspectorModelTest)
#include "inspector_model_test.moc"
