// SPDX-License-Identifier: Apache-2.0
// Bounded line reading: line ends, a BOM, over-long lines, chunk boundaries, the byte budget.
#include "traffic/line_reader.h"

#include <sstream>

#include <QTest>

using sluice::traffic::LineReader;

namespace {

struct Read {
    std::vector<std::string> lines; ///< "<too long N>" for an over-long line
    std::vector<std::size_t> numbers;
    bool stopped = false;
};

Read readAll(const std::string& text, std::size_t maxLine = 1 << 20, std::uint64_t maxTotal = 1 << 30) {
    std::istringstream in(text);
    LineReader reader(in, maxLine, maxTotal);
    LineReader::Line line;
    Read out;
    while (reader.next(line)) {
        out.lines.push_back(line.tooLong ? "<too long " + std::to_string(line.length) + ">"
                                         : std::string(line.text));
        out.numbers.push_back(line.number);
    }
    out.stopped = reader.stoppedAtLimit();
    return out;
}

using Lines = std::vector<std::string>;

} // namespace

class LineReaderTest : public QObject {
    Q_OBJECT

private slots:
    void lineEnds_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArrayList>("lines");
        QTest::newRow("empty") << QByteArray() << QByteArrayList{};
        QTest::newRow("lf") << QByteArray("a\nb\n") << QByteArrayList{"a", "b"};
        QTest::newRow("no final newline") << QByteArray("a\nb") << QByteArrayList{"a", "b"};
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QByteArrayList{"a", "b"};
        QTest::newRow("lone cr kept inside") << QByteArray("a\rb\n") << QByteArrayList{"a\rb"};
        QTest::newRow("blank lines") << QByteArray("\n\n") << QByteArrayList{"", ""};
        QTest::newRow("bom on line 1 only") << QByteArray("\xEF\xBB\xBF"
                                                          "a\n\xEF\xBB\xBF b\n")
                                            << QByteArrayList{"a", "\xEF\xBB\xBF b"};
        QTest::newRow("nul bytes") << QByteArray("a\0b\nc", 5) << QByteArrayList{QByteArray("a\0b", 3), "c"};
    }
    void lineEnds() {
        QFETCH(QByteArray, text);
        QFETCH(QByteArrayList, lines);
        const Read read = readAll(text.toStdString());
        QCOMPARE(read.lines.size(), std::size_t(lines.size()));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QCOMPARE(QByteArray::fromStdString(read.lines[std::size_t(i)]), lines[i]);
            QCOMPARE(read.numbers[std::size_t(i)], std::size_t(i + 1));
        }
    }

    // Over the cap: reported with its full length (CR excluded), the next lines still right.
    void overLongLines() {
        const std::string text = "short\n" + std::string(100, 'x') + "\r\nafter\n" + std::string(10, 'y');
        const Read read = readAll(text, 10);
        QCOMPARE(read.lines, (Lines{"short", "<too long 100>", "after", "yyyyyyyyyy"}));
        QCOMPARE(read.numbers, (std::vector<std::size_t>{1, 2, 3, 4}));
    }

    // Lines crossing the 64 KiB read chunks come out whole.
    void chunkBoundaries() {
        std::string text;
        Lines expected;
        for (int i = 0; i < 3000; ++i) {
            expected.push_back(std::string(std::size_t(i % 97), char('a' + i % 26)) + std::to_string(i));
            text += expected.back() + (i % 3 == 0 ? "\r\n" : "\n");
        }
        QCOMPARE(readAll(text).lines, expected);
        const std::string big(200000, 'z');
        QCOMPARE(readAll(big + "\n" + big).lines, (Lines{big, big}));
    }

    // The byte budget stops reading and says so; exactly at the budget is not a stop.
    void byteBudget() {
        const Read cut = readAll("aaaa\nbbbb\ncccc\n", 1 << 20, 7);
        QCOMPARE(cut.lines, (Lines{"aaaa", "bb"}));
        QVERIFY(cut.stopped);
        const Read exact = readAll("aaaa\n", 1 << 20, 5);
        QCOMPARE(exact.lines, (Lines{"aaaa"}));
        QVERIFY(!exact.stopped);
    }
};

QTEST_GUILESS_MAIN(LineReaderTest)
#include "line_reader_test.moc"
