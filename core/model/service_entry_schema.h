// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service_entry.h"
#include "selectors_schema.h"

namespace sluice::model::schema {

template <>
struct Message<EntryWorkloadSelector> {
    static constexpr std::string_view name = "WorkloadSelector";
    static constexpr auto fields = std::tuple{
        Field{"labels", &EntryWorkloadSelector::labels},
    };
};

template <>
struct Message<ServiceEntryPort> {
    static constexpr std::string_view name = "ServicePort";
    static constexpr auto fields = std::tuple{
        Field{"number", &ServiceEntryPort::number},
        Field{"protocol", &ServiceEntryPort::protocol},
        Field{"name", &ServiceEntryPort::name},
        Field{"targetPort", &ServiceEntryPort::targetPort},
    };
};

template <>
struct Message<WorkloadEntrySpec> {
    static constexpr std::string_view name = "WorkloadEntry";
    static constexpr auto fields = std::tuple{
        Field{"address", &WorkloadEntrySpec::address},
        Field{"ports", &WorkloadEntrySpec::ports},
        Field{"labels", &WorkloadEntrySpec::labels},
        Field{"network", &WorkloadEntrySpec::network},
        Field{"locality", &WorkloadEntrySpec::locality},
        Field{"weight", &WorkloadEntrySpec::weight},
        Field{"serviceAccount", &WorkloadEntrySpec::serviceAccount},
    };
};

template <>
struct Enum<ServiceEntryLocation> {
    static constexpr std::array values{
        EnumValue<ServiceEntryLocation>{"MESH_EXTERNAL", ServiceEntryLocation::MeshExternal, 0},
        EnumValue<ServiceEntryLocation>{"MESH_INTERNAL", ServiceEntryLocation::MeshInternal, 1},
    };
};

template <>
struct Enum<ServiceEntryResolution> {
    static constexpr std::array values{
        EnumValue<ServiceEntryResolution>{"NONE", ServiceEntryResolution::None, 0},
        EnumValue<ServiceEntryResolution>{"STATIC", ServiceEntryResolution::Static, 1},
        EnumValue<ServiceEntryResolution>{"DNS", ServiceEntryResolution::Dns, 2},
        EnumValue<ServiceEntryResolution>{"DNS_ROUND_ROBIN", ServiceEntryResolution::DnsRoundRobin, 3},
        EnumValue<ServiceEntryResolution>{"DYNAMIC_DNS", ServiceEntryResolution::DynamicDns, 4},
    };
};

template <>
struct Message<ServiceEntrySpec> {
    static constexpr std::string_view name = "ServiceEntry";
    static constexpr auto fields = std::tuple{
        Field{"hosts", &ServiceEntrySpec::hosts},
        Field{"addresses", &ServiceEntrySpec::addresses},
        Field{"ports", &ServiceEntrySpec::ports},
        Field{"location", &ServiceEntrySpec::location},
        Field{"resolution", &ServiceEntrySpec::resolution},
        Field{"endpoints", &ServiceEntrySpec::endpoints},
        Field{"workloadSelector", &ServiceEntrySpec::workloadSelector},
        Field{"exportTo", &ServiceEntrySpec::exportTo},
        Field{"subjectAltNames", &ServiceEntrySpec::subjectAltNames},
    };
};

/// Top-level fields of a ServiceEntry besides apiVersion, kind and metadata.
template <>
struct Message<ServiceEntry> {
    static constexpr std::string_view name = "ServiceEntry";
    static constexpr auto fields = std::tuple{Field{"spec", &ServiceEntry::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
