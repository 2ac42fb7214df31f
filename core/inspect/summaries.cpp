// SPDX-License-Identifier: Apache-2.0
#include "summaries.h"

#include "model/destination_rule_schema.h"
#include "model/gateway_schema.h"
#include "model/virtual_service_schema.h"
#include "scalar_text.h"

namespace sluice::inspect {
namespace {

/// Appends `part` to `out`, separated by `separator` when both are non-empty.
void add(std::string& out, const std::string& part, std::string_view separator = " ") {
    if (part.empty())
        return;
    if (!out.empty())
        out += separator;
    out += part;
}

std::string joined(const std::vector<model::Located<std::string>>& items) {
    std::string out;
    for (const auto& item : items)
        add(out, item.value, ", ");
    return out;
}

std::string matchMap(std::string_view what, const model::MessageMap<model::StringMatch>& map) {
    std::string out;
    for (const auto& [key, match] : map)
        add(out, std::string(what) + " " + key + " " + summary(match), ", ");
    return out;
}

} // namespace

std::string labelsText(const model::StringMap& labels) {
    std::string out;
    for (const auto& [key, value] : labels)
        add(out, key + "=" + value.value, ", ");
    return out;
}

std::string summary(const model::Port& port) {
    std::string out = port.number ? scalarText(port.number.value) : std::string();
    add(out, port.protocol.value);
    if (port.name)
        add(out, "(" + port.name.value + ")");
    return out;
}

std::string summary(const model::Server& server) {
    std::string out = server.port ? summary(*server.port) : std::string();
    add(out, joined(server.hosts), " · ");
    if (server.tls)
        add(out, "TLS " + summary(*server.tls), " · ");
    return out;
}

std::string summary(const model::ServerTlsSettings& tls) {
    std::string out = scalarText(tls.mode.value);
    if (tls.credentialName)
        add(out, "credentialName " + tls.credentialName.value);
    if (tls.httpsRedirect.value)
        add(out, "httpsRedirect", ", ");
    return out;
}

std::string summary(const model::StringMatch& match) {
    if (match.exact)
        return "exact " + match.exact.value;
    if (match.prefix)
        return "prefix " + match.prefix.value;
    if (match.regex)
        return "regex " + match.regex.value;
    return "present";
}

std::string summary(const model::PortSelector& port) {
    return scalarText(port.number.value);
}

std::string summary(const model::Destination& destination) {
    std::string out = destination.host.value;
    if (destination.port && destination.port->number)
        out += ":" + scalarText(destination.port->number.value);
    if (destination.subset)
        out += " subset " + destination.subset.value;
    return out;
}

std::string summary(const model::HTTPMatchRequest& match) {
    std::string out;
    if (match.name)
        add(out, match.name.value + ":");
    std::string conditions;
    if (match.uri)
        add(conditions, "uri " + summary(*match.uri), ", ");
    if (match.method)
        add(conditions, "method " + summary(*match.method), ", ");
    if (match.authority)
        add(conditions, "authority " + summary(*match.authority), ", ");
    if (match.scheme)
        add(conditions, "scheme " + summary(*match.scheme), ", ");
    add(conditions, matchMap("header", match.headers), ", ");
    add(conditions, matchMap("query", match.queryParams), ", ");
    add(conditions, matchMap("without header", match.withoutHeaders), ", ");
    if (match.port)
        add(conditions, "port " + scalarText(match.port.value), ", ");
    if (!match.gateways.empty())
        add(conditions, "gateways " + joined(match.gateways), ", ");
    if (!match.sourceLabels.empty())
        add(conditions, "source " + labelsText(match.sourceLabels), ", ");
    if (match.ignoreUriCase.value)
        add(conditions, "ignoring case", ", ");
    add(out, conditions.empty() ? std::string("any request") : conditions);
    return out;
}

std::string summary(const model::HTTPRouteDestination& route) {
    std::string out = route.destination ? summary(*route.destination) : std::string();
    if (route.weight)
        add(out, "weight " + scalarText(route.weight.value), " · ");
    return out;
}

std::string summary(const model::RouteDestination& route) {
    std::string out = route.destination ? summary(*route.destination) : std::string();
    if (route.weight)
        add(out, "weight " + scalarText(route.weight.value), " · ");
    return out;
}

std::string summary(const model::TLSMatchAttributes& match) {
    std::string out;
    if (!match.sniHosts.empty())
        add(out, "sni " + joined(match.sniHosts), ", ");
    if (match.port)
        add(out, "port " + scalarText(match.port.value), ", ");
    return out;
}

std::string summary(const model::L4MatchAttributes& match) {
    std::string out;
    if (match.port)
        add(out, "port " + scalarText(match.port.value), ", ");
    if (!match.destinationSubnets.empty())
        add(out, "subnets " + joined(match.destinationSubnets), ", ");
    return out;
}

std::string summary(const model::HTTPRoute& rule) {
    std::string out = rule.name.value;
    if (rule.match.empty())
        add(out, "(every request)");
    else if (rule.match.size() == 1)
        add(out, summary(rule.match.front()));
    else
        add(out, std::to_string(rule.match.size()) + " matches");
    return out;
}

std::string summary(const model::HTTPRedirect& redirect) {
    std::string out;
    if (redirect.scheme)
        add(out, redirect.scheme.value + "://");
    out += redirect.authority.value;
    if (redirect.port)
        out += ":" + scalarText(redirect.port.value);
    out += redirect.uri.value;
    if (redirect.redirectCode)
        add(out, "(" + scalarText(redirect.redirectCode.value) + ")");
    return out;
}

std::string summary(const model::HTTPRewrite& rewrite) {
    std::string out;
    if (rewrite.uri)
        add(out, "uri " + rewrite.uri.value, ", ");
    if (rewrite.authority)
        add(out, "authority " + rewrite.authority.value, ", ");
    if (rewrite.uriRegexRewrite)
        add(out,
            "regex " + rewrite.uriRegexRewrite->match.value + " → " + rewrite.uriRegexRewrite->rewrite.value,
            ", ");
    return out;
}

std::string summary(const model::HTTPRetry& retry) {
    std::string out = scalarText(retry.attempts.value) + " attempts";
    if (retry.perTryTimeout)
        add(out, "per try " + scalarText(retry.perTryTimeout.value), ", ");
    if (retry.retryOn)
        add(out, "on " + retry.retryOn.value, ", ");
    return out;
}

std::string summary(const model::HTTPMirrorPolicy& mirror) {
    std::string out = mirror.destination ? summary(*mirror.destination) : std::string();
    if (mirror.percentage)
        add(out, summary(*mirror.percentage), " · ");
    return out;
}

std::string summary(const model::Percent& percent) {
    return scalarText(percent.value.value) + " %";
}

std::string summary(const model::ServicePort& port) {
    std::string out = scalarText(port.port.value);
    add(out, port.protocol.valueOr("TCP"), "/");
    if (port.name)
        add(out, "(" + port.name.value + ")");
    if (port.targetPort)
        add(out, "→ " + scalarText(port.targetPort.value));
    return out;
}

std::string summary(const model::Subset& subset) {
    std::string out = subset.name.value;
    if (!subset.labels.empty())
        add(out, "(" + labelsText(subset.labels) + ")");
    return out;
}

} // namespace sluice::inspect
