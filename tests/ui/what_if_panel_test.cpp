// SPDX-License-Identifier: Apache-2.0
#include "bridge/core_bridge.h"
#include "editor/autosave_store.h"
#include "editor/editor_page.h"
#include "editor/editor_tabs.h"
#include "editor/yaml_editor.h"
#include "live/weighted_rules.h"
#include "widgets/what_if_panel.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace sluice::ui;

namespace {

/// The canary sample copied to a temporary folder, opened in a bridge, editor tabs and the panel.
struct Fixture {
    QTemporaryDir dir;
    CoreBridge bridge;
    EditorTabs tabs{bridge};
    WhatIfPanel panel{tabs};
    QString vsFile;
    std::string original;

    Fixture() {
        tabs.setAutosaveStore(AutosaveStore(dir.filePath(QStringLiteral("autosave"))));
        tabs.setRevalidateDelay(20);
        for (const char* name : {"gateway.yaml", "workloads.yaml"})
            QFile::copy(QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary/") + QLatin1String(name),
                        dir.filePath(QLatin1String(name)));
        vsFile = dir.filePath(QStringLiteral("gateway.yaml"));
        QFile f(vsFile);
        if (f.open(QIODevice::ReadOnly))
            original = f.readAll().toStdString();
        QObject::connect(&bridge, &CoreBridge::snapshotReady, &panel, &WhatIfPanel::setSnapshot);
    }
    bool load() {
        bridge.open({dir.path()});
        return QTest::qWaitFor([&] { return !bridge.busy() && bridge.current(); }, 20000);
    }
    /// Waits for a snapshot whose weighted rule has `stable` / `canary` percent.
    bool waitForSplit(double stable, double canary) {
        return QTest::qWaitFor(
            [&] {
                if (bridge.busy() || !bridge.current())
                    return false;
                const auto rules = live::weightedRules(*bridge.current()->table);
                return rules.size() == 1 && rules[0].targets[0].percent == stable &&
                       rules[0].targets[1].percent == canary;
            },
            20000);
    }
    [[nodiscard]] std::string buffer() {
        EditorPage* page = tabs.pageFor(vsFile);
        return page ? page->editor()->utf8Text() : std::string("(no tab)");
    }
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    return at == std::string::npos ? "(missing " + from + ")" : text.replace(at, from.size(), to);
}

} // namespace

class WhatIfPanelTest : public QObject {
    Q_OBJECT

private slots:
    // A slider moves the split: the YAML buffer gets the new weights (nothing else changes), the
    // bridge revalidates and its snapshot routes 50/50; undo gives the 90/10 text back.
    void sliderEditsTheYamlAndTheBridgeFollows() {
        Fixture f;
        QVERIFY(f.load());
        QVERIFY(f.panel.isEnabled());
        QCOMPARE(f.panel.ruleBox().count(), 1);
        QCOMPARE(f.panel.sliders().size(), std::size_t(2));
        QCOMPARE(f.panel.sliders()[0]->value(), 90);

        f.panel.sliders()[1]->setValue(50); // as the keyboard moves it (not dragged): applies at once
        QCOMPARE(f.panel.sliders()[0]->value(), 50);
        const std::string expected =
            replaced(replaced(f.original, "weight: 90", "weight: 50"), "weight: 10", "weight: 50");
        QCOMPARE(f.buffer(), expected);
        QVERIFY(f.waitForSplit(50, 50));
        QCOMPARE(f.panel.sliders()[1]->value(), 50); // refreshed from the new snapshot

        f.tabs.pageFor(f.vsFile)->editor()->undo();
        QCOMPARE(f.buffer(), f.original);
        QVERIFY(f.waitForSplit(90, 10));
    }

    // Fault and timeout through apply(): inserted into the buffer; a bad duration is refused.
    void faultAndTimeout() {
        Fixture f;
        QVERIFY(f.load());
        config::RuleSettings s{{90, 10}, std::nullopt, "2s"};
        config::FaultSettings abort;
        abort.abort = true;
        abort.abortPercent = 20;
        s.fault = abort;
        QVERIFY(f.panel.apply(s));
        QVERIFY(f.buffer().find("    fault:\n      abort:\n        percentage:\n          value: 20\n"
                                "        httpStatus: 503\n    timeout: 2s\n---\n") != std::string::npos);
        QVERIFY(QTest::qWaitFor(
            [&] {
                if (f.bridge.busy() || !f.bridge.current())
                    return false;
                for (const auto& vs : f.bridge.current()->loaded.resources.virtualServices)
                    if (vs.header.name() == "frontend" && !vs.spec.http.empty())
                        return vs.spec.http[0].timeout.present;
                return false;
            },
            20000));
        s.timeout = "two seconds";
        QVERIFY(!f.panel.apply(s));
        QCOMPARE(f.panel.message(), QStringLiteral("\"two seconds\" is not a duration (e.g. 2s, 500ms)"));
    }
};

QTEST_MAIN(WhatIfPanelTest)
#include "what_if_panel_test.moc"
