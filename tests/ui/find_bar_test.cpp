// SPDX-License-Identifier: Apache-2.0
#include "editor/find_bar.h"
#include "editor/yaml_editor.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>

using sluice::ui::FindBar;
using sluice::ui::YamlEditor;

namespace {

constexpr const char* kText = "host: Reviews\n  # reviews v1\nsubset: reviews\n";

/// An editor over a find bar in a window, as EditorTabs arranges them.
struct Fixture {
    QWidget window;
    YamlEditor* editor = new YamlEditor(&window);
    FindBar* bar = new FindBar(&window);

    Fixture() {
        auto* layout = new QVBoxLayout(&window);
        layout->addWidget(editor);
        layout->addWidget(bar);
        bar->setEditor(editor);
        editor->loadText(kText);
        editor->goTo(1, 1);
    }

    /// The 1-based line and column where the selection starts.
    [[nodiscard]] QPair<int, int> selectionStart() const {
        int line = 0;
        int index = 0;
        int toLine = 0;
        int toIndex = 0;
        editor->getSelection(&line, &index, &toLine, &toIndex);
        return {line + 1, index + 1};
    }
};

} // namespace

class FindBarTest : public QObject {
    Q_OBJECT

private slots:
    void findsForwardAndBackwardWrappingAround() {
        Fixture f;
        f.bar->setFindText(QStringLiteral("reviews"));
        QVERIFY(f.bar->findNext());
        QCOMPARE(f.selectionStart(), qMakePair(1, 7)); // "Reviews": case ignored by default
        QVERIFY(f.bar->findNext());
        QCOMPARE(f.selectionStart(), qMakePair(2, 5));
        QVERIFY(f.bar->findNext());
        QCOMPARE(f.selectionStart(), qMakePair(3, 9));
        QVERIFY(f.bar->findNext()); // wraps to the start
        QCOMPARE(f.selectionStart(), qMakePair(1, 7));
        QVERIFY(f.bar->findNext(true)); // back, wrapping to the end
        QCOMPARE(f.selectionStart(), qMakePair(3, 9));
        QVERIFY(f.bar->findNext(true));
        QCOMPARE(f.selectionStart(), qMakePair(2, 5));
        QCOMPARE(f.editor->selectedText(), QStringLiteral("reviews"));
    }

    void matchesCaseWhenAsked() {
        Fixture f;
        f.bar->setMatchCase(true);
        f.bar->setFindText(QStringLiteral("Reviews"));
        QVERIFY(f.bar->findNext());
        QCOMPARE(f.selectionStart(), qMakePair(1, 7));
        QVERIFY(f.bar->findNext());
        QCOMPARE(f.selectionStart(), qMakePair(1, 7)); // the only one
        f.bar->setFindText(QStringLiteral("REVIEWS"));
        QVERIFY(!f.bar->findNext());
    }

    void replacesOneAtATimeAndAll() {
        Fixture f;
        f.bar->setFindText(QStringLiteral("reviews"));
        f.bar->setReplaceText(QStringLiteral("ratings"));
        QVERIFY(f.bar->replaceNext()); // nothing selected yet: finds the first match
        QCOMPARE(f.editor->utf8Text(), std::string(kText));
        QVERIFY(f.bar->replaceNext()); // replaces it, selects the next
        QCOMPARE(f.editor->utf8Text(), std::string("host: ratings\n  # reviews v1\nsubset: reviews\n"));
        f.editor->undo();
        QCOMPARE(f.editor->utf8Text(), std::string(kText));

        f.bar->setMatchCase(true);
        QCOMPARE(f.bar->replaceAll(), 2);
        QCOMPARE(f.editor->utf8Text(), std::string("host: Reviews\n  # ratings v1\nsubset: ratings\n"));
        f.editor->undo(); // one edit
        QCOMPARE(f.editor->utf8Text(), std::string(kText));
        f.bar->setMatchCase(false);
        f.bar->setReplaceText(QStringLiteral("reviews-v2")); // the replacement holds the text: no loop
        QCOMPARE(f.bar->replaceAll(), 3);
    }

    void keyboard() {
        Fixture f;
        f.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.window));
        f.bar->open(false);
        QVERIFY(f.bar->isVisible());
        QVERIFY(!f.bar->replaceField()->isVisible());
        QTest::keyClicks(f.bar->findField(), QStringLiteral("reviews"));
        QTest::keyClick(f.bar->findField(), Qt::Key_Return);
        QCOMPARE(f.selectionStart(), qMakePair(1, 7));
        QTest::keyClick(f.bar->findField(), Qt::Key_Return);
        QCOMPARE(f.selectionStart(), qMakePair(2, 5));
        QTest::keyClick(f.bar->findField(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(f.selectionStart(), qMakePair(1, 7));
        QSignalSpy closed(f.bar, &FindBar::closed);
        QTest::keyClick(f.bar->findField(), Qt::Key_Escape);
        QVERIFY(!f.bar->isVisible());
        QCOMPARE(closed.count(), 1);

        f.bar->open(true);
        QVERIFY(f.bar->replaceField()->isVisible());
        QCOMPARE(f.bar->findField()->text(), QStringLiteral("Reviews")); // seeded with the selection
    }
};

QTEST_MAIN(FindBarTest)
#include "find_bar_test.moc"
