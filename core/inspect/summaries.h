// SPDX-License-Identifier: Apache-2.0
#pragma once

// One-line summaries of model messages, shown in the Value column beside a message's fields
// ("prefix /productpage", "productpage:9080 subset v1"). Types without one summarise to "".

#include "model/destination_rule.h"
#include "model/gateway.h"
#include "model/service.h"
#include "model/virtual_service.h"

#include <string>

namespace sluice::inspect {

template <class T> [[nodiscard]] std::string summary(const T&) {
    return {};
}

[[nodiscard]] std::string summary(const model::Port& port);
[[nodiscard]] std::string summary(const model::Server& server);
[[nodiscard]] std::string summary(const model::ServerTlsSettings& tls);
[[nodiscard]] std::string summary(const model::StringMatch& match);
[[nodiscard]] std::string summary(const model::Destination& destination);
[[nodiscard]] std::string summary(const model::PortSelector& port);
[[nodiscard]] std::string summary(const model::HTTPMatchRequest& match);
[[nodiscard]] std::string summary(const model::HTTPRouteDestination& route);
[[nodiscard]] std::string summary(const model::RouteDestination& route);
[[nodiscard]] std::string summary(const model::TLSMatchAttributes& match);
[[nodiscard]] std::string summary(const model::L4MatchAttributes& match);
[[nodiscard]] std::string summary(const model::HTTPRoute& rule);
[[nodiscard]] std::string summary(const model::HTTPRedirect& redirect);
[[nodiscard]] std::string summary(const model::HTTPRewrite& rewrite);
[[nodiscard]] std::string summary(const model::HTTPRetry& retry);
[[nodiscard]] std::string summary(const model::HTTPMirrorPolicy& mirror);
[[nodiscard]] std::string summary(const model::Percent& percent);
[[nodiscard]] std::string summary(const model::ServicePort& port);
[[nodiscard]] std::string summary(const model::Subset& subset);

/// `k=v, k2=v2` in key order.
[[nodiscard]] std::string labelsText(const model::StringMap& labels);

} // namespace sluice::inspect
