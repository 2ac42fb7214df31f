// SPDX-License-Identifier: Apache-2.0
#include "grpc_echo_server.h"

#include <chrono>
#include <string>
#include <thread>

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class EchoReactor final : public grpc::ServerGenericBidiReactor {
public:
    explicit EchoReactor(grpc::GenericCallbackServerContext* context)
        : m_method(context->method()) {
        context->AddInitialMetadata("x-upstream-authority", context->host());
        const auto& metadata = context->client_metadata();
        if (const auto xff = metadata.find("x-forwarded-for"); xff != metadata.end())
            context->AddInitialMetadata("x-upstream-xff",
                                        std::string(xff->second.data(), xff->second.size()));
        const bool deadline = context->deadline() < std::chrono::system_clock::now() + std::chrono::hours(1);
        context->AddInitialMetadata("x-upstream-deadline", deadline ? "set" : "none");
        StartRead(&m_request);
    }

    void OnReadDone(bool ok) override {
        if (!ok) {
            Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
            return;
        }
        if (endsWith(m_method, "/Fail")) {
            Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "quota exhausted"));
            return;
        }
        m_response = m_request;
        if (endsWith(m_method, "/Slow")) {
            std::thread([this] {
                std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                StartWriteAndFinish(&m_response, grpc::WriteOptions(), grpc::Status::OK);
            }).detach();
            return;
        }
        StartWriteAndFinish(&m_response, grpc::WriteOptions(), grpc::Status::OK);
    }

    void OnDone() override { delete this; }

private:
    std::string m_method;
    grpc::ByteBuffer m_request;
    grpc::ByteBuffer m_response;
};

class EchoService final : public grpc::CallbackGenericService {
public:
    grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
        return new EchoReactor(context);
    }
};

} // namespace

GrpcEchoServer::GrpcEchoServer()
    : m_service(std::make_unique<EchoService>()) {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(m_service.get());
    m_server = builder.BuildAndStart();
    m_port = static_cast<std::uint16_t>(port);
}

GrpcEchoServer::~GrpcEchoServer() {
    if (m_server)
        m_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}
