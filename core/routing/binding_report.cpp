// SPDX-License-Identifier: Apache-2.0
#include "binding_report.h"

#include "host_name.h"

#include <algorithm>

namespace sluice::routing {
namespace {

using Kind = TraceStep::Kind;
constexpr std::size_t kMaxExplained = 5;

std::string joined(const std::vector<std::string>& items, std::size_t limit = 8) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i == limit) {
            out += ", ... (" + std::to_string(items.size() - limit) + " more)";
            break;
        }
        out += (i ? ", " : "") + items[i];
    }
    return out.empty() ? std::string("none") : out;
}

bool lists(const VirtualServiceBinding& vs, std::string_view host) {
    return std::any_of(vs.hosts.begin(), vs.hosts.end(),
                       [&](const std::string& h) { return hostsMatch(h, host); });
}

std::vector<const VirtualServiceBinding*> listing(const BindingReport& report, std::string_view host) {
    std::vector<const VirtualServiceBinding*> out;
    for (const auto& vs : report.virtualServices)
        if (lists(vs, host))
            out.push_back(&vs);
    return out;
}

std::string where(const BindingReport& report) {
    return "the Gateway server(s) of " + joined(report.gateways) + " on port " + std::to_string(report.port);
}

} // namespace

void explainUnservedHost(const BindingReport& report, std::string_view host, Decision& decision) {
    const auto candidates = listing(report, host);
    if (candidates.empty()) {
        decision.note(Kind::Info, "no VirtualService bound to this gateway lists host " + std::string(host) +
                                      " or a wildcard covering it; " + where(report) + " serve " +
                                      joined(report.serverHosts) +
                                      ". Add the host to a VirtualService bound to one of these Gateways");
        return;
    }
    std::size_t shown = 0;
    for (const auto* vs : candidates) {
        if (shown++ == kMaxExplained)
            break;
        if (vs->reason.empty())
            decision.note(Kind::Info,
                          "VirtualService " + vs->name + " lists host " + std::string(host) + ", but " +
                              where(report) + " do not serve it (server hosts: " +
                              joined(report.serverHosts) + "); add the host to the Gateway server",
                          vs->span);
        else
            decision.note(Kind::Info, vs->reason, vs->span);
    }
}

void explainBlackhole(const BindingReport& report, std::string_view host, Decision& decision) {
    if (report.virtualServices.empty()) {
        decision.note(Kind::Info, "no VirtualService names " + joined(report.gateways) +
                                      " in its gateways, and none lists a host " + where(report) +
                                      " serve (" + joined(report.serverHosts) + ")");
        return;
    }
    // VirtualServices listing the requested host first: they are the ones the user expected.
    auto ordered = listing(report, host);
    for (const auto& vs : report.virtualServices)
        if (std::find(ordered.begin(), ordered.end(), &vs) == ordered.end())
            ordered.push_back(&vs);
    std::size_t shown = 0;
    for (const auto* vs : ordered) {
        if (vs->reason.empty())
            continue;
        if (shown++ == kMaxExplained) {
            decision.note(Kind::Info, "... and " + std::to_string(ordered.size() - kMaxExplained) +
                                          " more VirtualService(s) dropped for this port");
            break;
        }
        decision.note(Kind::Info, vs->reason, vs->span);
    }
}

void explainDroppedForHost(const BindingReport& report, std::string_view host, Decision& decision) {
    std::size_t shown = 0;
    for (const auto* vs : listing(report, host)) {
        if (vs->reason.empty())
            continue;
        if (shown++ == kMaxExplained)
            break;
        decision.note(Kind::Info, "its rules are not in this virtual host: " + vs->reason, vs->span);
    }
}

} // namespace sluice::routing
