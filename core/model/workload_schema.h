// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "workload.h"

namespace sluice::model::schema {

template <>
struct Message<LatencyModel> {
    static constexpr std::string_view name = "LatencyModel";
    static constexpr auto fields = std::tuple{
        Field{"p50", &LatencyModel::p50},
        Field{"p99", &LatencyModel::p99},
        Field{"fixed", &LatencyModel::fixed},
    };
};

template <>
struct Message<ErrorModel> {
    static constexpr std::string_view name = "ErrorModel";
    static constexpr auto fields = std::tuple{
        Field{"rate", &ErrorModel::rate},
        Field{"status", &ErrorModel::status},
    };
};

template <>
struct Message<WorkloadCall> {
    static constexpr std::string_view name = "WorkloadCall";
    static constexpr auto fields = std::tuple{
        Field{"service", &WorkloadCall::service},
        Field{"namespace", &WorkloadCall::namespace_},
        Field{"port", &WorkloadCall::port},
        Field{"path", &WorkloadCall::path},
        Field{"propagate", &WorkloadCall::propagate},
    };
};

template <>
struct Message<WorkloadSpec> {
    static constexpr std::string_view name = "Workload";
    static constexpr auto fields = std::tuple{
        Field{"labels", &WorkloadSpec::labels},
        Field{"replicas", &WorkloadSpec::replicas},
        Field{"latency", &WorkloadSpec::latency},
        Field{"errors", &WorkloadSpec::errors},
        Field{"sequence", &WorkloadSpec::sequence},
        Field{"responseBytes", &WorkloadSpec::responseBytes},
        Field{"calls", &WorkloadSpec::calls},
        Field{"endpoint", &WorkloadSpec::endpoint},
        Field{"deployment", &WorkloadSpec::deployment},
    };
};

/// Top-level fields of a Workload besides apiVersion, kind and metadata.
template <>
struct Message<Workload> {
    static constexpr std::string_view name = "Workload";
    static constexpr auto fields = std::tuple{Field{"spec", &Workload::spec}};
    static constexpr std::array<std::string_view, 1> ignored{"status"};
};

} // namespace sluice::model::schema
