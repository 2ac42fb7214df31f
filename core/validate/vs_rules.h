// SPDX-License-Identifier: Apache-2.0
#pragma once

// The parts of VirtualService validation (Istio's ValidateVirtualService and the functions it
// calls), split by responsibility. checkVirtualServiceSchema (rules.h) drives them. Each reports
// through the resource's ResourceReporter at the offending field; `path` is that field's YAML path.

#include "model/virtual_service.h"
#include "resource_reporter.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::validate::vs {

// route_destination_rules.cpp ------------------------------------------------------------------

/// Header manipulations of a rule or a weighted destination (request/response set, add, remove).
void checkHeaders(const std::optional<model::Headers>& headers, const std::string& path, ResourceReporter& r);
/// validateDestination: host (not `*`, a wildcard domain), subset label, port number.
void checkDestination(const model::Destination& d, const std::string& path, ResourceReporter& r);
/// validateHTTPRouteDestinations: destination required, weights >= 0, total > 0 with >1 entries.
void checkHttpRouteDestinations(const std::vector<model::HTTPRouteDestination>& route,
                                const std::string& path, model::SourceSpan ruleSpan, ResourceReporter& r);
/// validateRouteDestinations (TCP and TLS routes).
void checkRouteDestinations(const std::vector<model::RouteDestination>& route, const std::string& path,
                            model::SourceSpan ruleSpan, ResourceReporter& r);
/// validateGatewayNames: `ns/name`, a short name or `mesh`; legacy `name.ns` warns.
void checkGatewayNames(const std::vector<model::Located<std::string>>& gateways, const std::string& path,
                       model::SourceSpan fallback, ResourceReporter& r);
/// labels.Instance.Validate on sourceLabels.
void checkSourceLabels(const model::StringMap& labels, const std::string& path, model::SourceSpan fallback,
                       ResourceReporter& r);

// http_route_rules.cpp ------------------------------------------------------------------------

/// validateHTTPRoute. `delegateVs`: the VirtualService has no hosts (it is a delegate).
void checkHttpRoute(const model::HTTPRoute& route, const std::string& path, bool delegateVs,
                    ResourceReporter& r);

// http_policy_rules.cpp -----------------------------------------------------------------------

/// validateHTTPRouteMatchRequest: header names, string matches, port, labels, gateways, namespace.
void checkHttpMatchRequests(const model::HTTPRoute& route, const std::string& path, ResourceReporter& r);
/// validateCORSPolicy.
void checkCorsPolicy(const model::CorsPolicy& cors, const std::string& path, ResourceReporter& r);
/// validateHTTPFaultInjection (abort and delay).
void checkFault(const model::HTTPFaultInjection& fault, const std::string& path, ResourceReporter& r);
/// validateHTTPRetry.
void checkRetries(const model::HTTPRetry& retries, const std::string& path, ResourceReporter& r);

// vs_reachability.cpp -------------------------------------------------------------------------

/// analyzeUnreachableHTTPRules / TCP / TLS: IST0130 (unreachable rule), IST0131 (ineffective match).
void analyzeReachability(const model::VirtualServiceSpec& spec, ResourceReporter& r);

} // namespace sluice::validate::vs
