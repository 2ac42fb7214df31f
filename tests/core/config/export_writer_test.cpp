// SPDX-License-Identifier: Apache-2.0
#include "config/export_writer.h"
#include "config/loader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;

namespace {

void writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

const QByteArray kService =
    "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n";

} // namespace

class ExportWriterTest : public QObject {
    Q_OBJECT

private slots:
    void detectsInputsAmongOutputs() {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("in.yaml"));
        writeText(input, kService);
        const config::LoadResult loaded = config::loadPaths({dir.path().toStdString()});
        const config::ExportPlan plan = config::planExport(loaded.resources);
        // The same file under another spelling is still the input.
        const std::string sameFile = QString(dir.path() + QStringLiteral("/./in.yaml")).toStdString();
        QCOMPARE(config::overwrittenInputs(config::exportPaths(plan, sameFile), loaded.resources),
                 std::vector<std::string>{sameFile});
        const std::string other = dir.filePath(QStringLiteral("out.yaml")).toStdString();
        QVERIFY(config::overwrittenInputs(config::exportPaths(plan, other), loaded.resources).empty());
    }

    void writesSplitFilesIntoANewDirectory() {
        QTemporaryDir dir;
        config::LoadResult loaded;
        config::loadText("in.yaml", QByteArray(kService + "---\n" + kService).toStdString(), loaded);
        config::dropRedefinedResources(loaded);
        const config::ExportPlan plan = config::planExport(loaded.resources, {{}, true, false});
        const QString out = dir.filePath(QStringLiteral("nested/out"));
        std::string error;
        QVERIFY2(config::writeExport(plan, out.toStdString(), true, &error), error.c_str());
        QCOMPARE(QDir(out).entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 (QStringList{QStringLiteral("service-default-a-2.yaml"),
                              QStringLiteral("service-default-a.yaml")}));
        QFile f(out + QStringLiteral("/service-default-a.yaml"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), kService);
    }

    void refusesMismatchedTargets() {
        QTemporaryDir dir;
        config::LoadResult loaded;
        config::loadText("in.yaml", kService.toStdString(), loaded);
        std::string error;
        const config::ExportPlan single = config::planExport(loaded.resources);
        QVERIFY(!config::writeExport(single, dir.path().toStdString(), false, &error));
        QVERIFY2(error.find("--split") != std::string::npos, error.c_str());
        const QString file = dir.filePath(QStringLiteral("file.yaml"));
        writeText(file, "x");
        const config::ExportPlan split = config::planExport(loaded.resources, {{}, true, false});
        QVERIFY(!config::writeExport(split, file.toStdString(), true, &error));
        QVERIFY2(error.find("not a directory") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(ExportWriterTest)
#include "export_writer_test.moc"
