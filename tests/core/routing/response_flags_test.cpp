// SPDX-License-Identifier: Apache-2.0
#include "routing/response_flags.h"

#include <string>

#include <QByteArray>
#include <QTest>

using sluice::routing::ResponseFlags;

class ResponseFlagsTest : public QObject {
    Q_OBJECT

private slots:
    // %RESPONSE_FLAGS% lists flags in the order of Envoy's ResponseFlag enum, not in the order the
    // filters set them.
    void printsInEnvoysOrder_data() {
        QTest::addColumn<QByteArray>("added"); // space-separated calls of add()
        QTest::addColumn<QByteArray>("printed");
        QTest::newRow("one") << QByteArray("UH") << QByteArray("UH");
        QTest::newRow("delay then no upstream") << QByteArray("DI UH") << QByteArray("UH,DI");
        QTest::newRow("delay then timeout") << QByteArray("DI UT") << QByteArray("UT,DI");
        QTest::newRow("delay then abort") << QByteArray("DI FI") << QByteArray("DI,FI");
        QTest::newRow("connect failure, retries out") << QByteArray("URX UF") << QByteArray("UF,URX");
        QTest::newRow("delay then missing cluster") << QByteArray("DI NC") << QByteArray("DI,NC");
        QTest::newRow("a decision's list") << QByteArray("UO DI,FI") << QByteArray("UO,DI,FI");
        QTest::newRow("added twice") << QByteArray("UF UF UF,URX") << QByteArray("UF,URX");
        QTest::newRow("a prefix of another") << QByteArray("URX UR") << QByteArray("UR,URX");
        QTest::newRow("unknown goes last") << QByteArray("ZZ DC") << QByteArray("DC,ZZ");
        QTest::newRow("empty adds nothing") << QByteArray("- UC -") << QByteArray("UC");
    }
    void printsInEnvoysOrder() {
        QFETCH(QByteArray, added);
        QFETCH(QByteArray, printed);
        std::string flags;
        for (const QByteArray& flag : added.split(' '))
            ResponseFlags::add(flags, flag == "-" ? std::string() : flag.toStdString());
        QCOMPARE(QByteArray::fromStdString(flags), printed);
    }

    void hasMatchesWholeElements() {
        QVERIFY(ResponseFlags::has("UF,URX", "URX"));
        QVERIFY(ResponseFlags::has("UF,URX", "UF"));
        QVERIFY(!ResponseFlags::has("UF,URX", "UR"));
        QVERIFY(!ResponseFlags::has("", "DI"));
        QVERIFY(ResponseFlags::has("UH,DI", "DI"));
    }
};

QTEST_GUILESS_MAIN(ResponseFlagsTest)
#include "response_flags_test.moc"
