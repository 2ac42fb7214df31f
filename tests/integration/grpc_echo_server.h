// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>

namespace grpc {
class Server;
class CallbackGenericService;
} // namespace grpc

/// A real gRPC server (Debian's grpc++, generic callback API: no generated code) on 127.0.0.1, on
/// grpc's own threads. Methods, for any service name:
///   .../Say   echoes the request message; initial metadata tells what reached it:
///             x-upstream-authority (:authority), x-upstream-xff (x-forwarded-for),
///             x-upstream-deadline ("set" when a grpc-timeout reached it);
///   .../Fail  answers RESOURCE_EXHAUSTED "quota exhausted";
///   .../Slow  echoes after 1.5 s.
class GrpcEchoServer {
public:
    GrpcEchoServer();
    ~GrpcEchoServer();
    GrpcEchoServer(const GrpcEchoServer&) = delete;
    GrpcEchoServer& operator=(const GrpcEchoServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return m_port; }

private:
    std::unique_ptr<grpc::CallbackGenericService> m_service;
    std::unique_ptr<grpc::Server> m_server;
    std::uint16_t m_port = 0;
};
