// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service.h"

namespace sluice::model::schema {

template <>
struct Message<ServicePort> {
    static constexpr std::string_view name = "ServicePort";
    static constexpr auto fields = std::tuple{
        Field{"name", &ServicePort::name},
        Field{"protocol", &ServicePort::protocol},
        Field{"appProtocol", &ServicePort::appProtocol},
        Field{"port", &ServicePort::port},
        Field{"targetPort", &ServicePort::targetPort},
        Field{"nodePort", &ServicePort::nodePort},
    };
    static constexpr bool open = true;
};

template <>
struct Message<ServiceSpec> {
    static constexpr std::string_view name = "ServiceSpec";
    static constexpr auto fields = std::tuple{
        Field{"ports", &ServiceSpec::ports},
        Field{"selector", &ServiceSpec::selector},
        Field{"type", &ServiceSpec::type},
        Field{"clusterIP", &ServiceSpec::clusterIP},
        Field{"externalName", &ServiceSpec::externalName},
    };
    static constexpr bool open = true;
};

/// Top-level fields of a Service besides apiVersion, kind and metadata.
template <>
struct Message<Service> {
    static constexpr std::string_view name = "Service";
    static constexpr auto fields = std::tuple{Field{"spec", &Service::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
