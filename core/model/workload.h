// SPDX-License-Identifier: Apache-2.0
#pragma once

// sluice.dev/v1 Workload: a simulated (or real local) backend beside the user YAML.

#include "duration.h"
#include "object_meta.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::model {

/// Either a log-normal fit through p50 and p99, or a fixed latency.
struct LatencyModel {
    Located<Duration> p50;
    Located<Duration> p99;
    Located<Duration> fixed;
    SourceSpan span;
};

struct ErrorModel {
    Located<double> rate;
    Located<std::uint32_t> status;
    SourceSpan span;
};

struct WorkloadCall {
    Located<std::string> service;
    Located<std::string> namespace_;
    Located<std::uint32_t> port;
    Located<std::string> path;
    std::vector<Located<std::string>> propagate;
    SourceSpan span;
};

struct WorkloadSpec {
    StringMap labels;
    Located<std::int32_t> replicas;
    std::optional<LatencyModel> latency;
    std::optional<ErrorModel> errors;
    std::vector<Located<std::uint32_t>> sequence;
    Located<std::uint64_t> responseBytes;
    std::vector<WorkloadCall> calls;
    Located<std::string> endpoint;
    /// Behaviour for the pods of this Deployment (same namespace): they keep the Deployment's
    /// labels and replicas and take latency, errors, sequence, responseBytes and calls from here.
    /// Such a Workload is no workload of its own.
    Located<std::string> deployment;
    SourceSpan span;
};

struct Workload {
    static constexpr std::string_view kKind = "Workload";
    ResourceHeader header;
    WorkloadSpec spec;
};

} // namespace sluice::model
