// SPDX-License-Identifier: Apache-2.0
// The Inspector and Export as MainWindow wires them: selecting a resource or a problem inspects it,
// Ctrl+E opens the Export dialog.
#include "models/problems_model.h"
#include "models/resource_tree_model.h"
#include "widgets/color_theme.h"
#include "widgets/export_dialog.h"
#include "widgets/inspector_panel.h"
#include "widgets/main_window.h"

#include <QAction>
#include <QApplication>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using sluice::ui::CoreBridge;
using sluice::ui::MainWindow;

namespace {

/// The view showing a `Model`, directly or through a filter proxy.
template <class Model, class View> View* viewOf(const QWidget& window) {
    for (View* view : window.findChildren<View*>()) {
        QAbstractItemModel* model = view->model();
        if (auto* proxy = qobject_cast<QSortFilterProxyModel*>(model))
            model = proxy->sourceModel();
        if (qobject_cast<Model*>(model))
            return view;
    }
    return nullptr;
}

} // namespace

class InspectorWiringTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // keep the user's settings alone

    void resourceSelectionInspectsIt() {
        CoreBridge bridge;
        sluice::ui::ColorTheme theme(*qApp);
        MainWindow window(bridge, theme);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() != nullptr, 20000);
        auto* inspector = window.findChild<sluice::ui::InspectorPanel*>();
        auto* tree = viewOf<sluice::ui::ResourceTreeModel, QTreeView>(window);
        QVERIFY(inspector && tree);
        const QModelIndex gateways = tree->model()->index(0, 0);
        tree->setCurrentIndex(tree->model()->index(0, 0, tree->model()->index(0, 0, gateways)));
        QCOMPARE(inspector->title(), QStringLiteral("Gateway · Gateway istio-system/bookinfo-gateway"));
        tree->setCurrentIndex(gateways); // a kind: no item
        QCOMPARE(inspector->title(), QString());
    }

    void problemSelectionInspectsTheItemAtItsLine() {
        CoreBridge bridge;
        sluice::ui::ColorTheme theme(*qApp);
        MainWindow window(bridge, theme);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() != nullptr, 20000);
        auto* problems = viewOf<sluice::ui::ProblemsModel, QTableView>(window);
        QVERIFY(problems);
        problems->setCurrentIndex(problems->model()->index(0, 0));
        QCOMPARE(window.findChild<sluice::ui::InspectorPanel*>()->title(),
                 QStringLiteral("VirtualService http rule · VirtualService default/shop · http[0]"));
    }

    void ctrlEOpensTheExportDialog() {
        CoreBridge bridge;
        sluice::ui::ColorTheme theme(*qApp);
        MainWindow window(bridge, theme);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() != nullptr, 20000);
        QAction* exportAction = nullptr;
        for (QAction* action : window.findChildren<QAction*>())
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_E))
                exportAction = action;
        QVERIFY(exportAction);
        exportAction->trigger();
        auto* dialog = window.findChild<sluice::ui::ExportDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        dialog->close();
    }
};

QTEST_MAIN(InspectorWiringTest)
#include "inspector_wiring_test.moc"
