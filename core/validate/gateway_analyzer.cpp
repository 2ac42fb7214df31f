// SPDX-License-Identifier: Apache-2.0
// gateway.IngressGatewayPortAnalyzer (istio/istio pkg/config/analysis/analyzers/gateway/gateway.go).

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <set>
#include <unordered_map>

namespace sluice::validate {
namespace {

/// TCP ports (port and targetPort) of the Services in the workload's namespace selecting it.
void addServicePorts(const AnalyzerIndex& index, const WorkloadRef& workload,
                     std::set<std::uint32_t>& ports) {
    // A Service without a selector selects no pod (Kubernetes semantics).
    for (const auto* svc : index.servicesSelecting(workload.ns, workload.labels)) {
        for (const auto& p : svc->spec.ports) {
            // Kubernetes defaults an absent protocol to TCP.
            if (p.protocol.present && p.protocol.value != "TCP")
                continue;
            if (p.port.value > 0)
                ports.insert(static_cast<std::uint32_t>(p.port.value));
            const auto& target = p.targetPort.value;
            if (p.targetPort.present && target.isInt && target.number > 0 && target.number <= 65535)
                ports.insert(static_cast<std::uint32_t>(target.number));
        }
    }
}

} // namespace

void analyzeGatewayWorkloads(const AnalyzerIndex& index, model::Diagnostics& out) {
    std::unordered_map<std::string, std::set<std::uint32_t>> portsBySelector;
    for (const auto& gw : index.resources().gateways) {
        ResourceReporter report(out, gw);
        const auto& selector = gw.spec.selector;
        const std::string selectorText = selectorString(selector);
        // Istio points at {.spec.selector.<first key of the sorted selector>}.
        const std::string field =
            selector.empty() ? "spec.selector" : "spec.selector." + selector.begin()->first;
        const model::SourceSpan at = selector.empty() ? model::SourceSpan{} : selector.begin()->second.span;

        const auto& matched = index.selectedWorkloads(selector);
        if (matched.empty()) {
            report.report("IST0101", model::Level::Error, field, at,
                          "Referenced selector not found: " + goQuote(selectorText));
            continue;
        }
        auto [it, fresh] = portsBySelector.try_emplace(selectorText);
        if (fresh)
            for (const auto w : matched)
                addServicePorts(index, index.workloads()[w], it->second);
        for (const auto& server : gw.spec.servers) {
            if (!server.port)
                continue;
            const std::uint32_t number = server.port->number.value;
            if (it->second.contains(number))
                continue;
            report.report(
                "IST0162", model::Level::Warning, field, at,
                "The gateway is listening on a target port (port " + std::to_string(number) +
                    ") that is not defined in the Service associated with its workload instances (Pod "
                    "selector " +
                    selectorText +
                    "). If you need to access the gateway port through the gateway Service, it will not "
                    "be available.");
        }
    }
}

} // namespace sluice::validate
