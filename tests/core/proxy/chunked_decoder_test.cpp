// SPDX-License-Identifier: Apache-2.0
#include "proxy/chunked_decoder.h"

#include <QTest>

using sluice::proxy::ChunkedDecoder;

class ChunkedDecoderTest : public QObject {
    Q_OBJECT

private slots:
    void decodesWhateverTheSplit_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("two chunks") << QByteArray("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                                    << QByteArray("hello world");
        QTest::newRow("extensions and hex")
            << QByteArray("A;name=v\r\n0123456789\r\n0;last\r\n\r\n") << QByteArray("0123456789");
        QTest::newRow("trailers") << QByteArray("3\r\nabc\r\n0\r\ngrpc-status: 0\r\ngrpc-message: ok\r\n\r\n")
                                  << QByteArray("abc");
        QTest::newRow("empty body") << QByteArray("0\r\n\r\n") << QByteArray();
    }
    // Every split of the wire into two reads gives the same payload and ends the body.
    void decodesWhateverTheSplit() {
        QFETCH(QByteArray, wire);
        QFETCH(QByteArray, payload);
        for (qsizetype cut = 0; cut <= wire.size(); ++cut) {
            ChunkedDecoder decoder;
            std::string out;
            QVERIFY(decoder.decode(std::string_view(wire.constData(), static_cast<std::size_t>(cut)), out));
            QVERIFY(cut == wire.size() || !decoder.done());
            QVERIFY(decoder.decode(
                std::string_view(wire.constData() + cut, static_cast<std::size_t>(wire.size() - cut)), out));
            QVERIFY2(decoder.done(), qPrintable(QString::number(cut)));
            QCOMPARE(QByteArray::fromStdString(out), payload);
        }
    }

    void refusesBrokenFraming_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("no size") << QByteArray("\r\nabc\r\n");
        QTest::newRow("data overruns") << QByteArray("2\r\nabc\r\n");
        QTest::newRow("bytes after the end") << QByteArray("0\r\n\r\nGET");
    }
    void refusesBrokenFraming() {
        QFETCH(QByteArray, wire);
        ChunkedDecoder decoder;
        std::string out;
        QVERIFY(
            !decoder.decode(std::string_view(wire.constData(), static_cast<std::size_t>(wire.size())), out));
    }
};

QTEST_GUILESS_MAIN(ChunkedDecoderTest)
#include "chunked_decoder_test.moc"
