// SPDX-License-Identifier: Apache-2.0
// Istio's ValidateGateway (pkg/config/validation/validation.go): G1-G9 here, the server `tls` block
// (G10-G14) in server_tls_rules.cpp. Findings about a nested block that has no line of its own are
// reported on the resource, as Istio does; scalars and list items carry their own line.

#include "field_checks.h"
#include "names.h"
#include "resource_reporter.h"
#include "rules.h"
#include "server_tls_rules.h"

#include <set>
#include <string>
#include <string_view>

namespace sluice::validate {
namespace {

constexpr std::string_view kUnixPrefix = "unix://";

/// Go's %v of a networking.Port (prototext, zero values omitted), as Istio prints it in messages.
std::string describePort(const model::Port& port) {
    std::string out;
    auto add = [&](const std::string& part) {
        if (!out.empty())
            out += ' ';
        out += part;
    };
    if (port.number.value != 0)
        add("number:" + std::to_string(port.number.value));
    if (!port.protocol.value.empty())
        add("protocol:" + goQuote(port.protocol.value));
    if (!port.name.value.empty())
        add("name:" + goQuote(port.name.value));
    if (port.targetPort.value != 0)
        add("target_port:" + std::to_string(port.targetPort.value));
    return out;
}

/// validateServerPort. Returns false when the port has an error (the TLS/protocol check then skips).
bool checkServerPort(ResourceReporter& r, const model::Server& server, const std::string& field) {
    if (!server.port) {
        r.error(field + ".port", server.span, "port is required");
        return false;
    }
    const model::Port& port = *server.port;
    bool ok = true;
    if (parseProtocol(port.protocol.value) == Protocol::Unsupported) {
        r.error(field + ".port.protocol", port.protocol.span,
                "invalid protocol " + goQuote(port.protocol.value) +
                    ", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
        ok = false;
    }
    if (port.number.value > 0 || !std::string_view(server.bind.value).starts_with(kUnixPrefix)) {
        if (auto e = checkPort(port.number.value); !e.empty()) {
            r.error(field + ".port.number", port.number.span, std::move(e));
            ok = false;
        }
    }
    if (port.targetPort.value > 0) {
        r.error(field + ".port.targetPort", port.targetPort.span, "targetPort has no impact on Gateways");
        ok = false;
    }
    if (port.name.value.empty()) {
        r.error(field + ".port.name", port.name.span, "port name must be set: " + describePort(port));
        ok = false;
    }
    return ok;
}

/// validateServerBind: a unix domain socket (with port 0) or an IP address.
void checkServerBind(ResourceReporter& r, const model::Server& server, const std::string& field) {
    const std::string_view bind = server.bind.value;
    if (bind.starts_with(kUnixPrefix)) {
        if (auto e = checkUnixAddress(bind.substr(kUnixPrefix.size())); !e.empty())
            r.error(field + ".bind", server.bind.span, std::move(e));
        if (server.port && server.port->number.value != 0)
            r.error(field + ".bind", server.bind.span,
                    "port number must be 0 for unix domain socket: " + describePort(*server.port));
    } else if (!bind.empty() && !isIpAddress(bind)) {
        r.error(field + ".bind", server.bind.span, std::string(bind) + " is not a valid IP");
    }
}

/// gateway.IsPassThroughServer without certificate fields: the only TLS an HTTP server may carry.
bool onlyRedirectOrPassthrough(const model::ServerTlsSettings& tls) {
    const bool passthrough = tls.mode.value == model::ServerTlsMode::Passthrough ||
                             tls.mode.value == model::ServerTlsMode::AutoPassthrough;
    return passthrough && tls.caCertificates.value.empty() && tls.privateKey.value.empty() &&
           tls.serverCertificate.value.empty();
}

void checkServer(ResourceReporter& r, const model::Server& server, const std::string& field) {
    if (server.hosts.empty())
        r.error(field + ".hosts", server.span, "server config must contain at least one host");
    for (std::size_t i = 0; i < server.hosts.size(); ++i) {
        const auto& host = server.hosts[i];
        if (!host.present)
            continue; // the loader already rejected it
        if (auto e = checkGatewayServerHost(host.value); !e.empty())
            r.error(field + ".hosts[" + std::to_string(i) + "]", host.span, std::move(e));
    }

    const bool portOk = checkServerPort(r, server, field);
    checkServerBind(r, server, field);
    if (server.tls)
        checkServerTls(r, *server.tls, field + ".tls");

    if (!portOk)
        return;
    const Protocol p = parseProtocol(server.port->protocol.value);
    if (isTls(p) && !server.tls) {
        r.error(field + ".tls", server.span, "server must have TLS settings for HTTPS/TLS protocols");
    } else if (!isTls(p) && server.tls) {
        if (!isHttp(p))
            r.error(field + ".tls", server.tls->span, "server cannot have TLS settings for non HTTPS/TLS ports");
        else if (!onlyRedirectOrPassthrough(*server.tls))
            r.error(field + ".tls", server.tls->span, "server cannot have TLS settings for plain text HTTP ports");
    }
}

} // namespace

void checkGatewaySchema(const model::Gateway& gateway, model::Diagnostics& out) {
    ResourceReporter r(out, gateway);
    const auto& name = gateway.header.metadata.name;
    if (!isDns1123Label(name.value))
        r.error("metadata.name", name.span, "invalid gateway name: " + goQuote(name.value));

    const auto& servers = gateway.spec.servers;
    if (servers.empty())
        r.error("spec.servers", gateway.spec.span, "gateway must have at least one server");
    for (std::size_t i = 0; i < servers.size(); ++i)
        checkServer(r, servers[i], "spec.servers[" + std::to_string(i) + "]");

    std::set<std::string, std::less<>> portNames;
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const model::Server& server = servers[i];
        if (!server.port)
            continue;
        const std::string field = "spec.servers[" + std::to_string(i) + "]";
        const auto& portName = server.port->name;
        if (!portNames.insert(portName.value).second)
            r.error(field + ".port.name", portName.span,
                    "port names in servers must be unique: duplicate name " + portName.value);
        if (server.tls && server.tls->httpsRedirect.value &&
            !isHttp(parseProtocol(server.port->protocol.value)))
            r.warning(field + ".tls.httpsRedirect", server.tls->httpsRedirect.span,
                      "tls.httpsRedirect should only be used with http servers");
    }
}

} // namespace sluice::validate
