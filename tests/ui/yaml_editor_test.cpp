// SPDX-License-Identifier: Apache-2.0
#include "../core/config/cursor_mark.h"
#include "editor/yaml_editor.h"

#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

using sluice::model::Level;
using sluice::ui::EditorMark;
using sluice::ui::YamlEditor;

namespace {

constexpr const char* kVirtualService = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - match:
    - uri:
        prefix: /v2
    route:
    - destination:
        host: reviews
        subset: v2
)";

QStringList names(const std::vector<sluice::config::Completion>& completions) {
    QStringList out;
    for (const auto& c : completions)
        out << QString::fromStdString(c.text);
    out.sort();
    return out;
}

} // namespace

class YamlEditorTest : public QObject {
    Q_OBJECT

private slots:
    void loadsAndReportsTextAsUtf8Bytes() {
        YamlEditor editor;
        const std::string text = "a: \"caf\xc3\xa9\"\nb: 1\n";
        editor.loadText(text);
        QCOMPARE(editor.utf8Text(), text);
        QVERIFY(!editor.isModified());
        QVERIFY(!editor.isUndoAvailable());
        editor.goTo(2, 4);
        QCOMPARE(editor.cursorLine(), 2);
        QCOMPARE(editor.cursorColumn(), 4);
        editor.goTo(1, 99); // clamped to the end of the line (bytes: é is two)
        QCOMPARE(editor.cursorColumn(), 11);
        const std::string bom = "\xEF\xBB\xBF"
                                "a: 1\r\nb: 2\r\n";
        editor.loadText(bom);
        QCOMPARE(editor.utf8Text(), bom); // byte-order mark and line ends kept
    }

    void undoesAndRedoes() {
        YamlEditor editor;
        editor.loadText("a: 1\n");
        editor.replaceText("a: 2\n");
        QVERIFY(editor.isModified());
        editor.undo();
        QCOMPARE(editor.utf8Text(), std::string("a: 1\n"));
        QVERIFY(!editor.isModified());
        editor.redo();
        QCOMPARE(editor.utf8Text(), std::string("a: 2\n"));
    }

    void marksDiagnosticsInTheMarginAndUnderTheToken() {
        YamlEditor editor;
        editor.loadText(kVirtualService);
        editor.diagnostics().set(
            {{15, 17, Level::Error, QStringLiteral("IST0101"), QStringLiteral("no subset v2")},
             {15, 17, Level::Warning, QStringLiteral("IST0999"), QStringLiteral("second")},
             {6, 3, Level::Info, QStringLiteral("SLU0003"), QStringLiteral("a note")}});
        QCOMPARE(editor.diagnostics().markerLevel(14), std::optional<Level>(Level::Error));
        QCOMPARE(editor.diagnostics().markerLevel(5), std::optional<Level>(Level::Info));
        QCOMPARE(editor.diagnostics().markerLevel(13), std::nullopt);
        // `subset: v2` — the squiggle covers "v2" and nothing else.
        QCOMPARE(editor.diagnostics().squiggleLevel(editor.positionAt(15, 17)),
                 std::optional<Level>(Level::Error));
        QCOMPARE(editor.diagnostics().squiggleLevel(editor.positionAt(15, 18)),
                 std::optional<Level>(Level::Error));
        QCOMPARE(editor.diagnostics().squiggleLevel(editor.positionAt(15, 16)), std::nullopt);
        QCOMPARE(editor.diagnostics().squiggleLevel(editor.positionAt(15, 19)), std::nullopt);
        // `hosts:` — a key is underlined up to its colon.
        QVERIFY(editor.diagnostics().squiggleLevel(editor.positionAt(6, 7)));
        QCOMPARE(editor.diagnostics().squiggleLevel(editor.positionAt(6, 8)), std::nullopt);

        const QString tip = editor.diagnostics().toolTipAtPosition(editor.positionAt(15, 18));
        QCOMPARE(tip, QStringLiteral("IST0101 (Error): no subset v2\nIST0999 (Warning): second"));
        QCOMPARE(editor.diagnostics().toolTipForLine(5), QStringLiteral("SLU0003 (Info): a note"));
        QCOMPARE(editor.diagnostics().toolTipAtPosition(editor.positionAt(1, 1)), QString());

        editor.diagnostics().set({});
        QCOMPARE(editor.diagnostics().markerLevel(14), std::nullopt);
        QCOMPARE(editor.diagnostics().squiggleLevel(editor.positionAt(15, 17)), std::nullopt);
    }

    void hoveringASquiggleOrAMarkerShowsTheDiagnostic() {
        YamlEditor editor;
        editor.resize(600, 400);
        editor.loadText(kVirtualService);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.diagnostics().set(
            {{15, 17, Level::Error, QStringLiteral("IST0101"), QStringLiteral("no subset v2")}});
        const long pos = editor.positionAt(15, 18);
        const int x = static_cast<int>(editor.SendScintilla(QsciScintilla::SCI_POINTXFROMPOSITION, 0UL, pos));
        const int y = static_cast<int>(editor.SendScintilla(QsciScintilla::SCI_POINTYFROMPOSITION, 0UL, pos));
        const QString tip = QStringLiteral("IST0101 (Error): no subset v2");
        QCOMPARE(editor.toolTipAt(pos, x, y), tip);
        QCOMPARE(editor.toolTipAt(-1, 3, y), tip); // over the line number of line 15
        QCOMPARE(editor.toolTipAt(editor.positionAt(15, 10), x - 60, y), QString()); // `subset`: no squiggle
        QCOMPARE(editor.toolTipAt(-1, 3, 5), QString());                             // line 1: no marker
        emit editor.SCN_DWELLSTART(static_cast<int>(pos), x, y); // as Scintilla does after a pause
        QTRY_COMPARE(QToolTip::text(), tip);
    }

    void marksFollowEditsAndNeverMoveTheCursorOrTheView() {
        YamlEditor editor;
        editor.resize(400, 120);
        std::string text;
        for (int i = 0; i < 200; ++i)
            text += "k" + std::to_string(i) + ": v\n";
        editor.loadText(text);
        editor.goTo(150, 2);
        const long first = editor.SendScintilla(QsciScintilla::SCI_GETFIRSTVISIBLELINE);
        QVERIFY(first > 0);
        editor.diagnostics().set({{20, 1, Level::Warning, QStringLiteral("X"), QStringLiteral("m")}});
        QCOMPARE(editor.cursorLine(), 150);
        QCOMPARE(editor.cursorColumn(), 2);
        QCOMPARE(editor.SendScintilla(QsciScintilla::SCI_GETFIRSTVISIBLELINE), first);
        // Scintilla carries the marker along when lines are inserted above it.
        editor.insertAt(QStringLiteral("new: line\n"), 0, 0);
        QCOMPARE(editor.diagnostics().markerLevel(20), std::optional<Level>(Level::Warning));
        QCOMPARE(editor.diagnostics().toolTipForLine(20), QStringLiteral("X (Warning): m"));
    }

    void dropsMarksOutsideTheText() {
        YamlEditor editor;
        editor.loadText("a: 1\n");
        editor.diagnostics().set({{40, 1, Level::Error, QStringLiteral("X"), QStringLiteral("gone")},
                                  {1, 0, Level::Error, QStringLiteral("Y"), QStringLiteral("whole line")}});
        QCOMPARE(editor.diagnostics().markerLevel(0), std::optional<Level>(Level::Error));
        QVERIFY(editor.diagnostics().squiggleLevel(0));
        QCOMPARE(editor.diagnostics().toolTipForLine(0), QStringLiteral("Y (Error): whole line"));
    }

    void completesFromTheSchema_data() {
        QTest::addColumn<QByteArray>("marked");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("spec, hosts and http written")
            << QByteArray("kind: VirtualService\nspec:\n  hosts:\n  - reviews\n  ‸\n  http: []\n")
            << sluice::test::strings({"exportTo", "gateways", "tcp", "tls"});
        QTest::newRow("a match") << QByteArray("kind: VirtualService\nspec:\n  http:\n  - match:\n    - ‸\n")
                                 << sluice::test::strings(
                                        {"authority", "gateways", "headers", "ignoreUriCase", "method",
                                         "name", "port", "queryParams", "scheme", "sourceLabels",
                                         "sourceNamespace", "statPrefix", "uri", "withoutHeaders"});
        QTest::newRow("StringMatch, prefix written")
            << QByteArray(
                   "kind: VirtualService\nspec:\n  http:\n  - match:\n    - uri:\n        prefix: /v2\n   "
                   "     ‸\n")
            << sluice::test::strings({"exact", "regex"});
        QTest::newRow("Destination, host and subset written")
            << QByteArray(
                   "kind: VirtualService\nspec:\n  http:\n  - route:\n    - destination:\n        host: "
                   "r\n        ‸\n        subset: v2\n")
            << sluice::test::strings({"port"});
        QTest::newRow("kind value") << QByteArray("apiVersion: v1\nkind: ‸\n")
                                    << sluice::test::strings({"Deployment", "DestinationRule", "Gateway",
                                                              "Pod", "Secret", "Service", "ServiceEntry",
                                                              "VirtualService", "Workload"});
    }

    void completesFromTheSchema() {
        QFETCH(QByteArray, marked);
        QFETCH(QStringList, expected);
        const sluice::test::Marked m = sluice::test::unmark(marked);
        YamlEditor editor;
        editor.loadText(m.text);
        editor.goTo(static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1);
        QCOMPARE(names(editor.completionsAtCursor()), expected);
    }

    void insertsTheChosenCompletion() {
        YamlEditor editor;
        editor.setAutoCompletionPopup(false);
        editor.loadText("kind: VirtualService\nspec:\n  ho\n");
        editor.goTo(3, 5);
        QVERIFY(editor.showCompletions());
        QVERIFY(editor.isListActive());
        editor.insertCompletion(QStringLiteral("hosts"));
        QCOMPARE(editor.utf8Text(), std::string("kind: VirtualService\nspec:\n  hosts: \n"));
        QCOMPARE(editor.cursorColumn(), 10);
        editor.undo();
        QCOMPARE(editor.utf8Text(), std::string("kind: VirtualService\nspec:\n  ho\n"));

        // The rest of the word under the cursor is replaced too.
        editor.loadText("kind: Virtual\n");
        editor.goTo(1, 9);
        editor.insertCompletion(QStringLiteral("VirtualService"));
        QCOMPARE(editor.utf8Text(), std::string("kind: VirtualService\n"));
        // A value right after the colon gets its space.
        editor.loadText("kind:\n");
        editor.goTo(1, 6);
        editor.insertCompletion(QStringLiteral("Gateway"));
        QCOMPARE(editor.utf8Text(), std::string("kind: Gateway\n"));
    }

    void typingPopsCompletionUpAndEnterTakesIt() {
        YamlEditor editor;
        editor.loadText("kind: Gateway\nspec:\n  servers:\n  - tls:\n      \n");
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.goTo(5, 7);
        QTest::keyClicks(&editor, QStringLiteral("mo"));
        QCOMPARE(editor.utf8Text(), std::string("kind: Gateway\nspec:\n  servers:\n  - tls:\n      mo\n"));
        QVERIFY(editor.isListActive());
        QTest::keyClick(&editor, Qt::Key_Return);
        QCOMPARE(editor.utf8Text(),
                 std::string("kind: Gateway\nspec:\n  servers:\n  - tls:\n      mode: \n"));
        // Typing its value offers the enum values.
        QTest::keyClicks(&editor, QStringLiteral("MU"));
        QVERIFY(editor.isListActive());
    }

    void reportsTheCursorLine() {
        YamlEditor editor;
        editor.loadText(kVirtualService);
        QSignalSpy spy(&editor, &YamlEditor::cursorLineChanged);
        editor.goTo(7, 3);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).toInt(), 7);
        editor.goTo(7, 5);
        QCOMPARE(spy.count(), 1); // same line: no signal
    }

    void reloadKeepsTheCursorAndTheView() {
        YamlEditor editor;
        editor.resize(400, 120);
        std::string text;
        for (int i = 0; i < 100; ++i)
            text += "k" + std::to_string(i) + ": v\n";
        editor.loadText(text);
        editor.goTo(60, 3);
        const long first = editor.SendScintilla(QsciScintilla::SCI_GETFIRSTVISIBLELINE);
        editor.reloadText("changed: 1\n" + text);
        QCOMPARE(editor.cursorLine(), 60);
        QCOMPARE(editor.cursorColumn(), 3);
        QCOMPARE(editor.SendScintilla(QsciScintilla::SCI_GETFIRSTVISIBLELINE), first);
        QVERIFY(!editor.isModified());
    }
};

QTEST_MAIN(YamlEditorTest)
#include "yaml_editor_test.moc"
