// SPDX-License-Identifier: Apache-2.0
// Header name recognition and the writers' lowercasing (Envoy sends every header name lowercase).

#include "proxy/header_names.h"

#include <QTest>

using namespace sluice::proxy;

class HeaderNamesTest : public QObject {
    Q_OBJECT

private slots:
    // Every byte value, at every position of names up to 40 bytes long: ASCII capitals become
    // lowercase, everything else (digits, '@', '[', '`', '{', bytes >= 0x80) is kept as it is.
    void namesAreLowercasedByteForByte() {
        for (int value = 0; value < 256; ++value) {
            const char byte = static_cast<char>(value);
            const char expected = value >= 'A' && value <= 'Z' ? static_cast<char>(value + 32) : byte;
            for (std::size_t length = 1; length <= 40; ++length)
                for (std::size_t at = 0; at < length; ++at) {
                    std::string name(length, 'X');
                    name[at] = byte;
                    std::string line = "prefix";
                    appendHeaderLine(line, name, "Value");
                    std::string want = "prefix" + std::string(length, 'x') + ": Value\r\n";
                    want[6 + at] = expected;
                    if (line != want)
                        QFAIL(
                            qPrintable(QStringLiteral("byte %1 at %2 of %3").arg(value).arg(at).arg(length)));
                    std::string lowered;
                    appendLower(lowered, name);
                    QCOMPARE(lowered, want.substr(6, length));
                }
        }
    }

    void emptyNameAndValue() {
        std::string line;
        appendHeaderLine(line, "", "");
        QCOMPARE(line, std::string(": \r\n"));
    }

    void knownHeadersAreRecognisedInAnyCase() {
        QCOMPARE(classifyHeader("Content-Length"), KnownHeader::ContentLength);
        QCOMPARE(classifyHeader("TRANSFER-ENCODING"), KnownHeader::TransferEncoding);
        QCOMPARE(classifyHeader("x-forwarded-proto"), KnownHeader::XForwardedProto);
        QCOMPARE(classifyHeader("Content-Lengtx"), KnownHeader::Other);
        QCOMPARE(classifyHeader(""), KnownHeader::Other);
    }
};

QTEST_GUILESS_MAIN(HeaderNamesTest)
#include "header_names_test.moc"
