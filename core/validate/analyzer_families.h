// SPDX-License-Identifier: Apache-2.0
#pragma once

// The analyzer families runAnalyzers() calls, one .cpp each. Every family appends its findings to
// `out` (duplicates are removed by runAnalyzers, as istioctl's SortedDedupedCopy does) and reads
// the input only through the AnalyzerIndex built once per run.

#include "analyzer_index.h"
#include "model/diagnostic.h"

namespace sluice::validate {

/// gateway.IngressGatewayPortAnalyzer: IST0101 (selector matches no workload), IST0162.
void analyzeGatewayWorkloads(const AnalyzerIndex& index, model::Diagnostics& out);
/// gateway.ConflictingGatewayAnalyzer: IST0145.
void analyzeConflictingGateways(const AnalyzerIndex& index, model::Diagnostics& out);
/// gateway.SecretAnalyzer (IST0101 credentialName, IST0161; only when the input holds Secrets)
/// and gateway.CertificateAnalyzer (IST0138).
void analyzeGatewayCertificates(const AnalyzerIndex& index, model::Diagnostics& out);
/// virtualservice.DestinationHostAnalyzer + DestinationRuleAnalyzer: IST0101 host, host:port,
/// mirror host, host+subset; IST0112; IST0140.
void analyzeVirtualServiceDestinations(const AnalyzerIndex& index, model::Diagnostics& out);
/// virtualservice.GatewayAnalyzer: IST0101 gateway, IST0132, IST0165.
void analyzeVirtualServiceGateways(const AnalyzerIndex& index, model::Diagnostics& out);
/// virtualservice.ConflictingMeshGatewayHostsAnalyzer: IST0109.
void analyzeMeshHostConflicts(const AnalyzerIndex& index, model::Diagnostics& out);
/// destinationrule.CaCertificateAnalyzer (IST0128, IST0129) and PodNotSelectedAnalyzer
/// (IST0174; IST0173 only when the input holds workloads).
void analyzeDestinationRules(const AnalyzerIndex& index, model::Diagnostics& out);
/// serviceentry.ProtocolAddressesAnalyzer (IST0134) and ConflictingServiceEntryProtocolAnalyzer (IST0177).
void analyzeServiceEntries(const AnalyzerIndex& index, model::Diagnostics& out);
/// service.PortNameAnalyzer: IST0118, IST0150.
void analyzeServicePorts(const AnalyzerIndex& index, model::Diagnostics& out);
/// deployment.ServiceAssociationAnalyzer: IST0116, IST0137 (Deployments and sluice Workloads).
void analyzeDeployments(const AnalyzerIndex& index, model::Diagnostics& out);
/// Kiali validations istioctl lacks, as SLU01xx (table in analyzers.cpp).
void runKialiChecks(const AnalyzerIndex& index, model::Diagnostics& out);

} // namespace sluice::validate
