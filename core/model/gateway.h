// SPDX-License-Identifier: Apache-2.0
#pragma once

// networking.istio.io Gateway (v1alpha3, v1beta1 and v1 share this schema).

#include "object_meta.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

struct Port {
    Located<std::uint32_t> number;
    Located<std::string> protocol; ///< a string, not an enum: compared case-insensitively
    Located<std::string> name;
    Located<std::uint32_t> targetPort;
    SourceSpan span;
};

enum class ServerTlsMode : std::uint8_t { Passthrough, Simple, Mutual, AutoPassthrough, IstioMutual, OptionalMutual };
enum class TlsProtocol : std::uint8_t { Auto, V1_0, V1_1, V1_2, V1_3 };

struct TlsCertificate {
    Located<std::string> serverCertificate;
    Located<std::string> privateKey;
    std::vector<Located<std::string>> caCertificates;
    SourceSpan span;
};

struct ServerTlsSettings {
    Located<bool> httpsRedirect;
    Located<ServerTlsMode> mode; ///< absent = PASSTHROUGH (enum value 0)
    Located<std::string> serverCertificate;
    Located<std::string> privateKey;
    Located<std::string> caCertificates;
    Located<std::string> caCrl;
    Located<std::string> credentialName;
    std::vector<Located<std::string>> credentialNames;
    std::vector<TlsCertificate> tlsCertificates;
    std::vector<Located<std::string>> subjectAltNames;
    std::vector<Located<std::string>> verifyCertificateSpki;
    std::vector<Located<std::string>> verifyCertificateHash;
    Located<TlsProtocol> minProtocolVersion;
    Located<TlsProtocol> maxProtocolVersion;
    std::vector<Located<std::string>> cipherSuites;
    SourceSpan span;
};

struct Server {
    std::optional<Port> port;
    Located<std::string> bind;
    std::vector<Located<std::string>> hosts;
    std::optional<ServerTlsSettings> tls;
    Located<std::string> defaultEndpoint;
    Located<std::string> name;
    SourceSpan span;
};

struct GatewaySpec {
    std::vector<Server> servers;
    StringMap selector;
    SourceSpan span;
};

struct Gateway {
    static constexpr std::string_view kKind = "Gateway";
    ResourceHeader header;
    GatewaySpec spec;
};

} // namespace sluice::model
