// SPDX-License-Identifier: Apache-2.0
#include "config/text_diff.h"

#include <random>

#include <QElapsedTimer>
#include <QTest>

using sluice::config::DiffLine;
using sluice::config::TextDiff;

namespace {

/// Rebuilds the new text from the old one and the hunks, so any diff can be checked for correctness.
std::string patched(const std::string& before, const TextDiff& diff) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < before.size()) {
        std::size_t end = before.find('\n', start);
        end = end == std::string::npos ? before.size() : end + 1;
        lines.push_back(before.substr(start, end - start));
        start = end;
    }
    std::string out;
    std::size_t next = 0; // next old line (0-based) not yet copied
    for (const auto& hunk : diff.hunks) {
        const std::size_t first = hunk.oldCount ? hunk.oldStart - 1 : hunk.oldStart;
        while (next < first)
            out += lines[next++];
        for (const DiffLine& line : hunk.lines) {
            if (line.op != DiffLine::Op::Insert)
                ++next;
            if (line.op != DiffLine::Op::Delete)
                out += line.text + (line.noNewline ? "" : "\n");
        }
    }
    while (next < lines.size())
        out += lines[next++];
    return out;
}

std::string numbered(int from, int to, const char* prefix = "line ") {
    std::string out;
    for (int i = from; i <= to; ++i)
        out += prefix + std::to_string(i) + "\n";
    return out;
}

} // namespace

class TextDiffTest : public QObject {
    Q_OBJECT

private slots:
    void unified_data() {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QString>("expected");
        QTest::newRow("identical") << "a\nb\n"
                                   << "a\nb\n"
                                   << "";
        QTest::newRow("both empty") << ""
                                    << ""
                                    << "";
        QTest::newRow("insertion") << "a\nb\nc\n"
                                   << "a\nb\nX\nc\n"
                                   << "--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n b\n+X\n c\n";
        QTest::newRow("deletion") << "a\nb\nc\n"
                                  << "a\nc\n"
                                  << "--- old\n+++ new\n@@ -1,3 +1,2 @@\n a\n-b\n c\n";
        QTest::newRow("change")
            << "apiVersion: networking.istio.io/v1alpha3\nkind: Gateway\n"
            << "apiVersion: networking.istio.io/v1\nkind: Gateway\n"
            << "--- old\n+++ new\n@@ -1,2 +1,2 @@\n-apiVersion: networking.istio.io/v1alpha3\n"
               "+apiVersion: networking.istio.io/v1\n kind: Gateway\n";
        QTest::newRow("from empty") << ""
                                    << "a\nb\n"
                                    << "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n";
        QTest::newRow("to empty") << "a\n"
                                  << ""
                                  << "--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n";
        QTest::newRow("final newline added")
            << "a\nb"
            << "a\nb\n"
            << "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of "
               "file\n+b\n";
    }

    void unified() {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(QString, expected);
        const std::string out =
            sluice::config::unifiedDiff(before.toStdString(), after.toStdString(), "old", "new");
        QCOMPARE(QString::fromStdString(out), expected);
    }

    void distantChangesMakeSeparateHunks() {
        const std::string before = numbered(1, 30);
        std::string after = before;
        after.replace(after.find("line 2\n"), 7, "line two\n");
        after.replace(after.find("line 25\n"), 8, "");
        const TextDiff diff = sluice::config::diffLines(before, after);
        QCOMPARE(diff.hunks.size(), std::size_t{2});
        QCOMPARE(diff.hunks[0].oldStart, 1u);
        QCOMPARE(diff.hunks[0].oldCount, 5u); // line 2 with one line before and three after
        QCOMPARE(diff.hunks[1].oldStart, 22u);
        QCOMPARE(diff.hunks[1].oldCount, 7u);
        QCOMPARE(diff.hunks[1].newStart, 22u);
        QCOMPARE(diff.hunks[1].newCount, 6u);
        QCOMPARE(diff.insertions, std::size_t{1});
        QCOMPARE(diff.deletions, std::size_t{2});
        QCOMPARE(patched(before, diff), after);
    }

    void nearbyChangesShareAHunk() {
        const std::string before = numbered(1, 20);
        std::string after = before;
        after.replace(after.find("line 5\n"), 7, "five\n");
        after.replace(after.find("line 10\n"), 8, "ten\n"); // 4 unchanged lines between: one hunk
        const TextDiff diff = sluice::config::diffLines(before, after);
        QCOMPARE(diff.hunks.size(), std::size_t{1});
        QCOMPARE(patched(before, diff), after);
    }

    void minimalOnSmallInputs() {
        // abcabba -> cbabac: the paper's example, edit distance 5.
        const TextDiff diff = sluice::config::diffLines("a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n");
        QCOMPARE(diff.insertions + diff.deletions, std::size_t{5});
        QVERIFY(!diff.approximate);
    }

    void randomEditsRoundTrip() {
        std::mt19937 rng(42);
        for (int round = 0; round < 300; ++round) {
            std::string before, after;
            const int n = static_cast<int>(rng() % 40), m = static_cast<int>(rng() % 40);
            for (int i = 0; i < n; ++i)
                before += std::string(1, static_cast<char>('a' + rng() % 4)) + "\n";
            for (int i = 0; i < m; ++i)
                after += std::string(1, static_cast<char>('a' + rng() % 4)) + "\n";
            if (rng() % 5 == 0 && !after.empty())
                after.pop_back();
            const TextDiff diff =
                sluice::config::diffLines(before, after, {static_cast<std::size_t>(rng() % 4)});
            QCOMPARE(patched(before, diff), after);
            QCOMPARE(diff.identical(), before == after);
        }
    }

    void hugeInputWithFewChangesIsFast() {
        const std::string before = numbered(1, 200000);
        std::string after = before;
        after.replace(after.find("line 1000\n"), 10, "changed\n");
        after += "appended\n";
        QElapsedTimer timer;
        timer.start();
        const TextDiff diff = sluice::config::diffLines(before, after);
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(diff.deletions, std::size_t{1});
        QCOMPARE(diff.insertions, std::size_t{2});
        QVERIFY(!diff.approximate);
    }

    void hugeUnrelatedInputsStayFastAndCorrect() {
        const std::string before = numbered(1, 60000, "old ");
        const std::string after = numbered(1, 60000, "new ");
        QElapsedTimer timer;
        timer.start();
        const TextDiff diff = sluice::config::diffLines(before, after);
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(diff.deletions, std::size_t{60000});
        QCOMPARE(diff.insertions, std::size_t{60000});
        QCOMPARE(patched(before, diff), after);
    }

    void interleavedHugeInputGivesUpGracefully() {
        // Many equal lines scattered among changes: a costly search that must stop and stay correct.
        std::string before, after;
        std::mt19937 rng(7);
        for (int i = 0; i < 40000; ++i) {
            before += std::to_string(rng() % 50) + "\n";
            after += std::to_string(rng() % 50) + "\n";
        }
        QElapsedTimer timer;
        timer.start();
        const TextDiff diff = sluice::config::diffLines(before, after);
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(patched(before, diff), after);
    }
};

QTEST_GUILESS_MAIN(TextDiffTest)
#include "text_diff_test.moc"
