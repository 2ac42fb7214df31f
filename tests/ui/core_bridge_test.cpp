// SPDX-License-Identifier: Apache-2.0
#include "bridge/core_bridge.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using sluice::ui::ConfigSnapshotPtr;
using sluice::ui::CoreBridge;

class CoreBridgeTest : public QObject {
    Q_OBJECT

private slots:
    void deliversTheSnapshotOnTheGuiThread() {
        CoreBridge bridge;
        QThread* delivered = nullptr;
        ConfigSnapshotPtr got;
        connect(&bridge, &CoreBridge::snapshotReady, this, [&](const ConfigSnapshotPtr& s) {
            delivered = QThread::currentThread();
            got = s;
        });
        bridge.open({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QTRY_VERIFY_WITH_TIMEOUT(got != nullptr, 20000);
        QCOMPARE(delivered, QThread::currentThread());
        QCOMPARE(got, bridge.current());
        QCOMPARE(got->loaded.resources.gateways.size(), std::size_t(1));
        QVERIFY(got->table);
        QVERIFY(got->table->listeners().contains(80));
    }

    void aNewerOpenSupersedesARunningOne() {
        CoreBridge bridge;
        QSignalSpy spy(&bridge, &CoreBridge::snapshotReady);
        bridge.open({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        bridge.open({QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml")});
        QTRY_VERIFY_WITH_TIMEOUT(!bridge.busy() && spy.count() >= 1, 20000);
        QTest::qWait(100);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(bridge.current()->diagnostics.size(), std::size_t(1));
    }

    // Typing in the editor revalidates the buffer: the snapshot describes the unsaved text, the
    // file on disk stays as it was.
    void revalidateUsesTheUnsavedBuffer() {
        CoreBridge bridge;
        const QString file = QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml");
        bridge.open({file});
        QTRY_VERIFY_WITH_TIMEOUT(!bridge.busy() && bridge.current(), 20000);
        QCOMPARE(bridge.current()->diagnostics.size(), std::size_t(1));
        const std::string onDisk = bridge.current()->loaded.resources.files.at(0).text;
        std::string edited =
            onDisk + "\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: 80\n";
        bridge.revalidate({{file, QString::fromStdString(edited)}});
        QTRY_VERIFY_WITH_TIMEOUT(!bridge.busy() && bridge.current()->diagnostics.size() == 2, 20000);
        QCOMPARE(bridge.current()->loaded.resources.files.at(0).text, edited);
        bridge.revalidate({});
        QTRY_VERIFY_WITH_TIMEOUT(!bridge.busy() && bridge.current()->diagnostics.size() == 1, 20000);
    }
};

QTEST_GUILESS_MAIN(CoreBridgeTest)
#include "core_bridge_test.moc"
