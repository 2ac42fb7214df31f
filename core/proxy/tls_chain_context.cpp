// SPDX-License-Identifier: Apache-2.0
#include "tls_chain_context.h"

#include "openssl_handles.h"

#include <algorithm>
#include <array>

#include <openssl/ssl.h>

namespace sluice::proxy {
namespace {

/// Istio's default TLS 1.2 cipher suites for gateways (TLS 1.3 suites are OpenSSL's defaults).
constexpr const char* kIstioCipherSuites = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                           "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                           "AES256-GCM-SHA384:AES128-GCM-SHA256";

/// Istio's ALPNHttp for gateway servers, in the server's order of preference (ALPN wire format:
/// length-prefixed names): HTTP/2, then HTTP/1.1.
constexpr std::string_view kAlpn{"\x02h2\x08http/1.1", 12};

int protocolVersion(model::TlsProtocol p, int fallback) {
    switch (p) {
    case model::TlsProtocol::V1_0:
    case model::TlsProtocol::V1_1:
    case model::TlsProtocol::V1_2:
        return TLS1_2_VERSION; // never below 1.2 (OpenSSL 3 refuses 1.0/1.1 at its default level too)
    case model::TlsProtocol::V1_3:
        return TLS1_3_VERSION;
    case model::TlsProtocol::Auto:
        break;
    }
    return fallback;
}

char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

/// The routing engine decides: the chain its filter chain match picks for the handshake's SNI
/// must be this context's chain.
int onServerName(SSL* ssl, int* alert, void* arg) {
    const auto* self = static_cast<const TlsChainContext*>(arg);
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    std::string sni(name ? name : "");
    std::transform(sni.begin(), sni.end(), sni.begin(), lowerAscii);
    if (routing::selectFilterChain(self->listener().chains, sni) == &self->chain())
        return SSL_TLSEXT_ERR_OK;
    *alert = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

int onAlpn(SSL*, const unsigned char** out, unsigned char* outLength, const unsigned char* in,
           unsigned inLength, void*) {
    unsigned char* selected = nullptr;
    const auto* served = reinterpret_cast<const unsigned char*>(kAlpn.data());
    if (SSL_select_next_proto(&selected, outLength, served, static_cast<unsigned>(kAlpn.size()), in,
                              inLength) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK; // no protocol in common: go on without ALPN (HTTP/1.1)
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

} // namespace

std::string_view servedApplicationProtocols() {
    return kAlpn;
}

TlsChainContext::TlsChainContext(const routing::Listener& listener, std::size_t index)
    : m_context(boost::asio::ssl::context::tls_server)
    , m_listener(&listener)
    , m_index(index) {}

std::unique_ptr<TlsChainContext> TlsChainContext::build(const routing::Listener& listener, std::size_t index,
                                                        const ServerCredentials& credentials,
                                                        std::string& problem) {
    std::unique_ptr<TlsChainContext> context(new TlsChainContext(listener, index));
    if (!context->configure(credentials, problem))
        return nullptr;
    return context;
}

bool TlsChainContext::configure(const ServerCredentials& credentials, std::string& problem) {
    SSL_CTX* ctx = m_context.native_handle();
    const routing::FilterChain& fc = chain();
    const model::ServerTlsSettings settings = fc.tls.value_or(model::ServerTlsSettings{});
    SSL_CTX_set_min_proto_version(ctx, protocolVersion(settings.minProtocolVersion.value, TLS1_2_VERSION));
    SSL_CTX_set_max_proto_version(ctx, protocolVersion(settings.maxProtocolVersion.value, TLS1_3_VERSION));
    SSL_CTX_set_options(ctx,
                        SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
    std::string ciphers;
    for (const auto& c : settings.cipherSuites)
        ciphers += (ciphers.empty() ? "" : ":") + c.value;
    if (SSL_CTX_set_cipher_list(ctx, ciphers.empty() ? kIstioCipherSuites : ciphers.c_str()) != 1) {
        problem = "cipherSuites \"" + ciphers + "\": none is known to OpenSSL";
        ossl::lastError();
        return false;
    }

    for (const CertificatePair& pair : credentials.pairs) {
        const auto certs = ossl::readCertificates(pair.certificateChain);
        if (certs.empty()) {
            problem = credentials.origin + ": the certificate is not PEM X.509";
            return false;
        }
        const ossl::PkeyPtr key = ossl::readPrivateKey(pair.privateKey.reveal());
        if (!key) {
            problem = credentials.origin + ": the private key does not parse (unencrypted PEM expected)";
            return false;
        }
        bool ok = SSL_CTX_use_certificate(ctx, certs.front().get()) == 1;
        for (std::size_t i = 1; ok && i < certs.size(); ++i)
            ok = SSL_CTX_add1_chain_cert(ctx, certs[i].get()) == 1;
        ok = ok && SSL_CTX_use_PrivateKey(ctx, key.get()) == 1 && SSL_CTX_check_private_key(ctx) == 1;
        if (!ok) {
            problem =
                credentials.origin + ": OpenSSL refuses the certificate and key (" + ossl::lastError() + ")";
            return false;
        }
    }
    // MUTUAL requires a client certificate; OPTIONAL_MUTUAL verifies one when it is presented.
    const bool optional = settings.mode.value == model::ServerTlsMode::OptionalMutual;
    if (fc.mutualTls || optional) {
        const auto cas = ossl::readCertificates(credentials.clientCa);
        if (cas.empty()) {
            problem = credentials.origin + ": MUTUAL needs a CA certificate (PEM) for client certificates";
            return false;
        }
        X509_STORE* store = SSL_CTX_get_cert_store(ctx);
        for (const auto& ca : cas)
            if (X509_STORE_add_cert(store, ca.get()) != 1 || SSL_CTX_add_client_CA(ctx, ca.get()) != 1) {
                problem = credentials.origin + ": the client CA is refused (" + ossl::lastError() + ")";
                return false;
            }
        SSL_CTX_set_verify(
            ctx, optional ? SSL_VERIFY_PEER : SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
    // Sessions resume only on the chain that made them (and client verification requires a context).
    const std::string sessionContext =
        "sluice:" + std::to_string(m_listener->port) + ":" + std::to_string(m_index);
    SSL_CTX_set_session_id_context(ctx, reinterpret_cast<const unsigned char*>(sessionContext.data()),
                                   static_cast<unsigned>(std::min<std::size_t>(sessionContext.size(), 32)));
    // SSL_CTX_set_tlsext_servername_callback, without the macro's C cast.
    SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, reinterpret_cast<void (*)()>(onServerName));
    SSL_CTX_set_tlsext_servername_arg(ctx, this);
    SSL_CTX_set_alpn_select_cb(ctx, onAlpn, nullptr);
    return true;
}

} // namespace sluice::proxy
