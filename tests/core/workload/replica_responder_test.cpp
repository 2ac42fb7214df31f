// SPDX-License-Identifier: Apache-2.0
// The gRPC answer of a simulated replica: the planned HTTP status through gRPC's HTTP-to-gRPC
// mapping (grpc/doc/http-grpc-status-mapping.md), the request's message echoed.

#include "workload/replica_responder.h"

#include <QTest>

using sluice::workload::ReplicaResponder;

namespace {

template <std::size_t N> std::string_view bytes(const char (&s)[N]) {
    return {s, N - 1};
}

} // namespace

class ReplicaResponderTest : public QObject {
    Q_OBJECT

private slots:
    void mapsThePlannedStatus_data() {
        QTest::addColumn<int>("http");
        QTest::addColumn<int>("grpc");
        QTest::newRow("200 OK") << 200 << 0;
        QTest::newRow("400 INTERNAL") << 400 << 13;
        QTest::newRow("401 UNAUTHENTICATED") << 401 << 16;
        QTest::newRow("403 PERMISSION_DENIED") << 403 << 7;
        QTest::newRow("404 UNIMPLEMENTED") << 404 << 12;
        QTest::newRow("429 UNAVAILABLE") << 429 << 14;
        QTest::newRow("502 UNAVAILABLE") << 502 << 14;
        QTest::newRow("503 UNAVAILABLE") << 503 << 14;
        QTest::newRow("504 UNAVAILABLE") << 504 << 14;
        QTest::newRow("500 UNKNOWN") << 500 << 2;
        QTest::newRow("201 UNKNOWN") << 201 << 2;
    }
    void mapsThePlannedStatus() {
        QFETCH(int, http);
        QFETCH(int, grpc);
        const auto a = ReplicaResponder::grpcAnswer(http, bytes("\0\0\0\0\x02hi"), false);
        QCOMPARE(a.code, grpc);
        QCOMPARE(a.echo.empty(), grpc != 0); // an error sends no message
        QCOMPARE(a.message.empty(), grpc == 0);
    }

    void echoesTheFirstMessage_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("echo");
        QTest::newRow("one message") << QByteArray(bytes("\0\0\0\0\x02hi").data(), 7) << 0
                                     << QByteArray(bytes("\0\0\0\0\x02hi").data(), 7);
        QTest::newRow("empty request: an empty message")
            << QByteArray() << 0 << QByteArray(bytes("\0\0\0\0\0").data(), 5);
        QTest::newRow("two messages: the first") << QByteArray(bytes("\0\0\0\0\x01"
                                                                     "a\0\0\0\0\x01"
                                                                     "b")
                                                                   .data(),
                                                               12)
                                                 << 0
                                                 << QByteArray(bytes("\0\0\0\0\x01"
                                                                     "a")
                                                                   .data(),
                                                               6);
        QTest::newRow("incomplete message: INTERNAL")
            << QByteArray(bytes("\0\0\0\0\x09hi").data(), 7) << 13 << QByteArray();
        QTest::newRow("shorter than a prefix: INTERNAL") << QByteArray("\0\0", 2) << 13 << QByteArray();
    }
    void echoesTheFirstMessage() {
        QFETCH(QByteArray, request);
        QFETCH(int, code);
        QFETCH(QByteArray, echo);
        const auto a =
            ReplicaResponder::grpcAnswer(200, {request.constData(), std::size_t(request.size())}, false);
        QCOMPARE(a.code, code);
        QCOMPARE(QByteArray(a.echo.data(), qsizetype(a.echo.size())), echo);
    }

    void refusesWhatItCouldNotKeep() {
        const auto a = ReplicaResponder::grpcAnswer(200, bytes("\0\0\0\0\x02hi"), true);
        QCOMPARE(a.code, 8); // RESOURCE_EXHAUSTED
        QVERIFY(a.echo.empty());
    }
};

QTEST_GUILESS_MAIN(ReplicaResponderTest)
#include "replica_responder_test.moc"
