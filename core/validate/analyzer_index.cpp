// SPDX-License-Identifier: Apache-2.0
#include "analyzer_index.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace sluice::validate {
namespace {

constexpr std::string_view kExportToAnnotation = "networking.istio.io/exportTo";
constexpr std::string_view kRegionLabel = "topology.kubernetes.io/region";
constexpr std::string_view kZoneLabel = "topology.kubernetes.io/zone";
constexpr std::string_view kSubzoneLabel = "topology.istio.io/subzone";
constexpr std::string_view kHostnameLabel = "kubernetes.io/hostname";

std::string key(std::string_view ns, std::string_view name) {
    return std::string(ns) + "/" + std::string(name);
}

const std::vector<const model::Service*> kNoServices;

/// Labels of metadata.labels in a raw YAML document (for kinds Sluice does not model).
Labels labelsOf(const YAML::Node& root) {
    Labels out;
    const YAML::Node labels = root["metadata"] ? root["metadata"]["labels"] : YAML::Node();
    if (!labels || !labels.IsMap())
        return out;
    for (const auto& kv : labels)
        if (kv.first.IsScalar() && kv.second.IsScalar())
            out.emplace(kv.first.Scalar(), kv.second.Scalar());
    return out;
}

std::string scalar(const YAML::Node& node) {
    return node && node.IsScalar() ? node.Scalar() : std::string();
}

} // namespace

AnalyzerIndex::AnalyzerIndex(const model::ResourceSet& resources, const model::GatewayWorkload& gateway)
    : m_resources(resources) {
    indexSkippedDocuments();
    indexWorkloads(gateway);
    indexServices(gateway);
    indexServiceSelectors();
    indexHosts();
    for (const auto& g : resources.gateways)
        m_gateways.emplace(key(g.header.ns(), g.header.name()), &g);
    for (const auto& s : resources.secrets)
        m_secrets.emplace(key(s.header.ns(), s.header.name()), &s);
    for (const auto& dr : resources.destinationRules) {
        const FullName host = resourceNameFromHost(dr.header.ns(), dr.spec.host.value);
        for (const auto& subset : dr.spec.subsets)
            m_subsets.insert(key(host.ns, host.name) + "/" + subset.name.value);
    }
}

void AnalyzerIndex::indexSkippedDocuments() {
    std::set<std::pair<std::uint32_t, std::uint32_t>> parsed;
    for (const auto& doc : m_resources.skipped) {
        if (doc.kind == "Gateway" && doc.apiVersion.starts_with("gateway.networking.k8s.io/"))
            m_kubernetesGateways.insert(key(doc.ns, doc.name));
        if ((doc.kind != "Node" && doc.kind != "Namespace") || doc.doc.file >= m_resources.files.size())
            continue;
        if (!parsed.emplace(doc.doc.file, doc.doc.index).second)
            continue;
        const std::string& text = m_resources.files[doc.doc.file].text;
        if (doc.doc.begin >= text.size() || doc.doc.end < doc.doc.begin)
            continue;
        try {
            const YAML::Node root = YAML::Load(text.substr(doc.doc.begin, doc.doc.end - doc.doc.begin));
            std::vector<YAML::Node> items{root};
            if (scalar(root["kind"]) == "List" && root["items"] && root["items"].IsSequence()) {
                items.clear();
                for (const auto& item : root["items"])
                    items.push_back(static_cast<const YAML::Node&>(item));
            }
            for (const auto& item : items) {
                const std::string kind = scalar(item["kind"]);
                const std::string name = item["metadata"] ? scalar(item["metadata"]["name"]) : std::string();
                if (kind == "Node")
                    m_nodeLabels[name] = labelsOf(item);
                else if (kind == "Namespace")
                    m_namespaceLabels[name] = labelsOf(item);
            }
        } catch (const std::exception&) {
            // The loader has already reported unparsable documents; nothing to learn from this one.
        }
    }
}

void AnalyzerIndex::indexWorkloads(const model::GatewayWorkload& gateway) {
    for (const auto& pod : m_resources.pods) {
        WorkloadRef w{"Pod",
                      pod.header.ns(),
                      pod.header.name(),
                      toLabels(pod.header.metadata.labels),
                      {},
                      &pod.header.metadata,
                      false};
        w.topologyLabels = w.labels;
        const std::string& node = pod.spec.nodeName.value;
        if (!node.empty()) {
            if (const auto it = m_nodeLabels.find(node); it != m_nodeLabels.end())
                for (const auto label : {kRegionLabel, kZoneLabel, kSubzoneLabel})
                    if (const auto l = it->second.find(label); l != it->second.end() && !l->second.empty())
                        w.topologyLabels[std::string(label)] = l->second;
            w.topologyLabels[std::string(kHostnameLabel)] = node;
        }
        m_workloads.push_back(std::move(w));
    }
    for (const auto& d : m_resources.deployments) {
        const model::ObjectMeta* meta = d.spec.template_ ? &d.spec.template_->metadata : nullptr;
        WorkloadRef w{
            "Deployment", d.header.ns(), d.header.name(), meta ? toLabels(meta->labels) : Labels{}, {},
            meta,         false};
        w.topologyLabels = w.labels;
        m_workloads.push_back(std::move(w));
    }
    for (const auto& wl : m_resources.workloads) {
        if (wl.spec.deployment.present)
            continue; // behaviour for a Deployment's pods, not a workload of its own
        WorkloadRef w{"Workload",          wl.header.ns(), wl.header.name(), toLabels(wl.spec.labels), {},
                      &wl.header.metadata, false};
        w.topologyLabels = w.labels;
        m_workloads.push_back(std::move(w));
    }
    m_inputHasWorkloads = !m_workloads.empty();

    // Istio's offline default (local/defaults.go), unless the input holds the real gateway workload.
    Labels gatewayLabels(gateway.labels.begin(), gateway.labels.end());
    const bool realGateway = std::any_of(m_workloads.begin(), m_workloads.end(), [&](const WorkloadRef& w) {
        return !gatewayLabels.empty() && selectorMatches(gatewayLabels, w.labels);
    });
    if (!realGateway) {
        WorkloadRef w{"Pod",   gateway.ns, gateway.name + "-dummypod", gatewayLabels, gatewayLabels,
                      nullptr, true};
        m_workloads.push_back(std::move(w));
    }

    std::vector<const Labels*> plain, topology;
    for (const auto& w : m_workloads) {
        plain.push_back(&w.labels);
        topology.push_back(&w.topologyLabels);
    }
    m_labelIndex = LabelIndex(std::move(plain));
    m_topologyIndex = LabelIndex(std::move(topology));
}

void AnalyzerIndex::indexServices(const model::GatewayWorkload& gateway) {
    bool realService = false;
    for (const auto& s : m_resources.services) {
        m_servicesByNs[s.header.ns()].push_back(&s);
        m_services.emplace(key(s.header.ns(), s.header.name()), &s);
        realService = realService || (s.header.ns() == gateway.ns && s.header.name() == gateway.name);
    }
    if (realService)
        return;
    m_syntheticService = std::make_unique<model::Service>();
    auto& svc = *m_syntheticService;
    svc.header.kind = std::string(model::Service::kKind);
    svc.header.metadata.name = gateway.name;
    svc.header.metadata.namespace_ = gateway.ns;
    for (const auto& [k, v] : gateway.labels)
        svc.spec.selector.emplace(k, v);
    for (const auto& p : gateway.servicePorts) {
        model::ServicePort port;
        port.name = p.name;
        port.protocol = std::string("TCP");
        port.port = static_cast<std::int32_t>(p.port);
        port.targetPort = model::IntOrString{true, p.targetPort, {}};
        svc.spec.ports.push_back(std::move(port));
    }
    m_servicesByNs[gateway.ns].push_back(&svc);
}

void AnalyzerIndex::indexServiceSelectors() {
    std::size_t position = 0;
    auto add = [&](const model::Service& s) {
        ++position;
        if (s.spec.selector.empty())
            return;
        const auto& [k, v] = *s.spec.selector.begin();
        m_servicesBySelector[s.header.ns() + '\0' + k + '\0' + v.value].emplace_back(position, &s);
    };
    for (const auto& s : m_resources.services)
        add(s);
    if (m_syntheticService)
        add(*m_syntheticService);
}

std::vector<const model::Service*> AnalyzerIndex::servicesSelecting(std::string_view ns,
                                                                    const Labels& labels) const {
    std::vector<std::pair<std::size_t, const model::Service*>> found;
    for (const auto& [k, v] : labels) {
        const auto it = m_servicesBySelector.find(std::string(ns) + '\0' + k + '\0' + v);
        if (it == m_servicesBySelector.end())
            continue;
        for (const auto& entry : it->second)
            if (selectorMatches(entry.second->spec.selector, labels))
                found.push_back(entry);
    }
    std::sort(found.begin(), found.end());
    std::vector<const model::Service*> out;
    out.reserve(found.size());
    for (const auto& entry : found)
        out.push_back(entry.second);
    return out;
}

void AnalyzerIndex::addHost(const std::string& hostKey, DestinationHost host) {
    const auto [it, inserted] = m_hosts.insert_or_assign(hostKey, std::move(host));
    const auto slash = hostKey.find('/');
    if (inserted && slash != std::string::npos && hostKey.compare(slash + 1, 1, "*") == 0)
        m_wildcardHostKeys.push_back(hostKey);
    (void)it;
}

void AnalyzerIndex::indexHosts() {
    for (const auto& se : m_resources.serviceEntries) {
        const std::string& ns = se.header.ns();
        // Visible to all namespaces, or to each namespace of exportTo ("." = its own); istio's
        // analyzer test virtualservice_destinationhosts.yaml (vs-to-extporto-serviceentry) relies on it.
        std::set<std::string> scopes;
        if (exportsToAll(se.spec.exportTo))
            scopes.insert("*");
        else
            for (const auto& e : se.spec.exportTo)
                scopes.insert(e.value == "." ? ns : e.value);
        DestinationHost host;
        host.serviceEntry = &se;
        for (const auto& p : se.spec.ports)
            host.ports.push_back(p.number.value);
        if (se.spec.workloadSelector)
            host.workloadSelector = toLabels(se.spec.workloadSelector->labels);
        for (const auto& scope : scopes)
            for (const auto& h : se.spec.hosts)
                addHost(scopedFqdn(scope, ns, h.value), host);
    }
    auto addService = [&](const model::Service& s) {
        DestinationHost host;
        host.service = &s;
        for (const auto& p : s.spec.ports)
            host.ports.push_back(static_cast<std::uint32_t>(p.port.value));
        const std::string& ns = s.header.ns();
        std::vector<std::string> scopes;
        const auto anno = s.header.metadata.annotations.find(kExportToAnnotation);
        if (anno == s.header.metadata.annotations.end() || anno->second.value.empty()) {
            scopes.emplace_back("*");
        } else {
            std::string_view rest = anno->second.value;
            while (true) {
                const auto comma = rest.find(',');
                const std::string_view part = rest.substr(0, comma);
                scopes.emplace_back(part == "." ? std::string_view(ns) : part);
                if (comma == std::string_view::npos)
                    break;
                rest.remove_prefix(comma + 1);
            }
        }
        for (const auto& scope : scopes)
            addHost(scopedFqdn(scope, ns, s.header.name()), host);
    };
    for (const auto& s : m_resources.services)
        addService(s);
    if (m_syntheticService)
        addService(*m_syntheticService);
}

const std::vector<const model::Service*>& AnalyzerIndex::servicesIn(std::string_view ns) const {
    const auto it = m_servicesByNs.find(std::string(ns));
    return it == m_servicesByNs.end() ? kNoServices : it->second;
}

bool AnalyzerIndex::isSynthetic(const model::Service* service) const {
    return service && service == m_syntheticService.get();
}

const model::Service* AnalyzerIndex::service(const FullName& name) const {
    const auto it = m_services.find(key(name.ns, name.name));
    return it == m_services.end() ? nullptr : it->second;
}

const model::Gateway* AnalyzerIndex::gateway(const FullName& name) const {
    const auto it = m_gateways.find(key(name.ns, name.name));
    return it == m_gateways.end() ? nullptr : it->second;
}

bool AnalyzerIndex::kubernetesGatewayExists(const FullName& name) const {
    return m_kubernetesGateways.contains(key(name.ns, name.name));
}

const model::Secret* AnalyzerIndex::secret(const FullName& name) const {
    const auto it = m_secrets.find(key(name.ns, name.name));
    return it == m_secrets.end() ? nullptr : it->second;
}

const DestinationHost*
AnalyzerIndex::destinationHost(std::string_view sourceNs,
                               const std::vector<model::Located<std::string>>& exportTo,
                               std::string_view host) const {
    auto find = [&](std::string_view scope) -> const DestinationHost* {
        const auto it = m_hosts.find(scopedFqdn(scope, sourceNs, host));
        return it == m_hosts.end() ? nullptr : &it->second;
    };
    if (const auto* h = find("*"))
        return h;
    if (exportTo.empty()) {
        if (const auto* h = find(sourceNs))
            return h;
    } else {
        for (const auto& e : exportTo)
            if (const auto* h = find(e.value == "." ? sourceNs : std::string_view(e.value)))
                return h;
    }
    // Wildcard hosts visible to the source namespace (in insertion order; Istio's map order is random).
    const std::string_view bare = host.starts_with('*') ? host.substr(1) : host;
    for (const auto& k : m_wildcardHostKeys) {
        const auto slash = k.find('/');
        const std::string_view scope = std::string_view(k).substr(0, slash);
        if (scope != "*" && scope != sourceNs)
            continue;
        if (bare.ends_with(std::string_view(k).substr(slash + 2)))
            return &m_hosts.at(k);
    }
    return nullptr;
}

bool AnalyzerIndex::destinationRuleDefinesSubset(const FullName& host, std::string_view subset) const {
    return m_subsets.contains(key(host.ns, host.name) + "/" + std::string(subset));
}

const std::vector<std::size_t>& AnalyzerIndex::selectedWorkloads(const model::StringMap& selector) const {
    std::string cacheKey;
    for (const auto& [k, v] : selector) {
        cacheKey += k;
        cacheKey += '\0';
        cacheKey += v.value;
        cacheKey += '\0';
    }
    if (const auto it = m_selectorCache.find(cacheKey); it != m_selectorCache.end())
        return it->second;
    return m_selectorCache.emplace(cacheKey, m_labelIndex.select(toLabels(selector))).first->second;
}

bool AnalyzerIndex::anyWorkloadSelected(const Labels& selector) const {
    return m_labelIndex.any(selector);
}

bool AnalyzerIndex::anyWorkloadSelectedIn(std::string_view ns, const Labels& selector) const {
    for (const auto i : m_labelIndex.select(selector))
        if (m_workloads[i].ns == ns)
            return true;
    return false;
}

bool AnalyzerIndex::anyTopologyWorkloadSelected(const Labels& selector) const {
    return m_topologyIndex.any(selector);
}

const std::string* AnalyzerIndex::namespaceLabel(std::string_view ns, std::string_view labelKey) const {
    const auto it = m_namespaceLabels.find(ns);
    if (it == m_namespaceLabels.end())
        return nullptr;
    const auto l = it->second.find(labelKey);
    return l == it->second.end() ? nullptr : &l->second;
}

} // namespace sluice::validate
