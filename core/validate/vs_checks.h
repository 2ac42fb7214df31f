// SPDX-License-Identifier: Apache-2.0
#pragma once

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

/// agent.ValidateWildcardDomain: `*`, `*.suffix`, `*-foo.suffix` or a plain FQDN (wildcard only in
/// the first label).
[[nodiscard]] std::string checkIstioWildcardDomain(std::string_view domain);
/// agent.ValidateWildcardDomainForVirtualServiceBoundToGateway: as above, and for SNI routes also the
/// auto-generated `outbound_.<port>_._.<host>` form.
[[nodiscard]] std::string checkGatewayBoundDomain(bool sni, std::string_view domain);
/// agent.ValidateFQDN.
[[nodiscard]] std::string checkIstioFqdn(std::string_view fqdn);
/// labels.IsWildcardDNS1123Label: `*`, a DNS label, or a DNS label behind a leading `*` or `*-`.
[[nodiscard]] bool isWildcardDns1123Label(std::string_view label);

/// agent.ValidatePort: 1..65535.
[[nodiscard]] std::string checkPort(std::int64_t port);
/// agent.ValidateDuration: at least 1ms and a whole number of milliseconds.
[[nodiscard]] std::string checkDuration(const model::Duration& d);
/// agent.ValidateIPSubnet: CIDR block or plain IP address.
[[nodiscard]] std::string checkIpSubnet(std::string_view subnet);
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
