// SPDX-License-Identifier: Apache-2.0
#pragma once

// networking.istio.io ServiceEntry (v1alpha3, v1beta1 and v1 share this schema).

#include "object_meta.h"
#include "selectors.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

/// networking.istio.io WorkloadSelector (ServiceEntry): `labels`, not `matchLabels`.
struct EntryWorkloadSelector {
    StringMap labels;
    SourceSpan span;
};

struct ServiceEntryPort {
    Located<std::uint32_t> number;
    Located<std::string> protocol;
    Located<std::string> name;
    Located<std::uint32_t> targetPort;
    SourceSpan span;
};

struct WorkloadEntrySpec {
    Located<std::string> address;
    MessageMap<Located<std::uint32_t>> ports;
    StringMap labels;
    Located<std::string> network;
    Located<std::string> locality;
    Located<std::uint32_t> weight;
    Located<std::string> serviceAccount;
    SourceSpan span;
};

enum class ServiceEntryLocation : std::uint8_t { MeshExternal, MeshInternal };

enum class ServiceEntryResolution : std::uint8_t { None, Static, Dns, DnsRoundRobin, DynamicDns };

struct ServiceEntrySpec {
    std::vector<Located<std::string>> hosts;
    std::vector<Located<std::string>> addresses;
    std::vector<ServiceEntryPort> ports;
    Located<ServiceEntryLocation> location;
    Located<ServiceEntryResolution> resolution;
    std::vector<WorkloadEntrySpec> endpoints;
    std::optional<EntryWorkloadSelector> workloadSelector;
    std::vector<Located<std::string>> exportTo;
    std::vector<Located<std::string>> subjectAltNames;
    SourceSpan span;
};

struct ServiceEntry {
    static constexpr std::string_view kKind = "ServiceEntry";
    ResourceHeader header;
    ServiceEntrySpec spec;
};

} // namespace sluice::model
