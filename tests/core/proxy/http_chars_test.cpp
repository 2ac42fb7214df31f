// SPDX-License-Identifier: Apache-2.0
// The word-at-a-time scanner gives the byte a byte-by-byte reading of the table gives: every
// byte value, at every position of a run that crosses the scanner's 8-byte steps, after plain
// text and after a rarer byte that sends a step down the slow path.
#include "proxy/http_chars.h"

#include <string>

#include <QTest>

using namespace sluice::proxy;

namespace {

template <bool ObsText> std::size_t fieldTextEndByBytes(std::string_view data, std::size_t at) {
    for (; at < data.size(); ++at) {
        const auto c = static_cast<unsigned char>(data[at]);
        if (!kFieldValueChar[c] || (!ObsText && c >= 0x80))
            return at;
    }
    return at;
}

// Runs of 21 bytes (two steps and a tail) of `fill`, with `before` at `early` and every byte value
// at every later position, read from every start in the first step.
template <class Scan, class Reference>
void compareEverywhere(char fill, char before, std::size_t early, Scan scan, Reference reference) {
    for (int value = 0; value < 256; ++value) {
        for (std::size_t pos = 0; pos < 21; ++pos) {
            std::string run(21, fill);
            if (early < pos)
                run[early] = before;
            run[pos] = static_cast<char>(value);
            for (std::size_t from = 0; from < 8; ++from) {
                const std::size_t got = scan(run, from);
                const std::size_t want = reference(run, from);
                if (got != want)
                    QFAIL(qPrintable(QStringLiteral("value %1 at %2, from %3: %4, the tables say %5")
                                         .arg(value)
                                         .arg(pos)
                                         .arg(from)
                                         .arg(got)
                                         .arg(want)));
            }
        }
    }
}

} // namespace

class HttpCharsTest : public QObject {
    Q_OBJECT

private slots:
    void fieldTextEndAgreesWithTheTable() {
        for (const char fill : {'a', ' ', '~'})
            for (const char before : {'a', '\t', '\xe9'})
                for (const std::size_t early : {std::size_t(0), std::size_t(3), std::size_t(9)}) {
                    compareEverywhere(fill, before, early, fieldTextEnd<true>, fieldTextEndByBytes<true>);
                    compareEverywhere(fill, before, early, fieldTextEnd<false>, fieldTextEndByBytes<false>);
                }
    }

    void scannerStopsAtTheDataEnd() {
        QCOMPARE(fieldTextEnd<true>("", 0), std::size_t(0));
        QCOMPARE(fieldTextEnd<true>("text/plain; charset=utf-8", 4), std::size_t(25));
        QCOMPARE(fieldTextEnd<false>("caf\xc3\xa9\r\n", 0), std::size_t(3));
        QCOMPARE(fieldTextEnd<true>("caf\xc3\xa9\r\n", 0), std::size_t(5));
    }
};

QTEST_GUILESS_MAIN(HttpCharsTest)
#include "http_chars_test.moc"
