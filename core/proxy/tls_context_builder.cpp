// SPDX-License-Identifier: Apache-2.0
#include "tls_context_builder.h"

#include "dev_certificate_authority.h"
#include "server_credentials.h"
#include "tls_chain_context.h"

namespace sluice::proxy {
namespace {

std::string where(const model::ResourceSet& resources, const routing::FilterChain& chain) {
    std::string out;
    if (chain.span.known())
        out = std::string(resources.fileName(chain.span.file)) + ":" + std::to_string(chain.span.line) + ": ";
    return out + "Gateway " + chain.gateway + " " + chain.server;
}

/// Host names for a development certificate: the chain's server names, or loopback for "*".
std::vector<std::string> devNames(const routing::FilterChain& chain) {
    if (chain.serverNames.empty())
        return {"localhost", "127.0.0.1"};
    return chain.serverNames;
}

/// MUTUAL and OPTIONAL_MUTUAL verify client certificates: they need a CA.
bool verifiesClients(const routing::FilterChain& chain) {
    return chain.mutualTls || (chain.tls && chain.tls->mode.value == model::ServerTlsMode::OptionalMutual);
}

bool terminates(const routing::FilterChain& chain) {
    return (chain.mode == routing::FilterChain::Mode::TerminateHttp ||
            chain.mode == routing::FilterChain::Mode::TerminateTcp) &&
           chain.tls.has_value();
}

} // namespace

TlsSetup buildTlsContexts(const routing::RouteTablePtr& table, const model::ResourceSet& resources,
                          const DevCertificateAuthority* devCa) {
    TlsSetup setup;
    auto contexts = std::make_shared<TlsContextSet>(table);
    const std::string& gatewayNamespace = table->workload().ns;
    for (const auto& [port, listener] : table->listeners()) {
        if (listener.kind != routing::Listener::Kind::Tls)
            continue;
        for (std::size_t i = 0; i < listener.chains.size(); ++i) {
            const routing::FilterChain& chain = listener.chains[i];
            if (!terminates(chain))
                continue;
            CredentialLookup lookup =
                resolveServerCredentials(*chain.tls, verifiesClients(chain), resources, gatewayNamespace);
            std::string problem = lookup.problem;
            std::unique_ptr<TlsChainContext> context;
            if (lookup.credentials)
                context = TlsChainContext::build(listener, i, *lookup.credentials, problem);
            if (!context && devCa) {
                std::string devProblem;
                auto pair = devCa->issue(devNames(chain), DevCertificateAuthority::Usage::Server, devProblem);
                if (pair) {
                    ServerCredentials dev;
                    dev.pairs.push_back(std::move(*pair));
                    dev.clientCa = devCa->certificatePem();
                    dev.origin = "the development CA";
                    context = TlsChainContext::build(listener, i, dev, devProblem);
                }
                if (context) {
                    std::string names;
                    for (const auto& n : devNames(chain))
                        names += (names.empty() ? "" : ", ") + n;
                    setup.devCertificates.push_back(names + " (" + where(resources, chain) + ")");
                    setup.mutualWithDevCa = setup.mutualWithDevCa || verifiesClients(chain);
                } else {
                    problem += "; the development CA could not stand in: " + devProblem;
                }
            }
            if (!context) {
                setup.problems.push_back(where(resources, chain) + ": " + problem);
                continue;
            }
            contexts->add(port, i, std::move(context));
        }
    }
    setup.contexts = std::move(contexts);
    return setup;
}

} // namespace sluice::proxy
