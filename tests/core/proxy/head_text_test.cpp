// SPDX-License-Identifier: Apache-2.0
// HeadText: the writer every HTTP/1.1 head the proxy sends goes through.

#include "proxy/head_text.h"

#include <cstdint>
#include <limits>
#include <string>

#include <QTest>

using namespace sluice::proxy;

class HeadTextTest : public QObject {
    Q_OBJECT

private slots:
    void keepsWhatCameBeforeAndTrimsTheRoomItDidNotUse() {
        std::string out = "already here|";
        {
            HeadText text(out, 4096);
            text.put("HTTP/1.1 ").decimal(200).put(' ').put("OK").put("\r\n");
        }
        QCOMPARE(out, std::string("already here|HTTP/1.1 200 OK\r\n"));
    }

    // Heads larger than the estimate (a long cookie, many headers) grow the string, lose nothing.
    void growsPastItsEstimate() {
        std::string out;
        std::string expected;
        const std::string longValue(10'000, 'v');
        {
            HeadText text(out, 1);
            for (int i = 0; i < 50; ++i) {
                text.line("X-Header-" + std::to_string(i), i % 10 == 0 ? longValue : "short");
                expected +=
                    "x-header-" + std::to_string(i) + ": " + (i % 10 == 0 ? longValue : "short") + "\r\n";
            }
            text.put('\r').put('\n');
        }
        expected += "\r\n";
        QCOMPARE(out.size(), expected.size());
        QVERIFY(out == expected);
    }

    void decimalsMatchStdToString() {
        const std::int64_t values[] = {0,
                                       1,
                                       9,
                                       10,
                                       99,
                                       100,
                                       200,
                                       999,
                                       1000,
                                       2000,
                                       65535,
                                       -1,
                                       -42,
                                       1'234'567'890'123,
                                       std::numeric_limits<std::int64_t>::max(),
                                       std::numeric_limits<std::int64_t>::min()};
        for (const std::int64_t v : values) {
            std::string out = "n=";
            {
                HeadText text(out, 2); // also grows mid-number
                text.decimal(v);
            }
            QCOMPARE(out, "n=" + std::to_string(v));
        }
        // Every small number, each written after text so that a wrong length shows.
        for (std::int64_t v = -1100; v <= 1100; ++v) {
            std::string out;
            {
                HeadText text(out, 1);
                text.decimal(v).put('|');
            }
            QCOMPARE(out, std::to_string(v) + "|");
        }
    }

    void emptyPiecesWriteNothing() {
        std::string out = "x";
        {
            HeadText text(out, 0);
            text.put("").put(std::string_view());
        }
        QCOMPARE(out, std::string("x"));
        {
            HeadText text(out);
            text.line("", "");
        }
        QCOMPARE(out, std::string("x: \r\n"));
    }
};

QTEST_APPLESS_MAIN(HeadTextTest)
#include "head_text_test.moc"
