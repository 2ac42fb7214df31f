// SPDX-License-Identifier: Apache-2.0
// gRPC end to end with Debian's grpc++ on both sides: a generic gRPC client (prior-knowledge h2c)
// through the gateway to a real gRPC server behind a Service port named grpc (HTTP/2 upstream, as
// Istio configures it), and to simulated replicas in gRPC mode. Answers, upstream statuses,
// gateway-made errors as gRPC statuses, large messages both ways, grpc-timeout.

#include "grpc_echo_server.h"
#include "served_config.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include <QElapsedTimer>
#include <QTest>

#include <grpcpp/channel.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>

using sluice::test::Served;

namespace {

std::string config(std::uint16_t grpcPort) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["grpc.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: echo}
spec:
  hosts: ["grpc.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /echo.Echo/}}]
    route: [{destination: {host: echo, port: {number: 9000}}}]
  - match: [{uri: {prefix: /empty.Empty/}}]
    route: [{destination: {host: empty, port: {number: 9000}}}]
  - match: [{uri: {prefix: /faulty.Faulty/}}]
    fault: {abort: {grpcStatus: PERMISSION_DENIED, percentage: {value: 100}}}
    route: [{destination: {host: echo, port: {number: 9000}}}]
  - match: [{uri: {prefix: /sim.Sim/}}]
    route: [{destination: {host: sim, port: {number: 9000}}}]
  - match: [{uri: {prefix: /down.Down/}}]
    route: [{destination: {host: down, port: {number: 9000}}}]
  - match: [{uri: {prefix: /plain}}]
    route: [{destination: {host: sim, port: {number: 8080}}}]
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec: {selector: {app: echo}, ports: [{name: grpc, port: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec: {selector: {app: empty}, ports: [{name: grpc, port: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: sim}
spec:
  selector: {app: sim}
  ports: [{name: rpc, appProtocol: grpc, port: 9000}, {name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: down}
spec: {selector: {app: down}, ports: [{name: grpc, port: 9000}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: sim-v1}
spec: {labels: {app: sim}}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: down-v1}
spec:
  labels: {app: down}
  errors: {rate: 1, status: 503}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: echo-v1}
spec:
  labels: {app: echo}
  endpoint: 127.0.0.1:)" +
           std::to_string(grpcPort) + "\n";
}

struct Call {
    grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
    std::string message;
    std::string response;
    std::map<std::string, std::string> metadata; ///< the server's initial metadata
};

std::string bytes(const grpc::ByteBuffer& buffer) {
    std::vector<grpc::Slice> slices;
    std::string out;
    if (buffer.Dump(&slices).ok())
        for (const auto& s : slices)
            out.append(reinterpret_cast<const char*>(s.begin()), s.size());
    return out;
}

/// One unary call of `method` with `payload` to the gateway on `port`, as grpc.test.
Call call(std::uint16_t port, const std::string& method, const std::string& payload,
          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    grpc::ChannelArguments args;
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, "grpc.test");
    args.SetMaxReceiveMessageSize(-1);
    const auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                                   grpc::InsecureChannelCredentials(), args);
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + timeout);
    grpc::Slice slice(payload);
    const grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    Call result;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response, [&](grpc::Status status) {
        const std::lock_guard lock(mutex);
        result.code = status.error_code();
        result.message = status.error_message();
        finished = true;
        done.notify_one();
    });
    std::unique_lock lock(mutex);
    if (!done.wait_for(lock, std::chrono::seconds(20), [&] { return finished; })) {
        context.TryCancel();
        done.wait(lock, [&] { return finished; });
    }
    result.response = bytes(response);
    for (const auto& [key, value] : context.GetServerInitialMetadata())
        result.metadata[std::string(key.data(), key.size())] = std::string(value.data(), value.size());
    return result;
}

} // namespace

class GrpcEndToEndTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_echo.port() != 0);
        m_served = std::make_unique<Served>(Served::yaml(config(m_echo.port())));
        QVERIFY2(m_served->error.empty(), m_served->error.c_str());
    }

    void cleanupTestCase() { m_served.reset(); }

    void echoesThroughTheGateway() {
        Call c = call(m_served->port(80), "/echo.Echo/Say", "hello");
        QCOMPARE(int(c.code), int(grpc::StatusCode::OK));
        QCOMPARE(c.response, std::string("hello"));
        QCOMPARE(c.metadata["x-upstream-authority"], std::string("grpc.test"));
        QCOMPARE(c.metadata["x-upstream-xff"], std::string("127.0.0.1"));
    }

    // The upstream's grpc-status and grpc-message arrive in trailers, untouched.
    void passesTheUpstreamStatusOn() {
        const Call c = call(m_served->port(80), "/echo.Echo/Fail", "x");
        QCOMPARE(int(c.code), int(grpc::StatusCode::RESOURCE_EXHAUSTED));
        QCOMPARE(c.message, std::string("quota exhausted"));
    }

    // Messages larger than every window on the way (64 KiB streams, 1 MiB connections).
    void carriesLargeMessagesBothWays() {
        std::string payload(3 * 1024 * 1024, '\0');
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<char>('a' + i % 26);
        const Call c = call(m_served->port(80), "/echo.Echo/Say", payload);
        QCOMPARE(int(c.code), int(grpc::StatusCode::OK));
        QVERIFY(c.response == payload);
    }

    // Errors the gateway makes itself reach a gRPC client as gRPC statuses (Envoy's mapping).
    void gatewayErrorsAreGrpcStatuses_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("no route: UNIMPLEMENTED")
            << QStringLiteral("/nowhere.Service/Call") << int(grpc::StatusCode::UNIMPLEMENTED) << QString();
        QTest::newRow("no healthy upstream: UNAVAILABLE")
            << QStringLiteral("/empty.Empty/Call") << int(grpc::StatusCode::UNAVAILABLE)
            << QStringLiteral("no healthy upstream");
        QTest::newRow("fault abort grpcStatus")
            << QStringLiteral("/faulty.Faulty/Call") << int(grpc::StatusCode::PERMISSION_DENIED)
            << QStringLiteral("fault filter abort");
    }
    void gatewayErrorsAreGrpcStatuses() {
        QFETCH(QString, method);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Call c = call(m_served->port(80), method.toStdString(), "x");
        QCOMPARE(int(c.code), code);
        if (!message.isEmpty())
            QCOMPARE(QString::fromStdString(c.message), message);
    }

    // The client's deadline travels as grpc-timeout; the gateway holds the upstream to it.
    void deadlinesReachTheUpstream() {
        Call quick = call(m_served->port(80), "/echo.Echo/Say", "x", std::chrono::seconds(5));
        QCOMPARE(quick.metadata["x-upstream-deadline"], std::string("set"));
        QElapsedTimer clock;
        clock.start();
        const Call slow = call(m_served->port(80), "/echo.Echo/Slow", "x", std::chrono::milliseconds(300));
        QVERIFY2(slow.code == grpc::StatusCode::DEADLINE_EXCEEDED ||
                     slow.code == grpc::StatusCode::UNAVAILABLE,
                 slow.message.c_str());
        QVERIFY2(clock.elapsed() < 1400, qPrintable(QString::number(clock.elapsed())));
        // The gateway still answers afterwards.
        QCOMPARE(int(call(m_served->port(80), "/echo.Echo/Say", "again").code), int(grpc::StatusCode::OK));
    }

    // Simulated replicas behind a gRPC port (appProtocol grpc) speak HTTP/2 and answer gRPC.
    void simulatedReplicasAnswerGrpc() {
        Call c = call(m_served->port(80), "/sim.Sim/Say", "hello");
        QCOMPARE(int(c.code), int(grpc::StatusCode::OK));
        QCOMPARE(c.response, std::string("hello"));
        QCOMPARE(c.metadata["x-sluice-workload"], std::string("sim-v1-1"));
        const Call empty = call(m_served->port(80), "/sim.Sim/Say", "");
        QCOMPARE(int(empty.code), int(grpc::StatusCode::OK));
        QCOMPARE(empty.response, std::string());
    }

    // errors: {rate: 1, status: 503}: UNAVAILABLE, gRPC's mapping of 503.
    void simulatedErrorsAreGrpcStatuses() {
        const Call c = call(m_served->port(80), "/down.Down/Call", "x");
        QCOMPARE(int(c.code), int(grpc::StatusCode::UNAVAILABLE));
    }

    // The gateway reaches a gRPC port's replica over HTTP/2 (as Istio configures the cluster),
    // and the same replica's plain HTTP port over HTTP/1.1: the echo says which it got. (HTTP/2
    // downstream: the gateway's HTTP/1.1 sessions forward over HTTP/1.1 whatever the cluster.)
    void gatewaySpeaksHttp2ToGrpcPorts() {
        const QByteArray viaGrpcPort =
            sluice::test::curl({QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-H"),
                                QStringLiteral("Host: grpc.test"),
                                QStringLiteral("http://127.0.0.1:%1/sim.Sim/Json").arg(m_served->port(80))});
        QVERIFY2(viaGrpcPort.contains("\"workload\":\"sim-v1-1\",\"protocol\":\"HTTP/2\""),
                 viaGrpcPort.constData());
        const QByteArray viaHttpPort =
            sluice::test::curl({QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-H"),
                                QStringLiteral("Host: grpc.test"),
                                QStringLiteral("http://127.0.0.1:%1/plain").arg(m_served->port(80))});
        QVERIFY2(viaHttpPort.contains("\"workload\":\"sim-v1-1\",\"protocol\":\"HTTP/1.1\""),
                 viaHttpPort.constData());
    }

private:
    GrpcEchoServer m_echo;
    std::unique_ptr<Served> m_served;
};

QTEST_GUILESS_MAIN(GrpcEndToEndTest)
#include "grpc_end_to_end_test.moc"
