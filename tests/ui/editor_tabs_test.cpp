// SPDX-License-Identifier: Apache-2.0
#include "config/atomic_file.h"
#include "editor/editor_page.h"
#include "editor/editor_tabs.h"
#include "editor/find_bar.h"
#include "editor/info_bar.h"
#include "editor/yaml_editor.h"
#include "widgets/color_theme.h"
#include "widgets/main_window.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using sluice::model::Level;
using sluice::ui::CoreBridge;
using sluice::ui::EditorPage;
using sluice::ui::EditorTabs;
using sluice::ui::YamlEditor;

namespace {

constexpr const char* kGateway = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*"
)";

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

ino_t inodeOf(const QString& path) {
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

/// Editor tabs over their own bridge, with autosaves in a temporary folder and short delays.
struct Fixture {
    QTemporaryDir dir;
    CoreBridge bridge;
    std::unique_ptr<EditorTabs> tabs;

    Fixture() { tabs = makeTabs(); }

    [[nodiscard]] std::unique_ptr<EditorTabs> makeTabs() {
        auto t = std::make_unique<EditorTabs>(bridge);
        t->setAutosaveStore(sluice::ui::AutosaveStore(dir.filePath(QStringLiteral("autosave"))));
        t->setRevalidateDelay(50);
        t->setAutosaveDelays(50, 60000);
        return t;
    }

    QString write(const QString& name, const QByteArray& text) {
        const QString path = dir.filePath(name);
        writeAll(path, text);
        return path;
    }

    /// Opens `paths` in the bridge and waits for the snapshot.
    bool load(const QStringList& paths) {
        bridge.open(paths);
        return QTest::qWaitFor([&] { return !bridge.busy() && bridge.current(); }, 20000);
    }
};

} // namespace

class EditorTabsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Every broken sample says where its problem is: `# expect: CODE line N`.
    void showsABrokenSamplesDiagnosticOnItsLine_data() {
        QTest::addColumn<QString>("file");
        QDirIterator it(QStringLiteral(SLUICE_SOURCE_DIR "/samples/broken"), {QStringLiteral("*.yaml")});
        QStringList files;
        while (it.hasNext())
            files << it.next();
        files.sort();
        QVERIFY(files.size() >= 10);
        for (const QString& f : files)
            QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
    }

    void showsABrokenSamplesDiagnosticOnItsLine() {
        QFETCH(QString, file);
        Fixture f;
        QVERIFY(f.load({file}));
        QCOMPARE(f.tabs->count(), 1); // a new config shows its first file
        const EditorPage* page = f.tabs->currentPage();
        QVERIFY(page);
        const auto& marks = page->editor()->diagnostics();
        static const QRegularExpression expect(QStringLiteral("^# expect: (\\S+) line (\\d+)"),
                                               QRegularExpression::MultilineOption);
        auto matches = expect.globalMatch(QString::fromUtf8(readAll(file)));
        int checked = 0;
        while (matches.hasNext()) {
            const auto m = matches.next();
            const QString code = m.captured(1);
            const int line = m.captured(2).toInt();
            const auto d = std::find_if(marks.marks().begin(), marks.marks().end(), [&](const auto& mark) {
                return mark.code == code && mark.line == line;
            });
            QVERIFY2(d != marks.marks().end(), qPrintable(code));
            QVERIFY(marks.markerLevel(line - 1).has_value());
            QVERIFY(*marks.markerLevel(line - 1) >= d->level);
            const long at = page->editor()->positionAt(line, d->column);
            QVERIFY2(marks.squiggleLevel(at).has_value(), qPrintable(code));
            QVERIFY(marks.toolTipAtPosition(at).contains(code));
            QVERIFY(marks.toolTipForLine(line - 1).contains(code));
            ++checked;
        }
        QVERIFY(checked > 0);
    }

    void revalidatesWhileTypingWithoutTouchingTheFile() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        QVERIFY(f.load({path}));
        EditorPage* page = f.tabs->pageFor(path);
        QVERIFY(page);
        auto retires = [page] {
            const auto& marks = page->editor()->diagnostics().marks();
            const auto it = std::find_if(marks.begin(), marks.end(), [](const auto& m) {
                return m.code == QStringLiteral("IST0106") && m.message.contains(QStringLiteral("retires"));
            });
            return it == marks.end() ? 0 : it->line;
        };
        QCOMPARE(retires(), 0);
        page->editor()->goTo(13, 1);
        page->editor()->insert(QStringLiteral("    retires: 3\n")); // a server's field, at line 13
        const int line = page->editor()->cursorLine();
        const int column = page->editor()->cursorColumn();
        QTRY_COMPARE_WITH_TIMEOUT(retires(), 13, 10000);
        QCOMPARE(page->editor()->diagnostics().markerLevel(12), std::optional<Level>(Level::Error));
        QCOMPARE(page->editor()->cursorLine(), line); // the snapshot moved neither cursor nor text
        QCOMPARE(page->editor()->cursorColumn(), column);
        QCOMPARE(readAll(path), QByteArray(kGateway));
        QCOMPARE(f.tabs->unsavedTexts().value(path).toStdString(), page->editor()->utf8Text());

        // A line above: the next snapshot puts the diagnostic one line down.
        page->editor()->insertAt(QStringLiteral("# note\n"), 0, 0);
        QTRY_COMPARE_WITH_TIMEOUT(retires(), 14, 10000);
        QCOMPARE(page->editor()->diagnostics().markerLevel(13), std::optional<Level>(Level::Error));
        QCOMPARE(page->editor()->cursorLine(), line + 1);
        QCOMPARE(readAll(path), QByteArray(kGateway));
    }

    void marksAFileWithAByteOrderMark() {
        Fixture f;
        QByteArray text = QByteArray("\xEF\xBB\xBF") + kGateway;
        text.replace("    hosts:", "    retires: 3\n    hosts:");
        const QString path = f.write(QStringLiteral("bom.yaml"), text);
        QVERIFY(f.load({path}));
        const EditorPage* page = f.tabs->pageFor(path);
        QCOMPARE(page->editor()->utf8Text(), text.toStdString()); // kept as it is, saved as it was
        QVERIFY(!page->editor()->diagnostics().marks().empty());
        QCOMPARE(page->editor()->diagnostics().marks().front().line, 13);
    }

    void reloadingTheConfigFromDiskKeepsTheBuffersDiagnostics() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        QVERIFY(f.load({path}));
        EditorPage* page = f.tabs->pageFor(path);
        page->editor()->insertAt(QStringLiteral("    retires: 3\n"), 12, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!page->editor()->diagnostics().marks().empty(), 10000);
        QVERIFY(f.load({path})); // Validate (F5) reads the files as saved
        QTRY_VERIFY_WITH_TIMEOUT(!f.bridge.busy() && f.bridge.current()->loaded.resources.files[0].text ==
                                                         page->editor()->utf8Text(),
                                 10000);
        QVERIFY(!page->editor()->diagnostics().marks().empty());
    }

    void savesAtomicallyAndTheTextRoundTrips() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        EditorPage* page = f.tabs->openFile(path);
        QVERIFY(page);
        page->editor()->insertAt(QStringLiteral("# caf\u00e9 \u2014 edited\n"), 0, 0);
        QVERIFY(page->isModified());
        QCOMPARE(f.tabs->modifiedFiles(), QStringList{path});
        const ino_t before = inodeOf(path);
        QVERIFY(f.tabs->saveCurrent());
        QVERIFY(!page->isModified());
        QCOMPARE(readAll(path).toStdString(), page->editor()->utf8Text());
        QVERIFY(readAll(path).startsWith("# caf\xc3\xa9 \xe2\x80\x94 edited\napiVersion"));
        QVERIFY(inodeOf(path) != before); // replaced by a rename, never written in place
        QCOMPARE(QDir(f.dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("gw.yaml")});
        // Reopened, the text is the same byte for byte.
        auto fresh = f.makeTabs();
        QCOMPARE(fresh->openFile(path)->editor()->utf8Text(), readAll(path).toStdString());
    }

    void marksModifiedTabsAndReportsTheCursorLine() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        QSignalSpy moved(f.tabs.get(), &EditorTabs::cursorMoved);
        QSignalSpy shown(f.tabs.get(), &EditorTabs::sourceShown);
        f.tabs->showSource(path, 9, 5);
        QCOMPARE(shown.count(), 1);
        QVERIFY(!moved.isEmpty());
        QCOMPARE(moved.last().at(0).toString(), path);
        QCOMPARE(moved.last().at(1).toInt(), 9);
        EditorPage* page = f.tabs->currentPage();
        QCOMPARE(page->editor()->cursorColumn(), 5);
        page->editor()->insert(QStringLiteral("x"));
        QCOMPARE(f.tabs->findChild<QTabWidget*>()->tabText(0), QStringLiteral("gw.yaml*"));
        page->editor()->undo();
        QCOMPARE(f.tabs->findChild<QTabWidget*>()->tabText(0), QStringLiteral("gw.yaml"));
        // The same file under another spelling is the same tab.
        QCOMPARE(f.tabs->openFile(f.dir.path() + QStringLiteral("/./gw.yaml")), page);
    }

    void reloadsAnUnmodifiedBufferWhenTheFileChanges() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        EditorPage* page = f.tabs->openFile(path);
        // Another program saves atomically (rename), then in place: both are seen.
        const std::string replaced = std::string(kGateway) + "# replaced\n";
        QVERIFY(sluice::config::writeFileAtomically(path.toStdString(), replaced));
        QTRY_COMPARE_WITH_TIMEOUT(page->editor()->utf8Text(), replaced, 5000);
        QVERIFY(!page->isModified());
        const QByteArray inPlace = QByteArray(kGateway) + "# in place\n";
        writeAll(path, inPlace);
        QTRY_COMPARE_WITH_TIMEOUT(page->editor()->utf8Text(), inPlace.toStdString(), 5000);
        QVERIFY(page->diskBar()->isHidden());
        // Our own save is not a change from outside.
        page->editor()->insertAt(QStringLiteral("# mine\n"), 0, 0);
        QVERIFY(f.tabs->save(page));
        QTest::qWait(300);
        QVERIFY(page->diskBar()->isHidden());
    }

    void asksBeforeReloadingAModifiedBuffer() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        EditorPage* page = f.tabs->openFile(path);
        page->editor()->insertAt(QStringLiteral("# mine\n"), 0, 0);
        const std::string mine = page->editor()->utf8Text();
        const std::string theirs = std::string(kGateway) + "# theirs\n";
        QVERIFY(sluice::config::writeFileAtomically(path.toStdString(), theirs));
        QTRY_VERIFY_WITH_TIMEOUT(!page->diskBar()->isHidden(), 5000);
        QVERIFY(page->diskBar()->message().contains(QStringLiteral("changed on disk")));
        QCOMPARE(page->editor()->utf8Text(), mine); // nothing lost while asking
        page->diskBar()->acceptButton()->click();   // Reload
        QCOMPARE(page->editor()->utf8Text(), theirs);
        QVERIFY(!page->isModified());

        // Keep mine: the buffer stays, and the next save writes it.
        page->editor()->insertAt(QStringLiteral("# mine again\n"), 0, 0);
        writeAll(path, "kind: Other\n");
        QTRY_VERIFY_WITH_TIMEOUT(!page->diskBar()->isHidden(), 5000);
        page->diskBar()->rejectButton()->click();
        QVERIFY(page->isModified());
        QVERIFY(f.tabs->saveCurrent());
        QCOMPARE(readAll(path).toStdString(), page->editor()->utf8Text());
    }

    void autosavesAndRecoversAfterACrash() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        EditorPage* page = f.tabs->openFile(path);
        page->editor()->insertAt(QStringLiteral("# unsaved work\n"), 0, 0);
        const std::string work = page->editor()->utf8Text();
        const QString copy = f.tabs->autosave().fileFor(path);
        QVERIFY(copy.startsWith(f.dir.path()));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(copy), 5000);
        QCOMPARE(readAll(path), QByteArray(kGateway)); // the file itself is untouched

        f.tabs.reset(); // a crash: nothing asked, nothing cleaned up
        QVERIFY(QFile::exists(copy));
        f.tabs = f.makeTabs();
        page = f.tabs->openFile(path);
        QVERIFY(!page->recoveryBar()->isHidden());
        QCOMPARE(page->editor()->utf8Text(), std::string(kGateway));
        page->recoveryBar()->acceptButton()->click(); // Restore
        QCOMPARE(page->editor()->utf8Text(), work);
        QVERIFY(page->isModified());
        QVERIFY(f.tabs->saveCurrent());
        QVERIFY(!QFile::exists(copy)); // saved: the copy is no longer needed

        // Discarding a recovery drops the copy too.
        page->editor()->insertAt(QStringLiteral("# more\n"), 0, 0);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(copy), 5000);
        f.tabs.reset();
        f.tabs = f.makeTabs();
        page = f.tabs->openFile(path);
        QVERIFY(!page->recoveryBar()->isHidden());
        page->recoveryBar()->rejectButton()->click();
        QVERIFY(!QFile::exists(copy));
        QVERIFY(!page->isModified());
    }

    void autosavesUnderTheAppsDataFolder() {
        const QString dir = sluice::ui::AutosaveStore::defaultDirectory();
        QVERIFY(dir.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)));
        QVERIFY(dir.contains(QStringLiteral("qttest"))); // test mode: never the user's real folder
    }

    void closingAsksAboutModifiedFiles() {
        Fixture f;
        const QString a = f.write(QStringLiteral("a.yaml"), kGateway);
        const QString b = f.write(QStringLiteral("b.yaml"), kGateway);
        const QString c = f.write(QStringLiteral("c.yaml"), kGateway);
        f.tabs->openFile(a)->editor()->insertAt(QStringLiteral("# a\n"), 0, 0);
        f.tabs->openFile(b);
        f.tabs->openFile(c)->editor()->insertAt(QStringLiteral("# c\n"), 0, 0);
        QStringList asked;
        auto choice = EditorTabs::CloseChoice::Cancel;
        f.tabs->setCloseQuestion([&](const QStringList& files) {
            asked = files;
            return choice;
        });
        QVERIFY(f.tabs->confirmClose() == false);
        QCOMPARE(asked, (QStringList{a, c}));
        QCOMPARE(f.tabs->modifiedFiles(), (QStringList{a, c}));

        choice = EditorTabs::CloseChoice::Save;
        QVERIFY(f.tabs->confirmClose());
        QVERIFY(readAll(a).startsWith("# a\n"));
        QVERIFY(readAll(c).startsWith("# c\n"));
        QCOMPARE(readAll(b), QByteArray(kGateway));

        // Closing one tab asks about that file only; Discard drops its autosaved copy.
        f.tabs->pageFor(b)->editor()->insertAt(QStringLiteral("# b\n"), 0, 0);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(f.tabs->autosave().fileFor(b)), 5000);
        choice = EditorTabs::CloseChoice::Discard;
        const int before = f.tabs->count();
        QVERIFY(f.tabs->closeTab(1));
        QCOMPARE(asked, QStringList{b});
        QCOMPARE(f.tabs->count(), before - 1);
        QVERIFY(!QFile::exists(f.tabs->autosave().fileFor(b)));
        QCOMPARE(readAll(b), QByteArray(kGateway));
        QVERIFY(f.tabs->confirmClose()); // nothing modified: nothing asked
    }

    void theWindowsShortcutsReachTheEditor() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        sluice::ui::ColorTheme theme(*qApp);
        sluice::ui::MainWindow window(f.bridge, theme);
        auto* tabs = window.findChild<EditorTabs*>();
        tabs->setCloseQuestion([](const QStringList&) { return EditorTabs::CloseChoice::Discard; });
        window.openPaths({path});
        QTRY_COMPARE_WITH_TIMEOUT(tabs->count(), 1, 20000);
        // The window opens on the flow graph; the user switches to the YAML tab.
        qobject_cast<QTabWidget*>(window.centralWidget())->setCurrentWidget(tabs);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        YamlEditor* editor = tabs->currentPage()->editor();
        editor->setFocus();
        QTRY_VERIFY(editor->hasFocus());
        QTest::keyClick(editor, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(tabs->findBar()->isVisible());
        QTest::keyClick(tabs->findBar()->findField(), Qt::Key_Escape);
        QVERIFY(!tabs->findBar()->isVisible());
        QTest::keyClick(editor, Qt::Key_H, Qt::ControlModifier);
        QVERIFY(tabs->findBar()->replaceField()->isVisible());
        QTest::keyClick(tabs->findBar()->findField(), Qt::Key_Escape);
        QTRY_VERIFY(editor->hasFocus());
        QTest::keyClicks(editor, QStringLiteral("# "));
        QVERIFY(tabs->currentPage()->isModified());
        QTest::keyClick(editor, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(!tabs->currentPage()->isModified());
        QVERIFY(readAll(path).startsWith("# "));
    }

    void theWindowAsksBeforeClosing() {
        Fixture f;
        const QString path = f.write(QStringLiteral("gw.yaml"), kGateway);
        sluice::ui::ColorTheme theme(*qApp);
        sluice::ui::MainWindow window(f.bridge, theme);
        auto* tabs = window.findChild<EditorTabs*>();
        QVERIFY(tabs);
        window.openPaths({path});
        QTRY_COMPARE_WITH_TIMEOUT(tabs->count(), 1, 20000);
        tabs->currentPage()->editor()->insertAt(QStringLiteral("# x\n"), 0, 0);
        auto choice = EditorTabs::CloseChoice::Cancel;
        tabs->setCloseQuestion([&](const QStringList&) { return choice; });
        window.show();
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        choice = EditorTabs::CloseChoice::Discard;
        QVERIFY(window.close());
        QCOMPARE(readAll(path), QByteArray(kGateway));
    }
};

QTEST_MAIN(EditorTabsTest)
#include "editor_tabs_test.moc"
