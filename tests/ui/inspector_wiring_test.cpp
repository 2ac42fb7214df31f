// SPDX-License-Identifier: Apache-2.0
// The Inspector and Export as MainWindow wires them: selecting a resource or a problem inspects it,
// Ctrl+E opens the Export dialog.
#include "editor/editor_page.h"
#include "editor/editor_tabs.h"
#include "editor/yaml_editor.h"
#include "graph/flow_scene.h"
#include "graph/flow_view.h"
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
#include <QTabWidget>
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

    // A node selected in the graph moves the editor to its YAML (the graph stays in view) and
    // inspects it; moving the editor's cursor selects the node that YAML made.
    void flowNodeAndEditorCursorFollowEachOther() {
        CoreBridge bridge;
        sluice::ui::ColorTheme theme(*qApp);
        MainWindow window(bridge, theme);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        auto* flow = window.findChild<sluice::ui::FlowView*>();
        auto* editor = window.findChild<sluice::ui::EditorTabs*>();
        auto* tabs = qobject_cast<QTabWidget*>(window.centralWidget());
        QVERIFY(flow && editor && tabs);
        QTRY_VERIFY_WITH_TIMEOUT(!flow->flowScene().nodeItems().empty(), 20000);

        QVERIFY(flow->findNode(QStringLiteral("productpage-v1")));
        const auto& graph = *flow->flowScene().graph();
        const auto& node = graph.nodes()[*flow->flowScene().selectedNode()];
        QVERIFY(editor->currentPage());
        QVERIFY(editor->currentPage()->path().endsWith(QStringLiteral("platform.yaml")));
        QCOMPARE(editor->currentPage()->editor()->cursorLine(), int(node.span.line));
        QCOMPARE(tabs->currentWidget(), flow); // the graph stays in view
        QVERIFY2(window.findChild<sluice::ui::InspectorPanel*>()->title().contains(
                     QStringLiteral("productpage-v1")),
                 qPrintable(window.findChild<sluice::ui::InspectorPanel*>()->title()));

        // The other way: the cursor on the VirtualService's first rule selects that rule's node.
        const auto rule = graph.find("rule:default/bookinfo/http/0");
        QVERIFY(rule);
        const auto& ruleNode = graph.nodes()[*rule];
        editor->showSource(QString::fromStdString(
                               std::string(bridge.current()->loaded.resources.fileName(ruleNode.span.file))),
                           int(ruleNode.span.line));
        QCOMPARE(flow->flowScene().selectedNode(), rule);
        QCOMPARE(tabs->currentWidget(), editor);
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
