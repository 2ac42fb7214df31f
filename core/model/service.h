// SPDX-License-Identifier: Apache-2.0
#pragma once

// core/v1 Service: the parts Istio routing and analysis read.

#include "object_meta.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

struct ServicePort {
    Located<std::string> name;
    Located<std::string> protocol;
    Located<std::string> appProtocol;
    Located<std::int32_t> port;
    Located<IntOrString> targetPort;
    Located<std::int32_t> nodePort;
    SourceSpan span;
};

/// The parts of a core/v1 Service that Istio reads; other keys are accepted and ignored.
struct ServiceSpec {
    std::vector<ServicePort> ports;
    StringMap selector;
    Located<std::string> type;
    Located<std::string> clusterIP;
    Located<std::string> externalName;
    SourceSpan span;
};

struct Service {
    static constexpr std::string_view kKind = "Service";
    ResourceHeader header;
    ServiceSpec spec;
};

} // namespace sluice::model
