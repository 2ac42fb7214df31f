// SPDX-License-Identifier: Apache-2.0
#include "decision_formatter.h"

#include <nlohmann/json.hpp>

namespace sluice::cli {
namespace {

using routing::TraceStep;

std::string where(const model::SourceSpan& span, const std::vector<std::string>& files) {
    if (!span.known() || span.file >= files.size())
        return {};
    return files[span.file] + ":" + std::to_string(span.line);
}

const char* marker(TraceStep::Kind kind) {
    switch (kind) {
    case TraceStep::Kind::Info:
        return "  ";
    case TraceStep::Kind::Matched:
        return "\u2713 ";
    case TraceStep::Kind::Skipped:
        return "- ";
    case TraceStep::Kind::Failed:
        return "\u2717 ";
    }
    return "  ";
}

std::string headline(const routing::Decision& d) {
    using routing::Outcome;
    switch (d.outcome) {
    case Outcome::Forward:
        return "200 forwarded to " + d.destination->cluster;
    case Outcome::Redirect:
        return std::to_string(d.status) + " redirect to " + d.location;
    case Outcome::DirectResponse:
        return std::to_string(d.status) + " direct response from the gateway";
    case Outcome::FaultAbort:
        return std::to_string(d.status) + " fault injection abort (FI)";
    case Outcome::NoRoute:
        return std::to_string(d.status) + " no route (" + d.responseFlag + ")";
    case Outcome::ClusterNotFound:
        return "503 cluster not found (NC): " + (d.destination ? d.destination->cluster : std::string());
    case Outcome::NoHealthyUpstream:
        return "503 no healthy upstream (UH): " + (d.destination ? d.destination->cluster : std::string());
    case Outcome::ConnectionRefused:
        return "connection refused";
    case Outcome::ConnectionReset:
        return "connection reset";
    }
    return {};
}

nlohmann::ordered_json headerOps(const routing::HeaderOperations& ops) {
    nlohmann::ordered_json j;
    j["set"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : ops.set)
        j["set"][k] = v;
    j["add"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : ops.add)
        j["add"][k] = v;
    j["remove"] = ops.remove;
    return j;
}

std::string actionText(const routing::CompiledRoute& r) {
    const auto& a = *r.action;
    switch (a.kind) {
    case routing::RouteAction::Kind::Redirect:
        return "redirect " + std::to_string(a.redirect.code);
    case routing::RouteAction::Kind::DirectResponse:
        return "direct response " + std::to_string(a.directStatus);
    case routing::RouteAction::Kind::Route:
        break;
    }
    std::string out;
    for (const auto& d : a.destinations) {
        out += (out.empty() ? "" : ", ") + d.destination.cluster;
        if (a.destinations.size() > 1)
            out += " " + std::to_string(a.totalWeight ? 100.0 * d.weight / static_cast<double>(a.totalWeight) : 0).substr(0, 4) + "%";
        if (!d.clusterExists)
            out += " [missing]";
    }
    return out.empty() ? "(no destination)" : out;
}

} // namespace

void writeDecisionText(const routing::Request& request, const routing::Decision& d, const std::vector<std::string>& files,
                       bool colour, std::ostream& out) {
    const char* bold = colour ? "\x1b[1m" : "";
    const char* reset = colour ? "\x1b[0m" : "";
    out << request.method << ' ' << (request.tls ? "https://" : "http://") << request.authority << request.target
        << "  (" << (request.mesh ? "mesh" : "gateway") << ", port " << request.port << ")\n";
    out << bold << "=> " << headline(d) << reset << '\n';
    if (!d.origin.virtualService.empty())
        out << "   route: VirtualService " << d.origin.virtualService << " rule " << d.origin.ruleIndex
            << (d.origin.ruleName.empty() ? "" : " (" + d.origin.ruleName + ")")
            << (d.origin.matchIndex >= 0 ? " match " + std::to_string(d.origin.matchIndex) : "") << "  "
            << where(d.origin.span, files) << '\n';
    if (d.outcome == routing::Outcome::Forward) {
        out << "   upstream: " << d.upstreamAuthority << d.upstreamPath << '\n';
        out << "   timeout: " << (d.timeout ? d.timeout->toString() : "none (Istio disables the route timeout)") << '\n';
        out << "   retries: "
            << (d.retries.attempts == 0 ? std::string("off")
                                        : std::to_string(d.retries.attempts) + " attempts on " + d.retries.retryOn +
                                              (d.retries.isDefault ? " (Istio default)" : ""))
            << '\n';
        for (const auto& m : d.mirrors)
            out << "   mirror: " << m.destination.cluster << " (" << m.percent << "%)" << '\n';
    }
    out << "trace:\n";
    for (const auto& step : d.trace) {
        out << "  " << marker(step.kind) << step.text;
        if (const std::string w = where(step.span, files); !w.empty())
            out << "  [" << w << "]";
        out << '\n';
    }
}

void writeDecisionJson(const routing::Request& request, const routing::Decision& d, const std::vector<std::string>& files,
                       std::ostream& out) {
    nlohmann::ordered_json j;
    j["request"] = {{"method", request.method}, {"authority", request.authority}, {"path", request.target},
                    {"port", request.port},     {"tls", request.tls},             {"mesh", request.mesh}};
    j["outcome"] = std::string(routing::outcomeName(d.outcome));
    j["status"] = d.status;
    j["responseFlag"] = d.responseFlag.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(d.responseFlag);
    if (d.destination)
        j["destination"] = {{"host", d.destination->host},
                            {"port", d.destination->port},
                            {"subset", d.destination->subset},
                            {"cluster", d.destination->cluster}};
    else
        j["destination"] = nullptr;
    j["origin"] = {{"gateway", d.origin.gateway},
                   {"virtualService", d.origin.virtualService},
                   {"rule", d.origin.ruleIndex},
                   {"match", d.origin.matchIndex},
                   {"ruleName", d.origin.ruleName},
                   {"routeConfig", d.origin.routeConfig},
                   {"virtualHost", d.origin.virtualHost},
                   {"source", where(d.origin.span, files)}};
    j["upstreamPath"] = d.upstreamPath;
    j["upstreamAuthority"] = d.upstreamAuthority;
    j["requestHeaders"] = headerOps(d.requestHeaders);
    j["responseHeaders"] = headerOps(d.responseHeaders);
    if (!d.location.empty())
        j["location"] = d.location;
    if (d.outcome == routing::Outcome::DirectResponse)
        j["body"] = d.body;
    j["timeout"] = d.timeout ? nlohmann::ordered_json(d.timeout->toString()) : nlohmann::ordered_json();
    j["retries"] = {{"attempts", d.retries.attempts}, {"retryOn", d.retries.retryOn}, {"default", d.retries.isDefault}};
    j["mirrors"] = nlohmann::ordered_json::array();
    for (const auto& m : d.mirrors)
        j["mirrors"].push_back({{"cluster", m.destination.cluster}, {"percent", m.percent}});
    j["trace"] = nlohmann::ordered_json::array();
    static constexpr const char* kinds[] = {"info", "matched", "skipped", "failed"};
    for (const auto& s : d.trace)
        j["trace"].push_back({{"kind", kinds[static_cast<int>(s.kind)]}, {"text", s.text}, {"source", where(s.span, files)}});
    out << j.dump(2) << '\n';
}

void writeRouteTableText(const routing::RouteTable& table, std::ostream& out) {
    if (table.listeners().empty())
        out << "No Gateway selects " << table.workload().ns << "/" << table.workload().name << ": no listeners.\n";
    for (const auto& [port, l] : table.listeners()) {
        out << "port " << port << "  ";
        for (const auto& g : l.gateways)
            out << "[Gateway " << g << "] ";
        out << '\n';
        for (const auto& n : l.notes)
            out << "  note: " << n << '\n';
        auto printConfig = [&](const routing::RouteConfig& c, const std::string& indent) {
            out << indent << "route config " << c.name() << (c.isBlackhole() ? " (blackhole: every request 404 NR)" : "") << '\n';
            for (const auto& vh : c.virtualHosts()) {
                out << indent << "  host " << vh.domain << (vh.requireTls ? "  (httpsRedirect: 301 to https)" : "") << '\n';
                for (const auto& r : vh.routes)
                    out << indent << "    " << r.match.describe() << "  ->  " << actionText(r) << "   ["
                        << r.origin.virtualService << " rule " << r.origin.ruleIndex << "]\n";
            }
        };
        switch (l.kind) {
        case routing::Listener::Kind::Http:
            printConfig(*l.http, "  ");
            break;
        case routing::Listener::Kind::Tcp:
            out << "  TCP proxy ->";
            for (const auto& d : l.tcp->destinations)
                out << ' ' << d.destination.cluster << " (weight " << d.weight << ")";
            out << "   [" << l.tcp->origin.virtualService << " tcp rule " << l.tcp->origin.ruleIndex << "]\n";
            break;
        case routing::Listener::Kind::Tls:
            for (const auto& chain : l.chains) {
                out << "  SNI ";
                if (chain.serverNames.empty())
                    out << "*";
                for (const auto& n : chain.serverNames)
                    out << n << ' ';
                out << " (" << chain.gateway << " " << chain.server << ")\n";
                if (chain.http)
                    printConfig(*chain.http, "    ");
                if (chain.tcp) {
                    out << "    TCP proxy ->";
                    for (const auto& d : chain.tcp->destinations)
                        out << ' ' << d.destination.cluster << " (weight " << d.weight << ")";
                    out << '\n';
                }
            }
            break;
        }
    }
}

void writeRouteTableJson(const routing::RouteTable& table, std::ostream& out) {
    nlohmann::ordered_json listeners = nlohmann::ordered_json::array();
    auto configJson = [](const routing::RouteConfig& c) {
        nlohmann::ordered_json vhosts = nlohmann::ordered_json::array();
        for (const auto& vh : c.virtualHosts()) {
            nlohmann::ordered_json routes = nlohmann::ordered_json::array();
            for (const auto& r : vh.routes)
                routes.push_back({{"match", r.match.describe()},
                                  {"action", actionText(r)},
                                  {"virtualService", r.origin.virtualService},
                                  {"rule", r.origin.ruleIndex}});
            vhosts.push_back({{"domain", vh.domain}, {"requireTls", vh.requireTls}, {"routes", routes}});
        }
        return nlohmann::ordered_json{{"name", c.name()}, {"blackhole", c.isBlackhole()}, {"virtualHosts", vhosts}};
    };
    for (const auto& [port, l] : table.listeners()) {
        nlohmann::ordered_json j{{"port", port}, {"gateways", l.gateways}, {"notes", l.notes}};
        if (l.http)
            j["routeConfig"] = configJson(*l.http);
        if (l.tcp) {
            j["tcp"] = nlohmann::ordered_json::array();
            for (const auto& d : l.tcp->destinations)
                j["tcp"].push_back({{"cluster", d.destination.cluster}, {"weight", d.weight}});
        }
        for (const auto& chain : l.chains) {
            nlohmann::ordered_json c{{"serverNames", chain.serverNames}, {"gateway", chain.gateway}};
            if (chain.http)
                c["routeConfig"] = configJson(*chain.http);
            j["filterChains"].push_back(c);
        }
        listeners.push_back(std::move(j));
    }
    out << nlohmann::ordered_json{{"listeners", listeners}}.dump(2) << '\n';
}

} // namespace sluice::cli
