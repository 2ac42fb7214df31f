// SPDX-License-Identifier: Apache-2.0
#include "proxy/grpc_protocol.h"

#include <QTest>

using sluice::proxy::GrpcProtocol;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(std::optional<qint64>)

class GrpcProtocolTest : public QObject {
    Q_OBJECT

private slots:
    // Envoy's Grpc::Utility::httpToGrpcStatus (gRPC's http-grpc-status-mapping.md).
    void mapsHttpStatusToGrpcStatus_data() {
        QTest::addColumn<int>("http");
        QTest::addColumn<int>("grpc");
        QTest::newRow("400 INTERNAL") << 400 << 13;
        QTest::newRow("401 UNAUTHENTICATED") << 401 << 16;
        QTest::newRow("403 PERMISSION_DENIED") << 403 << 7;
        QTest::newRow("404 UNIMPLEMENTED (NR)") << 404 << 12;
        QTest::newRow("429 UNAVAILABLE") << 429 << 14;
        QTest::newRow("502 UNAVAILABLE") << 502 << 14;
        QTest::newRow("503 UNAVAILABLE (UH, UF, UC)") << 503 << 14;
        QTest::newRow("504 UNAVAILABLE (UT)") << 504 << 14;
        QTest::newRow("500 UNKNOWN") << 500 << 2;
        QTest::newRow("301 UNKNOWN") << 301 << 2;
        QTest::newRow("418 UNKNOWN") << 418 << 2;
    }
    void mapsHttpStatusToGrpcStatus() {
        QFETCH(int, http);
        QFETCH(int, grpc);
        QCOMPARE(GrpcProtocol::httpToGrpcStatus(http), grpc);
    }

    void recognisesGrpcContentTypes_data() {
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<bool>("grpc");
        QTest::newRow("plain") << QStringLiteral("application/grpc") << true;
        QTest::newRow("proto") << QStringLiteral("application/grpc+proto") << true;
        QTest::newRow("parameter") << QStringLiteral("application/grpc;charset=utf-8") << true;
        QTest::newRow("grpc-web") << QStringLiteral("application/grpc-web") << false;
        QTest::newRow("json") << QStringLiteral("application/json") << false;
        QTest::newRow("case differs") << QStringLiteral("Application/gRPC") << false;
        QTest::newRow("empty") << QString() << false;
    }
    void recognisesGrpcContentTypes() {
        QFETCH(QString, contentType);
        QFETCH(bool, grpc);
        QCOMPARE(GrpcProtocol::isGrpcContentType(contentType.toStdString()), grpc);
    }

    void parsesGrpcTimeouts_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<std::optional<qint64>>("millis");
        QTest::newRow("hours") << QStringLiteral("2H") << std::optional<qint64>(7'200'000);
        QTest::newRow("minutes") << QStringLiteral("3M") << std::optional<qint64>(180'000);
        QTest::newRow("seconds") << QStringLiteral("5S") << std::optional<qint64>(5'000);
        QTest::newRow("millis") << QStringLiteral("300m") << std::optional<qint64>(300);
        QTest::newRow("micros round up") << QStringLiteral("1500u") << std::optional<qint64>(2);
        QTest::newRow("nanos round up") << QStringLiteral("1n") << std::optional<qint64>(1);
        QTest::newRow("exact micros") << QStringLiteral("2000u") << std::optional<qint64>(2);
        QTest::newRow("eight digits") << QStringLiteral("99999999m") << std::optional<qint64>(99'999'999);
        QTest::newRow("nine digits") << QStringLiteral("100000000m") << std::optional<qint64>();
        QTest::newRow("no unit") << QStringLiteral("100") << std::optional<qint64>();
        QTest::newRow("bad unit") << QStringLiteral("100x") << std::optional<qint64>();
        QTest::newRow("no value") << QStringLiteral("S") << std::optional<qint64>();
        QTest::newRow("negative") << QStringLiteral("-1S") << std::optional<qint64>();
    }
    void parsesGrpcTimeouts() {
        QFETCH(QString, value);
        QFETCH(std::optional<qint64>, millis);
        const auto parsed = GrpcProtocol::parseTimeout(value.toStdString());
        QCOMPARE(parsed.has_value(), millis.has_value());
        if (millis)
            QCOMPARE(static_cast<qint64>(parsed->count()), *millis);
    }

    // Envoy's toGrpcTimeout: the largest precision that fits in 8 digits.
    void formatsGrpcTimeouts() {
        QCOMPARE(GrpcProtocol::formatTimeout(milliseconds(300)), std::string("300m"));
        QCOMPARE(GrpcProtocol::formatTimeout(milliseconds(99'999'999)), std::string("99999999m"));
        QCOMPARE(GrpcProtocol::formatTimeout(milliseconds(100'000'000)), std::string("100000S"));
        QCOMPARE(GrpcProtocol::formatTimeout(std::chrono::hours(100'000'000)), std::string("99999999H"));
    }

    // Istio sets max_grpc_timeout to the route timeout (0s when the VirtualService has none).
    void appliesMaxGrpcTimeoutAsIstioConfiguresIt() {
        using T = std::optional<milliseconds>;
        QCOMPARE(GrpcProtocol::effectiveTimeout(milliseconds(0), T(milliseconds(300))), milliseconds(300));
        QCOMPARE(GrpcProtocol::effectiveTimeout(milliseconds(0), T()), milliseconds(0)); // unlimited
        QCOMPARE(GrpcProtocol::effectiveTimeout(milliseconds(1000), T(milliseconds(300))), milliseconds(300));
        QCOMPARE(GrpcProtocol::effectiveTimeout(milliseconds(1000), T(milliseconds(5000))),
                 milliseconds(1000));
        QCOMPARE(GrpcProtocol::effectiveTimeout(milliseconds(1000), T()), milliseconds(1000));
    }

    void namesGrpcStatuses() {
        QCOMPARE(GrpcProtocol::statusFromName("OK"), std::optional<int>(0));
        QCOMPARE(GrpcProtocol::statusFromName("RESOURCE_EXHAUSTED"), std::optional<int>(8));
        QCOMPARE(GrpcProtocol::statusFromName("UNAVAILABLE"), std::optional<int>(14));
        QCOMPARE(GrpcProtocol::statusFromName("UNAUTHENTICATED"), std::optional<int>(16));
        QCOMPARE(GrpcProtocol::statusFromName("unavailable"), std::optional<int>());
    }

    void percentEncodesMessages() {
        QCOMPARE(GrpcProtocol::percentEncode("no healthy upstream"), std::string("no healthy upstream"));
        QCOMPARE(GrpcProtocol::percentEncode("50% off\r\n\xc3\xa9"), std::string("50%25 off%0D%0A%C3%A9"));
    }
};

QTEST_GUILESS_MAIN(GrpcProtocolTest)
#include "grpc_protocol_test.moc"
