// SPDX-License-Identifier: Apache-2.0
#pragma once

// Entry points of the rule families the validator runs. Schema checks look at one resource (as
// Istio's admission webhook does); analyzers look across resources (as istioctl analyze does).

#include "model/diagnostic.h"
#include "model/gateway_workload.h"
#include "model/resource_set.h"

namespace sluice::validate {

struct ValidateOptions;

// Schema validation, reported as IST0106 (Error) / IST0133 (Warning) plus IST0130/IST0131.
void checkGatewaySchema(const model::Gateway& gateway, model::Diagnostics& out);
void checkVirtualServiceSchema(const model::VirtualService& vs, model::Diagnostics& out);
void checkDestinationRuleSchema(const model::DestinationRule& dr, model::Diagnostics& out);
void checkServiceEntrySchema(const model::ServiceEntry& se, model::Diagnostics& out);
/// sluice.dev/v1 Workload (our kind): SLU0201 (Error), SLU0202 (Warning: a setting with no effect).
void checkWorkloadSchema(const model::Workload& workload, model::Diagnostics& out);

/// Istio annotations on any resource: IST0107, IST0108, IST0125, IST0135, IST0136.
void checkAnnotations(const model::ResourceSet& resources, model::Diagnostics& out);

/// Cross-resource analyzers (IST0101, 0109, 0112, 0116, 0118, 0128, 0129, 0132, 0134, 0137, 0138,
/// 0140, 0145, 0150, 0161, 0162, 0165, 0173, 0174, 0177) and Sluice's own SLU checks.
void runAnalyzers(const model::ResourceSet& resources, const ValidateOptions& options,
                  model::Diagnostics& out);

} // namespace sluice::validate
