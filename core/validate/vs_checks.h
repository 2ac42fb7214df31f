// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "field_checks.h"
#include "go_format.h"

// Value checks the VirtualService rules share, each a port of the Istio function named beside it
// (pkg/config/validation, pkg/config/validation/agent, pkg/config/labels). Every check returns an
// empty string when the value is valid, else Istio's own error text.

#include "model/duration.h"
#include "model/schema.h"
#include "model/virtual_service.h"
#include "string_match_checks.h"
#include "vs_header_checks.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::validate::vs {

// Shared with the other kinds' rules.
using validate::checkDomainLabels;
using validate::checkDomainPreconditions;
using validate::checkDuration;
using validate::checkIpSubnet;
using validate::checkIstioWildcardDomain;
using validate::checkPort;
using validate::isWildcardDns1123Label;

/// agent.ValidateWildcardDomainForVirtualServiceBoundToGateway: as above, and for SNI routes also the
/// auto-generated `outbound_.<port>_._.<host>` form.
[[nodiscard]] std::string checkGatewayBoundDomain(bool sni, std::string_view domain);
/// agent.ValidateFQDN.
[[nodiscard]] std::string checkIstioFqdn(std::string_view fqdn);

/// labels.Instance.Validate for one entry: a Kubernetes label key and a label value.
[[nodiscard]] std::vector<std::string> checkLabel(std::string_view key, std::string_view value);

/// The position of a scalar when it was written, else `fallback`.
template <class T>
[[nodiscard]] model::SourceSpan spanOr(const model::Located<T>& v, model::SourceSpan fallback) {
    return v.present && v.span.known() ? v.span : fallback;
}

/// "prefix[3]"
[[nodiscard]] std::string indexed(std::string_view prefix, std::size_t i);

} // namespace sluice::validate::vs
