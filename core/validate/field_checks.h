// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "go_format.h"

// Value checks shared by the Gateway, DestinationRule and ServiceEntry rule families, as Istio's
// pkg/config/validation (and its agent/, labels/, protocol/ packages) spell them. Each check returns
// an empty string when the value is valid, else Istio's wording of what is wrong.

#include "model/duration.h"
#include "model/schema.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::validate {

/// pkg/config/protocol: the protocols a port may declare (parsed case-insensitively).
enum class Protocol : std::uint8_t {
    Unsupported,
    Tcp,
    Udp,
    Grpc,
    GrpcWeb,
    Http,
    HttpProxy,
    Http2,
    Https,
    Tls,
    Mongo,
    Redis,
    MySql
};

[[nodiscard]] Protocol parseProtocol(std::string_view name);
/// HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-Web.
[[nodiscard]] bool isHttp(Protocol p);
/// HTTPS, TLS.
[[nodiscard]] bool isTls(Protocol p);
/// TCP, HTTPS, TLS, Mongo, Redis, MySQL.
[[nodiscard]] bool isTcp(Protocol p);

/// agent.ValidatePort: 1..65535.
[[nodiscard]] std::string checkPort(std::int64_t port);
/// agent.ValidateDuration: at least 1ms, millisecond precision.
[[nodiscard]] std::string checkDuration(const model::Duration& d);
/// agent.ValidateWildcardDomain: the first label may be `*`, `*foo` or `*-foo` (Istio's wildcard label).
[[nodiscard]] std::string checkIstioWildcardDomain(std::string_view host);
/// `\*|(\*|\*-)?label`, at most 63 characters (labels.IsWildcardDNS1123Label).
[[nodiscard]] bool isWildcardDns1123Label(std::string_view label);
/// agent.ValidateDNS1123Labels: top-level label not all-numeric, every label a DNS label, a trailing dot
/// allowed.
[[nodiscard]] std::string checkDomainLabels(std::string_view domain);
/// agent.CheckDNS1123Preconditions: not empty, at most 255 characters.
[[nodiscard]] std::string checkDomainPreconditions(std::string_view domain);
/// agent.ValidatePartialWildCard: a `*` anywhere but as the whole first label.
[[nodiscard]] std::string checkPartialWildcard(std::string_view host);
/// agent.ValidateIPSubnet: an IP address, or a CIDR block when the text has one `/`.
[[nodiscard]] std::string checkIpSubnet(std::string_view subnet);
/// ValidateUnixAddress: `@abstract` or an absolute file path (after `unix://`).
[[nodiscard]] std::string checkUnixAddress(std::string_view path);
/// A problem with one entry of a label map: the key it is about and Istio's message.
struct LabelProblem {
    std::string key;
    std::string message;
};
/// labels.Instance.Validate: one problem per bad key or value.
[[nodiscard]] std::vector<LabelProblem> checkLabels(const model::StringMap& labels);
/// The label checks of validateWorkloadSelector / ValidateAlphaWorkloadSelector: no empty key, no `*`.
[[nodiscard]] std::vector<LabelProblem> checkSelectorLabels(const model::StringMap& labels);
/// Envoy's primality test (maglev table sizes).
[[nodiscard]] bool isPrime(std::uint64_t x);

} // namespace sluice::validate
