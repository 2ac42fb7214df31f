// SPDX-License-Identifier: Apache-2.0
#include "model/hex_digits.h"

#include <QTest>

using namespace sluice::model;

class HexDigitsTest : public QObject {
    Q_OBJECT

private slots:
    // Every byte: the sixteen digits of either case, and nothing else.
    void everyByte() {
        for (int b = 0; b < 256; ++b) {
            const char c = static_cast<char>(b);
            int expected = -1;
            if (b >= '0' && b <= '9')
                expected = b - '0';
            else if (b >= 'a' && b <= 'f')
                expected = b - 'a' + 10;
            else if (b >= 'A' && b <= 'F')
                expected = b - 'A' + 10;
            QCOMPARE(hexDigitValue(c), expected);
        }
    }

    void bytes() {
        static_assert(hexByte('2', 'F') == 0x2F);
        QCOMPARE(hexByte('f', 'f').value_or(0), static_cast<unsigned char>(0xFF));
        QCOMPARE(hexByte('0', '0').value_or(1), static_cast<unsigned char>(0));
        QVERIFY(!hexByte('g', '0'));
        QVERIFY(!hexByte('0', ' '));
        QVERIFY(!hexByte('\0', 'a'));
    }
};

QTEST_GUILESS_MAIN(HexDigitsTest)
#include "hex_digits_test.moc"
