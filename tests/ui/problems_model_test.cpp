// SPDX-License-Identifier: Apache-2.0
#include "models/problems_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

using sluice::ui::ConfigSnapshot;
using sluice::ui::ProblemsModel;

class ProblemsModelTest : public QObject {
    Q_OBJECT

private slots:
    void brokenSampleShowsItsDiagnosticAtTheRightLine() {
        ProblemsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setSnapshot(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml"}));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), int(ProblemsModel::ColumnCount));
        const QModelIndex code = model.index(0, ProblemsModel::CodeColumn);
        QCOMPARE(code.data().toString(), QStringLiteral("IST0101"));
        QCOMPARE(code.data(ProblemsModel::LineRole).toInt(), 18);
        QCOMPARE(code.data(ProblemsModel::ColumnRole).toInt(), 15);
        QVERIFY(
            code.data(ProblemsModel::FileRole).toString().endsWith(QStringLiteral("missing-subset.yaml")));
        QCOMPARE(model.index(0, ProblemsModel::LevelColumn).data().toString(), QStringLiteral("Error"));
        QVERIFY(model.index(0, ProblemsModel::LocationColumn)
                    .data()
                    .toString()
                    .endsWith(QStringLiteral(":18:15")));
        QCOMPARE(model.index(0, ProblemsModel::ResourceColumn).data().toString(),
                 QStringLiteral("VirtualService default/shop"));
    }

    void cleanSampleHasNoProblems() {
        ProblemsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/bookinfo"}));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.headerData(ProblemsModel::CodeColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Code"));
    }
};

QTEST_GUILESS_MAIN(ProblemsModelTest)
#include "problems_model_test.moc"
