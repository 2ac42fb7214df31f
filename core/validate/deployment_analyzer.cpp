// SPDX-License-Identifier: Apache-2.0
// deployment.ServiceAssociationAnalyzer (istio/istio pkg/config/analysis/analyzers/deployment/services.go),
// applied to Deployments and to sluice Workloads (both stand for a set of pods with those labels).

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <map>

namespace sluice::validate {
namespace {

constexpr std::string_view kInjectKey = "sidecar.istio.io/inject";

/// util.DeploymentInMesh. The inject annotation (or label) decides; else the namespace's
/// istio-injection label when the input holds the Namespace. Offline, with neither, Sluice takes the
/// workload to be in the mesh: the files are the mesh's configuration.
bool inMesh(const AnalyzerIndex& index, const model::ObjectMeta* meta, const std::string& ns) {
    if (meta) {
        for (const auto* map : {&meta->annotations, &meta->labels})
            if (const auto it = map->find(kInjectKey); it != map->end())
                return it->second.value == "true";
    }
    if (const std::string* label = index.namespaceLabel(ns, "istio-injection"))
        return *label == "enabled";
    return true;
}

std::string serviceName(const model::Service& s) {
    return s.header.ns() + "/" + s.header.name();
}

std::string targetPortKey(const model::ServicePort& port) {
    const auto& t = port.targetPort.value;
    std::string key = !port.targetPort.present ? std::string() : t.isInt ? std::to_string(t.number) : t.name;
    if (key.empty() || key == "0")
        key = std::to_string(port.port.value); // the targetPort defaults to the port
    return key;
}

template <class R>
void analyze(const AnalyzerIndex& index, const R& resource, const Labels& podLabels,
             model::Diagnostics& out) {
    std::vector<const model::Service*> matching = index.servicesSelecting(resource.header.ns(), podLabels);
    std::erase_if(matching, [&](const model::Service* svc) { return index.isSynthetic(svc); });
    if (matching.size() < 2)
        return;

    // port -> protocol (TCP when absent) -> services; targetPort -> port -> service.
    std::map<std::int32_t, std::map<std::string, std::vector<std::string>>> protocols;
    std::map<std::string, std::map<std::int32_t, std::string>> targets;
    for (const auto* svc : matching)
        for (const auto& port : svc->spec.ports) {
            const std::string protocol =
                port.protocol.value.empty() ? std::string("TCP") : port.protocol.value;
            protocols[port.port.value][protocol].push_back(serviceName(*svc));
            targets[targetPortKey(port)][port.port.value] = serviceName(*svc);
        }

    ResourceReporter report(out, resource);
    const auto& nameSpan = resource.header.metadata.name.span;
    const std::string& name = resource.header.name();
    for (const auto& [port, byProtocol] : protocols) {
        if (byProtocol.size() < 2)
            continue;
        std::vector<std::string> services;
        for (const auto& [protocol, names] : byProtocol)
            services.insert(services.end(), names.begin(), names.end());
        report.report("IST0116", model::Level::Warning, "metadata.name", nameSpan,
                      "This deployment " + name + " is associated with multiple services using port " +
                          std::to_string(port) + " but different protocols: " + goList(services));
    }
    for (const auto& [targetPort, byPort] : targets) {
        if (byPort.size() < 2)
            continue;
        std::vector<std::string> services;
        std::vector<std::uint32_t> ports;
        for (const auto& [port, service] : byPort) {
            services.push_back(service);
            ports.push_back(static_cast<std::uint32_t>(port));
        }
        report.report("IST0137", model::Level::Warning, "metadata.name", nameSpan,
                      "This deployment " + name + " is associated with multiple services " +
                          goList(services) + " using targetPort " + goQuote(targetPort) +
                          " but different ports: " + goList(ports) + ".");
    }
}

} // namespace

void analyzeDeployments(const AnalyzerIndex& index, model::Diagnostics& out) {
    for (const auto& d : index.resources().deployments) {
        const model::ObjectMeta* meta = d.spec.template_ ? &d.spec.template_->metadata : nullptr;
        if (inMesh(index, meta, d.header.ns()))
            analyze(index, d, meta ? toLabels(meta->labels) : Labels{}, out);
    }
    for (const auto& w : index.resources().workloads)
        if (!w.spec.deployment.present && inMesh(index, &w.header.metadata, w.header.ns()))
            analyze(index, w, toLabels(w.spec.labels), out);
}

} // namespace sluice::validate
