// SPDX-License-Identifier: Apache-2.0
#include "traffic_report_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace sluice::metrics {
namespace {

/// Rows of cells written in columns two spaces apart, indented by two; a column is left- or
/// right-aligned.
class Table {
public:
    explicit Table(std::vector<bool> rightAligned)
        : m_right(std::move(rightAligned)) {}

    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }

    void write(std::string& out) const {
        std::vector<std::size_t> width(m_right.size());
        for (const auto& row : m_rows)
            for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
                width[c] = std::max(width[c], row[c].size());
        for (const auto& row : m_rows) {
            std::string line = "  ";
            for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) {
                const std::string pad(width[c] - row[c].size(), ' ');
                line += c ? "  " : "";
                line += m_right[c] ? pad + row[c] : row[c] + pad;
            }
            while (!line.empty() && line.back() == ' ')
                line.pop_back();
            out += line;
            out += '\n';
        }
    }

private:
    std::vector<bool> m_right;
    std::vector<std::vector<std::string>> m_rows;
};

std::string percentOf(std::uint64_t part, std::uint64_t whole) {
    return TrafficReportText::fixed(
               whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0, 2) +
           " %";
}

/// Istio weights are whole percents; a mix of routes may give a fraction.
std::string weight(double percent) {
    return TrafficReportText::fixed(percent, std::floor(percent) == percent ? 0 : 1) + " %";
}

} // namespace

std::string TrafficReportText::fixed(double value, int decimals) {
    if (!std::isfinite(value))
        return "-";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
    return r.ec == std::errc{} ? std::string(buf, r.ptr) : std::string("-");
}

std::string TrafficReportText::render(const TrafficReport& r, std::string_view note) {
    std::string out = r.simulated
                          ? "Traffic report: SIMULATED (computed by sluice simulate; no request was sent)\n"
                          : "Traffic report\n";
    if (!note.empty())
        out.append("  ").append(note).append("\n");
    if (r.interrupted)
        out += "  INTERRUPTED: stopped early, the figures cover what was answered until then\n";
    Table totals({false, false});
    std::string requests = std::to_string(r.requests) + " in " + fixed(r.durationSeconds, 2) + " s, " +
                           fixed(r.rate, 2) + " req/s";
    if (r.targetRate)
        requests += " (target " + fixed(*r.targetRate, 2) + " req/s)";
    totals.add({"Requests", requests});
    totals.add({"Errors", std::to_string(r.errors) + " (" + percentOf(r.errors, r.requests) + ")"});
    if (r.unattributed)
        totals.add({"Unattributed", std::to_string(r.unattributed) + " (destination unknown)"});
    if (r.abandoned)
        totals.add({"Abandoned",
                    std::to_string(r.abandoned) + " in flight when stopped, given up (not counted above)"});
    totals.write(out);

    out += '\n';
    Table latency({false, true, true, true, true, true, true});
    latency.add({"Latency (ms)", "p50", "p90", "p99", "p99.9", "max", "mean"});
    const LatencySummary& l = r.latency;
    latency.add({"", fixed(l.p50, 3), fixed(l.p90, 3), fixed(l.p99, 3), fixed(l.p999, 3), fixed(l.max, 3),
                 fixed(l.mean, 3)});
    latency.write(out);
    if (l.clamped)
        out +=
            "  (" + std::to_string(l.clamped) + " samples above the histogram's range counted at its top)\n";

    if (!r.statusCodes.empty()) {
        out += '\n';
        Table status({false, true, true});
        status.add({"Status", "Count", "Share"});
        for (const auto& [code, count] : r.statusCodes)
            status.add(
                {code ? std::to_string(code) : "none", std::to_string(count), percentOf(count, r.requests)});
        status.write(out);
    }
    if (!r.responseFlagsKnown) {
        out += "\n  Response flags: unknown (only the embedded gateway tells them; this target's answers "
               "carry none)\n";
    } else if (!r.responseFlags.empty()) {
        out += '\n';
        Table flags({false, true});
        flags.add({"Response flags", "Count"});
        for (const auto& [flag, count] : r.responseFlags)
            flags.add({flag, std::to_string(count)});
        flags.write(out);
    }
    if (!r.destinations.empty()) {
        out += '\n';
        Table destinations({false, false, true, true, true});
        destinations.add({"Destination", "Subset", "Requests", "Share", "Weight"});
        for (const DestinationSplit& d : r.destinations)
            destinations.add({d.destination, d.subset.empty() ? "-" : d.subset, std::to_string(d.requests),
                              fixed(d.share, 2) + " %", d.weight ? weight(*d.weight) : "-"});
        destinations.write(out);
    }
    return out;
}

} // namespace sluice::metrics
