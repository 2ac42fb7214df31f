// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "gateway.h"

namespace sluice::model::schema {

template <>
struct Enum<ServerTlsMode> {
    static constexpr std::array values{
        EnumValue<ServerTlsMode>{"PASSTHROUGH", ServerTlsMode::Passthrough, 0},
        EnumValue<ServerTlsMode>{"SIMPLE", ServerTlsMode::Simple, 1},
        EnumValue<ServerTlsMode>{"MUTUAL", ServerTlsMode::Mutual, 2},
        EnumValue<ServerTlsMode>{"AUTO_PASSTHROUGH", ServerTlsMode::AutoPassthrough, 3},
        EnumValue<ServerTlsMode>{"ISTIO_MUTUAL", ServerTlsMode::IstioMutual, 4},
        EnumValue<ServerTlsMode>{"OPTIONAL_MUTUAL", ServerTlsMode::OptionalMutual, 5},
    };
};

template <>
struct Enum<TlsProtocol> {
    static constexpr std::array values{
        EnumValue<TlsProtocol>{"TLS_AUTO", TlsProtocol::Auto, 0},
        EnumValue<TlsProtocol>{"TLSV1_0", TlsProtocol::V1_0, 1},
        EnumValue<TlsProtocol>{"TLSV1_1", TlsProtocol::V1_1, 2},
        EnumValue<TlsProtocol>{"TLSV1_2", TlsProtocol::V1_2, 3},
        EnumValue<TlsProtocol>{"TLSV1_3", TlsProtocol::V1_3, 4},
    };
};

template <>
struct Message<Port> {
    static constexpr std::string_view name = "Port";
    static constexpr auto fields = std::tuple{
        Field{"number", &Port::number},
        Field{"protocol", &Port::protocol},
        Field{"name", &Port::name},
        Field{"targetPort", &Port::targetPort},
    };
};

template <>
struct Message<TlsCertificate> {
    static constexpr std::string_view name = "ServerTLSSettings.TLSCertificate";
    static constexpr auto fields = std::tuple{
        Field{"serverCertificate", &TlsCertificate::serverCertificate},
        Field{"privateKey", &TlsCertificate::privateKey},
        Field{"caCertificates", &TlsCertificate::caCertificates},
    };
};

template <>
struct Message<ServerTlsSettings> {
    static constexpr std::string_view name = "ServerTLSSettings";
    static constexpr auto fields = std::tuple{
        Field{"httpsRedirect", &ServerTlsSettings::httpsRedirect},
        Field{"mode", &ServerTlsSettings::mode},
        Field{"serverCertificate", &ServerTlsSettings::serverCertificate},
        Field{"privateKey", &ServerTlsSettings::privateKey},
        Field{"caCertificates", &ServerTlsSettings::caCertificates},
        Field{"caCrl", &ServerTlsSettings::caCrl},
        Field{"credentialName", &ServerTlsSettings::credentialName},
        Field{"credentialNames", &ServerTlsSettings::credentialNames},
        Field{"tlsCertificates", &ServerTlsSettings::tlsCertificates},
        Field{"subjectAltNames", &ServerTlsSettings::subjectAltNames},
        Field{"verifyCertificateSpki", &ServerTlsSettings::verifyCertificateSpki},
        Field{"verifyCertificateHash", &ServerTlsSettings::verifyCertificateHash},
        Field{"minProtocolVersion", &ServerTlsSettings::minProtocolVersion},
        Field{"maxProtocolVersion", &ServerTlsSettings::maxProtocolVersion},
        Field{"cipherSuites", &ServerTlsSettings::cipherSuites},
    };
};

template <>
struct Message<Server> {
    static constexpr std::string_view name = "Server";
    static constexpr auto fields = std::tuple{
        Field{"port", &Server::port},
        Field{"bind", &Server::bind},
        Field{"hosts", &Server::hosts},
        Field{"tls", &Server::tls},
        Field{"defaultEndpoint", &Server::defaultEndpoint},
        Field{"name", &Server::name},
    };
};

template <>
struct Message<GatewaySpec> {
    static constexpr std::string_view name = "Gateway";
    static constexpr auto fields = std::tuple{
        Field{"servers", &GatewaySpec::servers},
        Field{"selector", &GatewaySpec::selector},
    };
};

/// Top-level fields of a Gateway besides apiVersion, kind and metadata.
template <>
struct Message<Gateway> {
    static constexpr std::string_view name = "Gateway";
    static constexpr auto fields = std::tuple{Field{"spec", &Gateway::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
