// SPDX-License-Identifier: Apache-2.0
#include "time_series_json.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace sluice::metrics {
namespace {

using Json = nlohmann::ordered_json;

double millis(std::uint64_t micros) {
    return static_cast<double>(micros) / 1000.0;
}

} // namespace

std::string TimeSeriesJson::write(std::span<const TimeSeriesPoint> points, int indent) {
    Json seconds = Json::array();
    for (const TimeSeriesPoint& p : points) {
        Json status = Json::object();
        static constexpr const char* kClasses[kStatusClasses] = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
        for (std::size_t c = 0; c < kStatusClasses; ++c)
            status[kClasses[c]] = p.classes[c];
        Json latency = Json::object();
        latency["p50"] = millis(p.p50);
        latency["p90"] = millis(p.p90);
        latency["p99"] = millis(p.p99);
        latency["p99.9"] = millis(p.p999);
        latency["max"] = millis(p.max);
        latency["mean"] = millis(
            std::isfinite(p.mean) && p.mean > 0 ? static_cast<std::uint64_t>(std::llround(p.mean)) : 0);
        Json row = Json::object();
        row["second"] = p.second;
        row["requests"] = p.requests;
        row["errors"] = p.errors;
        row["status"] = std::move(status);
        row["latency_ms"] = std::move(latency);
        seconds.push_back(std::move(row));
    }
    Json out = Json::object();
    out["schema"] = std::string(kSchema);
    out["bucket_s"] = 1;
    out["seconds"] = std::move(seconds);
    return out.dump(indent) + '\n';
}

} // namespace sluice::metrics
