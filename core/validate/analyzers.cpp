// SPDX-License-Identifier: Apache-2.0
// Cross-resource analyzers: istioctl analyze's, with its semantics (istio/istio
// pkg/config/analysis/analyzers/**), plus the Kiali validations istioctl lacks.
//
// Offline conventions (header of conformance/validation.yaml):
// - A synthetic ingress gateway Pod and Service (ValidateOptions::gateway, Istio's local/defaults.go)
//   stand in for the cluster, unless the input holds a workload carrying all the gateway labels
//   (replaces the Pod) or a Service of the same namespace/name (replaces the Service).
// - Pods, Deployments (pod template labels) and sluice Workloads (spec.labels) are workloads.
// - IST0173 and the Deployment checks (IST0116, IST0137) run only when the input holds workloads;
//   the credentialName checks (IST0101 credentialName, IST0161) only when it holds Secrets.
// - Credential Secrets are looked up in the namespace of the gateway WORKLOAD.
// - Identical findings are reported once (istioctl prints SortedDedupedCopy()).
//
// Sluice codes for Kiali validations (kiali/kiali models/istio_validation.go) that istioctl lacks,
// and for one credential check Envoy makes at load time:
//
// | Code    | Kiali   | Level   | Resource        | Finding |
// |---------|---------|---------|-----------------|-------------------------------------------------------------|
// | SLU0101 | KIA0201 | Warning | DestinationRule | another DestinationRule has the same host and subset (or
// | |         |         |         |                 | no subsets); Istio merges them, the first one wins | |
// SLU0102 | KIA0203 | Warning | DestinationRule | a routed subset selects no workload behind its Service | |
// |         |         |                 | (Service selector + subset labels), though some pod carries | | |
// |         |                 | the subset labels (else IST0173); needs workloads           | | SLU0103 |
// KIA0209 | Warning | DestinationRule | a subset without labels (selects every endpoint)            | |
// SLU0104 | KIA1104 | Warning | VirtualService  | a single route destination with 0 < weight < 100: it gets |
// |         |         |         |                 | all the traffic anyway | | SLU0105 | KIA1105 | Warning |
// VirtualService  | one route names the same host+subset twice                  | | SLU0106 | (Envoy) | Error
// | Gateway         | the credentialName Secret's private key does not parse or   | |         |         | |
// | does not match its certificate (Istio's IST0161 only checks | |         |         |         | | the
// certificate; Envoy refuses the pair at load time)       |
//
// Kiali's KIA0203 is an Error; Sluice keeps it a Warning because Istio itself (IST0173) does not
// look at the Service selector.

#include "analyzer_families.h"
#include "rules.h"
#include "validator.h"

#include <set>
#include <tuple>

namespace sluice::validate {

void runAnalyzers(const model::ResourceSet& resources, const ValidateOptions& options,
                  model::Diagnostics& out) {
    const AnalyzerIndex index(resources, options.gateway);
    model::Diagnostics found;
    analyzeGatewayWorkloads(index, found);
    analyzeConflictingGateways(index, found);
    analyzeGatewayCertificates(index, found);
    analyzeVirtualServiceDestinations(index, found);
    analyzeVirtualServiceGateways(index, found);
    analyzeMeshHostConflicts(index, found);
    analyzeDestinationRules(index, found);
    analyzeServiceEntries(index, found);
    analyzeServicePorts(index, found);
    if (index.inputHasWorkloads())
        analyzeDeployments(index, found);
    runKialiChecks(index, found);

    using Key =
        std::tuple<std::string, std::string, std::string, std::uint32_t, std::uint32_t, std::uint32_t>;
    std::set<Key> seen;
    for (auto& d : found)
        if (seen.emplace(d.code, d.resource, d.message, d.span.file, d.span.line, d.span.column).second)
            out.push_back(std::move(d));
}

} // namespace sluice::validate
