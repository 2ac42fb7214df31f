// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "models/export_findings_model.h"
#include "validate/validator.h"
#include "widgets/export_dialog.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using sluice::ui::ConfigSnapshot;
using sluice::ui::ExportDialog;
using sluice::ui::ExportFindingsModel;
namespace model = sluice::model;

namespace {

/// Errors found when loading and validating what an export wrote.
std::size_t errorsIn(const QString& path) {
    const auto loaded = sluice::config::loadPaths({path.toStdString()});
    model::Diagnostics all = loaded.diagnostics;
    for (auto& d : sluice::validate::validate(loaded.resources))
        all.push_back(std::move(d));
    return static_cast<std::size_t>(
        std::count_if(all.begin(), all.end(), [](const auto& d) { return d.level == model::Level::Error; }));
}

} // namespace

class ExportDialogTest : public QObject {
    Q_OBJECT

private slots:
    void findingsListErrorsFirst() {
        ExportFindingsModel findings;
        QAbstractItemModelTester tester(&findings, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model::Diagnostics list{{"IST0132", model::Level::Warning, "w", {0, 3, 1}, {}, {}},
                                {"IST0101", model::Level::Error, "e1", {0, 9, 1}, {}, {}},
                                {"IST0118", model::Level::Info, "i", {0, 1, 1}, {}, {}},
                                {"IST0106", model::Level::Error, "e2", {0, 12, 5}, {}, {}}};
        findings.setFindings(list, {"a/b.yaml"});
        QCOMPARE(findings.rowCount(), 4);
        QCOMPARE(findings.errorCount(), 2);
        QCOMPARE(findings.warningCount(), 1);
        const auto code = [&](int row) {
            return findings.index(row, ExportFindingsModel::CodeColumn).data().toString();
        };
        QCOMPARE(code(0), QStringLiteral("IST0101")); // errors first, each group in its original order
        QCOMPARE(code(1), QStringLiteral("IST0106"));
        QCOMPARE(code(2), QStringLiteral("IST0132"));
        QCOMPARE(code(3), QStringLiteral("IST0118"));
        QCOMPARE(findings.index(1, ExportFindingsModel::LocationColumn).data().toString(),
                 QStringLiteral("b.yaml:12:5"));
        QCOMPARE(findings.index(1, 0).data(ExportFindingsModel::LineRole).toInt(), 12);
    }

    void exportsBookinfoThatValidatesClean() {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("bookinfo.yaml"));
        ExportDialog dialog(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/bookinfo"}));
        QVERIFY(!dialog.exportEnabled()); // no destination yet
        dialog.setTarget(target);
        QVERIFY(dialog.exportEnabled());
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        QVERIFY(dialog.startExport());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(dialog.writtenPaths(), QStringList{target});
        QVERIFY2(dialog.resultText().contains(target), qPrintable(dialog.resultText()));
        QVERIFY(QFile::exists(target));
        QCOMPARE(errorsIn(target), std::size_t{0});
        QCOMPARE(
            sluice::config::loadPaths({target.toStdString()}).resources.resourceCount(),
            sluice::config::loadPaths({SLUICE_SOURCE_DIR "/samples/bookinfo"}).resources.resourceCount());
    }

    void brokenConfigIsRefusedUntilConfirmed() {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("out.yaml"));
        ExportDialog dialog(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml"}));
        dialog.setTarget(target);
        QVERIFY(!dialog.exportEnabled());
        QCOMPARE(dialog.findings().errorCount(), 1);
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        QVERIFY(dialog.startExport());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(dialog.resultText().contains(QStringLiteral("refusing to export: 1 error(s) remain")),
                 qPrintable(dialog.resultText()));
        QVERIFY(!QFile::exists(target));
        QVERIFY(dialog.writtenPaths().isEmpty());

        dialog.setConfirmed(true);
        QVERIFY(dialog.exportEnabled());
        QVERIFY(dialog.startExport());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        QVERIFY(QFile::exists(target));
        QCOMPARE(errorsIn(target), std::size_t{1}); // exported as it was, error included
    }

    void previewShowsTheApiVersionChange() {
        ExportDialog dialog(ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/bookinfo"}));
        QSignalSpy updated(&dialog, &ExportDialog::previewUpdated);
        QVERIFY(updated.wait(10000));
        QCOMPARE(dialog.previewText(), QString()); // kept as loaded: nothing changes
        QCOMPARE(dialog.findings().rowCount(), 0);
        dialog.setApiVersion(QStringLiteral("v1"));
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.previewText().contains(QStringLiteral("\n-apiVersion: networking.istio.io/v1alpha3\n")),
            10000);
        QVERIFY(dialog.previewText().contains(QStringLiteral("\n+apiVersion: networking.istio.io/v1\n")));
        dialog.setSplit(true);
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.previewText().contains(QStringLiteral("+++ b/virtualservice-default-bookinfo.yaml")),
            10000);
    }
};

QTEST_MAIN(ExportDialogTest)
#include "export_dialog_test.moc"
