// SPDX-License-Identifier: Apache-2.0
#include "config/export_preview.h"
#include "config/loader.h"

#include <QTest>

using namespace sluice;

namespace {

const std::string kBookinfo = SLUICE_SOURCE_DIR "/samples/bookinfo";

config::LoadResult loadInline(const char* yaml) {
    config::LoadResult loaded;
    config::loadText("in.yaml", yaml, loaded);
    return loaded;
}

} // namespace

class ExportPreviewTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_bookinfo = config::loadPaths({kBookinfo}); }

    void unchangedExportHasNoDiff() {
        const config::ExportPreview preview =
            config::previewExport(m_bookinfo.resources, {}, "/tmp/out.yaml");
        QCOMPARE(preview.plan.files.size(), std::size_t{1});
        QCOMPARE(preview.paths, std::vector<std::string>{"/tmp/out.yaml"});
        QCOMPARE(QString::fromStdString(preview.diff), QString());
        QCOMPARE(preview.plan.files.front().text, config::loadedStream(m_bookinfo.resources));
    }

    void otherApiVersionChangesOneLinePerResource() {
        const config::ExportPreview preview =
            config::previewExport(m_bookinfo.resources, {"v1", false, false}, "/tmp/out.yaml");
        const QString diff = QString::fromStdString(preview.diff);
        QVERIFY2(diff.startsWith(QStringLiteral("--- (as loaded)\n+++ /tmp/out.yaml\n@@ ")),
                 qPrintable(diff));
        QVERIFY(diff.contains(QStringLiteral("\n-apiVersion: networking.istio.io/v1alpha3\n")));
        QVERIFY(diff.contains(QStringLiteral("\n+apiVersion: networking.istio.io/v1\n")));
        // Gateway, VirtualService, DestinationRule: rewritten canonically, so more than the
        // apiVersion line may move, but every networking resource says v1 now.
        QVERIFY(preview.deletions >= 3);
        QVERIFY(preview.insertions >= 3);
        QVERIFY(
            !QString::fromStdString(preview.plan.files.front().text).contains(QStringLiteral("v1alpha3")));
    }

    void splitFilesAreDiffedOneByOne() {
        const config::ExportPreview preview =
            config::previewExport(m_bookinfo.resources, {"v1beta1", true, false}, "/tmp/split");
        QCOMPARE(preview.paths.size(), preview.plan.files.size());
        QVERIFY(preview.paths.front().starts_with("/tmp/split/"));
        const QString diff = QString::fromStdString(preview.diff);
        QVERIFY2(diff.contains(QStringLiteral("--- a/gateway-istio-system-bookinfo-gateway.yaml\n"
                                              "+++ b/gateway-istio-system-bookinfo-gateway.yaml\n")),
                 qPrintable(diff));
        QVERIFY(diff.contains(QStringLiteral("+apiVersion: networking.istio.io/v1beta1\n")));
        QVERIFY(!diff.contains(QStringLiteral("service-default-details.yaml"))); // unchanged: no diff
    }

    void droppedSecretShowsAsDeleted() {
        const config::LoadResult loaded = loadInline(R"(apiVersion: v1
kind: Service
metadata: {name: a}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Secret
metadata: {name: tls}
stringData:
  tls.key: secret
)");
        const config::ExportPreview preview = config::previewExport(loaded.resources, {}, "out.yaml");
        QCOMPARE(preview.plan.dropped, std::size_t{1});
        QVERIFY(QString::fromStdString(preview.diff).contains(QStringLiteral("\n-kind: Secret\n")));
        QCOMPARE(preview.insertions, std::size_t{0});
    }

private:
    config::LoadResult m_bookinfo;
};

QTEST_GUILESS_MAIN(ExportPreviewTest)
#include "export_preview_test.moc"
