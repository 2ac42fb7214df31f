// SPDX-License-Identifier: Apache-2.0
#include "replay_report.h"

#include "metrics/traffic_report_json.h"
#include "metrics/traffic_report_text.h"

#include <nlohmann/json.hpp>

namespace sluice::traffic {
namespace {

using metrics::TrafficReportText;

std::string milliseconds(std::uint64_t micros) {
    return TrafficReportText::fixed(static_cast<double>(micros) / 1000.0, 2) + " ms";
}

std::string where(const ReplayReport& r, std::size_t line) {
    return r.file + (line ? ":" + std::to_string(line) : std::string());
}

void skippedLines(std::string& out, const ReplayReport& r) {
    if (r.unreadableCount > 0) {
        out += std::to_string(r.unreadableCount) + " line(s) could not be read:\n";
        for (const auto& s : r.unreadable)
            out += "  " + where(r, s.line) + (s.column ? ":" + std::to_string(s.column) : "") + ": " +
                   s.reason + "\n";
        if (r.unreadableCount > r.unreadable.size())
            out += "  ... " + std::to_string(r.unreadableCount - r.unreadable.size()) + " more\n";
    }
    if (!r.unsendable.empty()) {
        out += std::to_string(r.unsendable.size()) + " request(s) were read but not sent:\n";
        for (const auto& s : r.unsendable)
            out += "  " + where(r, s.line) + ": " + s.reason + "\n";
    }
}

} // namespace

std::string ReplayReportText::render(const ReplayReport& r, std::size_t maxRequests) {
    std::string out = "Replay of " + r.file + " (" + r.format + ", " + std::to_string(r.recorded) +
                      " requests) through " + r.target + (r.interrupted ? " -- interrupted" : "") + "\n";
    std::size_t shown = 0;
    for (const ReplayedRequest& q : r.requests) {
        if (shown++ >= maxRequests) {
            out += "  ... " + std::to_string(r.requests.size() - maxRequests) + " more (-o json lists all)\n";
            break;
        }
        out += "  " + where(r, q.line) + "  +" +
               TrafficReportText::fixed(static_cast<double>(q.dueMicros) / 1e6, 3) + "s  " + q.method + " " +
               q.authority + q.path + "  -> ";
        if (q.sentMicros < 0) {
            out += "not sent (stopped)\n";
            continue;
        }
        out += q.status ? std::to_string(q.status) : "no response (" + q.error + ")";
        if (!q.destination.empty())
            out += "  " + q.destination + (q.subset.empty() ? "" : " " + q.subset);
        if (!q.workload.empty() && q.workload != q.destination)
            out += " [" + q.workload + "]";
        if (!q.route.empty())
            out += "  via " + q.route;
        out += "  " + milliseconds(q.latencyMicros);
        if (q.recordedStatus && q.status && *q.recordedStatus != q.status)
            out += "  (recorded " + std::to_string(*q.recordedStatus) + ")";
        out += "\n";
    }
    skippedLines(out, r);
    if (r.diffConfig) {
        out += "Routing with " + *r.diffConfig + ": " + std::to_string(r.diff.changes.size()) + " of " +
               std::to_string(r.diff.compared) + " request(s) route differently\n";
        for (const RoutingChange& c : r.diff.changes)
            out += "  " + where(r, c.line) + "  " + c.method + " " + c.authority + c.path +
                   "\n    before: " + c.before.text() + "\n    after:  " + c.after.text() + "\n";
    }
    out += TrafficReportText::render(r.traffic);
    return out;
}

std::string ReplayReportJson::write(const ReplayReport& r) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["schema"] = kSchema;
    j["file"] = r.file;
    j["format"] = r.format;
    j["target"] = r.target;
    j["interrupted"] = r.interrupted;
    j["recorded"] = r.recorded;
    ordered_json skipped;
    skipped["unreadable"] = r.unreadableCount;
    skipped["unsendable"] = r.unsendable.size();
    ordered_json lines = ordered_json::array();
    for (const auto* list : {&r.unreadable, &r.unsendable})
        for (const auto& s : *list)
            lines.push_back({{"line", s.line}, {"column", s.column}, {"reason", s.reason}});
    skipped["lines"] = std::move(lines);
    j["skipped"] = std::move(skipped);
    ordered_json requests = ordered_json::array();
    for (const ReplayedRequest& q : r.requests) {
        ordered_json e;
        e["index"] = q.record;
        e["line"] = q.line;
        e["due_ms"] = static_cast<double>(q.dueMicros) / 1000.0;
        e["sent_ms"] =
            q.sentMicros < 0 ? ordered_json() : ordered_json(static_cast<double>(q.sentMicros) / 1000.0);
        e["method"] = q.method;
        e["authority"] = q.authority;
        e["path"] = q.path;
        e["recorded_status"] = q.recordedStatus ? ordered_json(*q.recordedStatus) : ordered_json();
        e["status"] = q.status;
        e["workload"] = q.workload;
        e["destination"] = q.destination;
        e["subset"] = q.subset;
        e["route"] = q.route;
        e["latency_ms"] = static_cast<double>(q.latencyMicros) / 1000.0;
        e["error"] = q.error.empty() ? ordered_json() : ordered_json(q.error);
        requests.push_back(std::move(e));
    }
    j["requests"] = std::move(requests);
    if (r.diffConfig) {
        ordered_json changed = ordered_json::array();
        for (const RoutingChange& c : r.diff.changes)
            changed.push_back({{"index", c.record},
                               {"line", c.line},
                               {"method", c.method},
                               {"authority", c.authority},
                               {"path", c.path},
                               {"before", c.before.text()},
                               {"after", c.after.text()}});
        j["diff"] = {
            {"config", *r.diffConfig}, {"compared", r.diff.compared}, {"changed", std::move(changed)}};
    } else {
        j["diff"] = nullptr;
    }
    try {
        j["report"] = ordered_json::parse(metrics::TrafficReportJson::write(r.traffic, -1));
    } catch (const std::exception&) {
        j["report"] = nullptr; // our own output: never happens
    }
    // Recorded paths and headers need not be UTF-8: invalid bytes become U+FFFD, never an exception.
    return j.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

} // namespace sluice::traffic
