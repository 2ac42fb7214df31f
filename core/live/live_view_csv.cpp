// SPDX-License-Identifier: Apache-2.0
#include "live_view_csv.h"

#include "metrics/time_series_csv.h"

#include <cstdio>

namespace sluice::live {
namespace {

std::string field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string millis(std::uint64_t micros) {
    return fixed(static_cast<double>(micros) / 1000.0, 3);
}

} // namespace

std::string LiveViewCsv::timeSeries(const LiveView& view) {
    return metrics::TimeSeriesCsv::write(view.points);
}

std::string LiveViewCsv::destinations(const LiveView& view) {
    std::string out = "second";
    for (const DestinationId& d : view.destinations)
        out += "," + field(d.label());
    out += "\n";
    for (std::size_t i = 0; i < view.points.size(); ++i) {
        out += std::to_string(view.points[i].second);
        for (const auto& requests : view.destinationRequests)
            out += "," + std::to_string(i < requests.size() ? requests[i] : 0);
        out += "\n";
    }
    return out;
}

std::string LiveViewCsv::splits(const LiveView& view) {
    std::string out = "rule,destination,configured_percent,observed_percent,requests\n";
    for (const RuleSplit& split : view.splits)
        for (const SplitShare& share : split.shares)
            out += field(split.rule.label()) + "," + field(share.destination.label()) + "," +
                   fixed(share.configuredPercent, 2) + "," + fixed(share.observedPercent, 2) + "," +
                   std::to_string(share.requests) + "\n";
    return out;
}

std::string LiveViewCsv::failures(const LiveView& view) {
    std::string out = "kind,value,requests\n";
    for (const CodeCount& c : view.statusCodes)
        out += "status," + std::to_string(c.code) + "," + std::to_string(c.requests) + "\n";
    for (const FlagCount& f : view.flags)
        out += "flag," + field(f.flag) + "," + std::to_string(f.requests) + "\n";
    return out;
}

std::string LiveViewCsv::rules(const LiveView& view) {
    std::string out = "rule,requests,rps,p50_ms,p99_ms,errors,error_percent\n";
    for (const RuleRow& r : view.rules)
        out += field(r.rule.label()) + "," + std::to_string(r.requests) + "," + fixed(r.rps, 3) + "," +
               millis(r.p50Micros) + "," + millis(r.p99Micros) + "," + std::to_string(r.errors) + "," +
               fixed(r.errorPercent, 2) + "\n";
    return out;
}

std::vector<LiveViewCsv::File> LiveViewCsv::all(const LiveView& view) {
    return {{"", timeSeries(view)},
            {"-destinations", destinations(view)},
            {"-splits", splits(view)},
            {"-errors", failures(view)},
            {"-rules", rules(view)}};
}

} // namespace sluice::live
