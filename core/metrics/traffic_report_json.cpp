// SPDX-License-Identifier: Apache-2.0
#include "traffic_report_json.h"

#include <nlohmann/json.hpp>

namespace sluice::metrics {
namespace {

using Json = nlohmann::ordered_json;

Json orNull(const std::optional<double>& value) {
    return value ? Json(*value) : Json(nullptr);
}

} // namespace

std::string TrafficReportJson::write(const TrafficReport& r, int indent) {
    Json out = Json::object();
    out["schema"] = std::string(kSchema);
    out["simulated"] = r.simulated;
    out["interrupted"] = r.interrupted;

    Json totals = Json::object();
    totals["requests"] = r.requests;
    totals["errors"] = r.errors;
    totals["unattributed"] = r.unattributed;
    totals["abandoned"] = r.abandoned;
    totals["duration_s"] = r.durationSeconds;
    totals["rate"] = r.rate;
    totals["target_rate"] = orNull(r.targetRate);
    out["totals"] = std::move(totals);

    Json status = Json::object();
    for (const auto& [code, count] : r.statusCodes)
        status[std::to_string(code)] = count;
    Json flags = Json::object();
    for (const auto& [flag, count] : r.responseFlags)
        flags[flag] = count;
    out["status"] = std::move(status);
    out["response_flags"] = r.responseFlagsKnown ? std::move(flags) : Json(nullptr);

    Json latency = Json::object();
    latency["count"] = r.latency.count;
    latency["p50"] = r.latency.p50;
    latency["p90"] = r.latency.p90;
    latency["p99"] = r.latency.p99;
    latency["p99.9"] = r.latency.p999;
    latency["max"] = r.latency.max;
    latency["mean"] = r.latency.mean;
    latency["clamped"] = r.latency.clamped;
    out["latency_ms"] = std::move(latency);

    Json destinations = Json::array();
    for (const DestinationSplit& d : r.destinations) {
        Json row = Json::object();
        row["destination"] = d.destination;
        row["subset"] = d.subset;
        row["requests"] = d.requests;
        row["share"] = d.share;
        row["weight"] = orNull(d.weight);
        destinations.push_back(std::move(row));
    }
    out["destinations"] = std::move(destinations);
    // Invalid UTF-8 in a name (from a recorded log) is replaced, never thrown about.
    return out.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace sluice::metrics
