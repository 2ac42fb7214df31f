// SPDX-License-Identifier: Apache-2.0
#include "fleet_plan.h"

#include "routing/destination_resolver.h"

#include <charconv>
#include <tuple>

namespace sluice::workload {
namespace {

using Resolver = routing::DestinationResolver;

/// "reviews.default.svc.cluster.local" -> "default".
std::string serviceNamespace(const std::string& fqdn) {
    const auto first = fqdn.find('.');
    const auto second = first == std::string::npos ? first : fqdn.find('.', first + 1);
    return second == std::string::npos ? std::string() : fqdn.substr(first + 1, second - first - 1);
}

/// Builds the plan, giving each replica one index however many clusters reach it.
class FleetPlanner {
public:
    FleetPlanner(const model::ResourceSet& resources, const Resolver& resolver)
        : m_resources(resources)
        , m_resolver(resolver) {}

    void addCluster(const std::string& cluster, const std::string& fqdn, const std::string& serviceName,
                    const std::map<std::string, std::string>& subsetLabels) {
        const Resolver::HostBackends backends = m_resolver.backends(fqdn, subsetLabels);
        auto& members = m_plan.clusters[cluster];
        if (backends.defaultReplica) {
            members.push_back(replica({"Service", serviceNamespace(fqdn), serviceName, 0}, serviceName + "-1",
                                      BackendBehaviour{}, {}));
            return;
        }
        for (const auto& b : backends.workloads)
            addBackend(b, members);
    }

    FleetPlan take() { return std::move(m_plan); }

private:
    using Key = std::tuple<std::string, std::string, std::string, std::size_t>; // kind, ns, name, replica

    void addBackend(const Resolver::Backend& b, std::vector<std::size_t>& members) {
        if (b.kind == "Workload") {
            const model::Workload* w = findWorkload(b.ns, b.name);
            if (w && w->spec.endpoint.present) {
                // A real local process answers for every replica the spec names.
                auto real = parseEndpoint(w->spec.endpoint.value, b.name);
                if (real)
                    members.push_back(replica({b.kind, b.ns, b.name, 0}, b.name, BackendBehaviour{}, real));
                return;
            }
            const BackendBehaviour behaviour = w ? BackendBehaviour::fromSpec(w->spec) : BackendBehaviour{};
            for (std::size_t i = 1; i <= b.replicas; ++i)
                members.push_back(
                    replica({b.kind, b.ns, b.name, i}, b.name + "-" + std::to_string(i), behaviour, {}));
            return;
        }
        if (b.kind == "Pod") {
            members.push_back(replica({b.kind, b.ns, b.name, 0}, b.name, BackendBehaviour{}, {}));
            return;
        }
        for (std::size_t i = 1; i <= b.replicas; ++i)
            members.push_back(
                replica({b.kind, b.ns, b.name, i}, b.name + "-" + std::to_string(i), BackendBehaviour{}, {}));
    }

    std::size_t replica(Key key, std::string name, BackendBehaviour behaviour,
                        std::optional<proxy::Endpoint> real) {
        const auto [it, added] = m_index.try_emplace(key, m_plan.replicas.size());
        if (added) {
            proxy::WorkloadIdentity owner = ownerOf(std::get<0>(key), std::get<1>(key), std::get<2>(key));
            if (real)
                real->owner = owner;
            m_plan.replicas.push_back(
                {std::move(name), std::move(behaviour), std::move(real), std::move(owner)});
        }
        return it->second;
    }

    /// Who a replica belongs to, with the labels Istio's telemetry reads (app, version).
    proxy::WorkloadIdentity ownerOf(const std::string& kind, const std::string& ns,
                                    const std::string& name) const {
        proxy::WorkloadIdentity owner{name, ns, {}, {}};
        const model::StringMap* labels = nullptr;
        if (kind == "Workload") {
            if (const model::Workload* w = findWorkload(ns, name))
                labels = &w->spec.labels;
        } else if (kind == "Deployment") {
            for (const auto& d : m_resources.deployments)
                if (d.header.ns() == ns && d.header.name() == name && d.spec.template_)
                    labels = &d.spec.template_->metadata.labels;
        } else if (kind == "Pod") {
            for (const auto& p : m_resources.pods)
                if (p.header.ns() == ns && p.header.name() == name)
                    labels = &p.header.metadata.labels;
        }
        if (labels) {
            if (const auto it = labels->find("app"); it != labels->end())
                owner.app = it->second.value;
            if (const auto it = labels->find("version"); it != labels->end())
                owner.version = it->second.value;
        }
        return owner;
    }

    const model::Workload* findWorkload(const std::string& ns, const std::string& name) const {
        for (const auto& w : m_resources.workloads)
            if (w.header.ns() == ns && w.header.name() == name)
                return &w;
        return nullptr;
    }

    const model::ResourceSet& m_resources;
    const Resolver& m_resolver;
    FleetPlan m_plan;
    std::map<Key, std::size_t> m_index;
};

} // namespace

std::optional<proxy::Endpoint> parseEndpoint(std::string_view text, std::string workload) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return std::nullopt;
    std::string_view host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const std::string_view digits = text.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535)
        return std::nullopt;
    return proxy::Endpoint{host == "localhost" ? std::string("127.0.0.1") : std::string(host),
                           static_cast<std::uint16_t>(port), std::move(workload)};
}

FleetPlan planFleet(const model::ResourceSet& resources, const model::GatewayWorkload& gateway) {
    const Resolver resolver(resources, gateway.ns);
    FleetPlanner planner(resources, resolver);
    for (const auto& service : resources.services) {
        const std::string fqdn = routing::expandShortName(service.header.name(), service.header.ns());
        const auto subsets = resolver.subsets(fqdn);
        for (const auto& port : service.spec.ports) {
            if (!port.port.present)
                continue;
            const std::string number = std::to_string(port.port.value);
            planner.addCluster("outbound|" + number + "||" + fqdn, fqdn, service.header.name(), {});
            for (const auto& subset : subsets)
                planner.addCluster("outbound|" + number + "|" + subset.name + "|" + fqdn, fqdn,
                                   service.header.name(), subset.labels);
        }
    }
    return planner.take();
}

} // namespace sluice::workload
