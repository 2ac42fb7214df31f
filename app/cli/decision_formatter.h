// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "routing/decision.h"
#include "routing/request.h"
#include "routing/route_table.h"

#include <ostream>
#include <string>
#include <vector>

namespace sluice::cli {

/// Prints a routing decision for people (text, with the trace) or tools (JSON).
void writeDecisionText(const routing::Request& request, const routing::Decision& decision,
                       const std::vector<std::string>& files, bool colour, std::ostream& out);
void writeDecisionJson(const routing::Request& request, const routing::Decision& decision,
                       const std::vector<std::string>& files, std::ostream& out);

/// The effective route table per listener, port and host, in match order (like istioctl proxy-config routes).
void writeRouteTableText(const routing::RouteTable& table, std::ostream& out);
void writeRouteTableJson(const routing::RouteTable& table, std::ostream& out);

} // namespace sluice::cli
