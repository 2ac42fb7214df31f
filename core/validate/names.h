// SPDX-License-Identifier: Apache-2.0
#pragma once

// Name and host checks as Istio's pkg/config/validation/agent does them. Each returns an empty
// string when the value is valid, else Istio's own wording of what is wrong.

#include <string>
#include <string_view>

namespace sluice::validate {

/// `[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?`, at most 63 characters (Istio's label rule).
[[nodiscard]] bool isDns1123Label(std::string_view s);
/// Dotted IPv4 or IPv6 literal.
[[nodiscard]] bool isIpAddress(std::string_view s);
/// CIDR block such as 10.0.0.0/8 or 2001:db8::/32.
[[nodiscard]] bool isCidr(std::string_view s);

/// Fully qualified domain name (trailing dot allowed, top-level label not all-numeric).
[[nodiscard]] std::string checkFqdn(std::string_view host);
/// FQDN whose first label may be exactly `*` (`*.example.com`, or `*` alone).
[[nodiscard]] std::string checkWildcardDomain(std::string_view host);
/// Gateway server host: `[namespace/]dnsName` where namespace is `*`, `.` or a DNS label and the
/// name is `*`, a wildcard domain or an IP; short (dot-less) names are refused.
[[nodiscard]] std::string checkGatewayServerHost(std::string_view host);

/// Splits `ns/host` into its parts; the namespace is "*" when absent.
struct NamespacedHost {
    std::string_view ns;
    std::string_view host;
};
[[nodiscard]] NamespacedHost splitNamespacedHost(std::string_view text);

} // namespace sluice::validate
