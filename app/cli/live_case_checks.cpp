// SPDX-License-Identifier: Apache-2.0
#include "live_case_checks.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

namespace sluice::cli {
namespace {

using Json = nlohmann::json;

std::string show(const std::optional<std::string>& v) {
    return v ? "\"" + *v + "\"" : std::string("null");
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The answering replica's echo: {"workload", "method", "path", "host", "headers": {...}}.
std::optional<Json> echoOf(const proxy::ClientResponse& r) {
    if (r.outcome != proxy::ClientResponse::Outcome::Response)
        return std::nullopt;
    Json j = Json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("headers"))
        return std::nullopt;
    return j;
}

std::optional<std::string> echoHeader(const Json& echo, const std::string& name) {
    if (lower(name) == "host")
        return echo.value("host", std::string());
    for (const auto& [k, v] : echo["headers"].items())
        if (lower(k) == lower(name) && v.is_string())
            return v.get<std::string>();
    return std::nullopt;
}

/// The distinct values a label takes over the counted requests.
template <class Get> std::set<std::string> labelValues(const metrics::MetricsSnapshot& s, Get get) {
    std::set<std::string> out;
    for (const auto& series : s.series)
        if (series.requests > 0 && series.key->ingress()) // the gateway's requests, not mesh calls
            out.insert(get(*series.key));
    return out;
}

std::string joined(const std::set<std::string>& values) {
    std::string out;
    for (const auto& v : values)
        out += (out.empty() ? "" : ", ") + (v.empty() ? std::string("null") : v);
    return out.empty() ? std::string("none") : out;
}

void checkUpstream(const routing::RouteExpectation& e, const proxy::ClientResponse& first,
                   std::vector<std::string>& out) {
    const bool wanted = e.upstreamPath || !e.upstreamHeaders.empty() || !e.upstreamHeadersAbsent.empty() ||
                        e.upstreamAttempts;
    if (!wanted)
        return;
    const std::optional<Json> echo = echoOf(first);
    if (!echo) {
        out.push_back("expected an answer from a replica (its JSON echo), got " + liveStatusText(first) +
                      ": \"" + first.body.substr(0, 200) + "\"");
        return;
    }
    if (e.upstreamPath && echo->value("path", std::string()) != *e.upstreamPath)
        out.push_back("expected upstreamPath \"" + *e.upstreamPath + "\", the replica got \"" +
                      echo->value("path", std::string()) + "\"");
    for (const auto& [k, v] : e.upstreamHeaders)
        if (const auto got = echoHeader(*echo, k); got != v)
            out.push_back("expected upstream header " + k + ": \"" + v + "\", the replica got " + show(got));
    for (const auto& k : e.upstreamHeadersAbsent)
        if (const auto got = echoHeader(*echo, k))
            out.push_back("expected upstream header " + k + " to be absent, the replica got \"" + *got +
                          "\"");
    if (e.upstreamAttempts) {
        const auto got = echoHeader(*echo, "x-envoy-attempt-count");
        if (got != std::to_string(*e.upstreamAttempts))
            out.push_back("expected " + std::to_string(*e.upstreamAttempts) +
                          " upstream attempts, the answering one was attempt " + show(got));
    }
}

void checkMetrics(const routing::RouteExpectation& e, const metrics::MetricsSnapshot& m,
                  std::vector<std::string>& out) {
    if (e.cluster) {
        const auto clusters = labelValues(m, [](const metrics::SeriesKey& k) { return k.cluster; });
        const std::string want = e.cluster->value_or("");
        if (clusters != std::set<std::string>{want})
            out.push_back("expected cluster " + show(*e.cluster) + ", the proxy sent to " + joined(clusters));
    }
    if (e.destination) {
        const auto got = labelValues(m, [](const metrics::SeriesKey& k) {
            return k.service.empty()
                       ? std::string()
                       : k.service + ":" + std::to_string(k.port) + " subset \"" + k.subset + "\"";
        });
        std::string want;
        if (*e.destination) {
            const auto& d = **e.destination;
            want = d.host + ":" + (d.port ? std::to_string(*d.port) : std::string("?")) + " subset \"" +
                   d.subset + "\"";
        }
        const bool anyPort = *e.destination && !(*e.destination)->port;
        const bool ok = got.size() == 1 &&
                        (anyPort ? got.begin()->starts_with((*e.destination)->host + ":") &&
                                       got.begin()->ends_with(" subset \"" + (*e.destination)->subset + "\"")
                                 : *got.begin() == want);
        if (!ok)
            out.push_back("expected destination " + (want.empty() ? std::string("none") : want) +
                          ", the proxy sent to " + joined(got));
    }
    if (e.responseFlag) {
        const auto flags = labelValues(m, [](const metrics::SeriesKey& k) { return k.responseFlags; });
        if (flags != std::set<std::string>{e.responseFlag->value_or("")})
            out.push_back("expected responseFlag " + show(*e.responseFlag) + ", got " + joined(flags));
    }
    if (e.distribution.empty())
        return;
    std::map<std::string, std::uint64_t> counts;
    std::uint64_t total = 0;
    for (const auto& s : m.series) {
        if (!s.key->ingress())
            continue;
        counts[s.key->cluster.empty() ? std::string("(none)") : s.key->cluster] += s.requests;
        total += s.requests;
    }
    const auto share = [total](std::uint64_t n) {
        return total ? static_cast<double>(n) / static_cast<double>(total) : 0.0;
    };
    for (const auto& [cluster, want] : e.distribution)
        if (std::fabs(share(counts[cluster]) - want) > e.tolerance)
            out.push_back("expected " + cluster + " to get " + std::to_string(want) + " of traffic, got " +
                          std::to_string(share(counts[cluster])));
    for (const auto& [cluster, n] : counts)
        if (!e.distribution.contains(cluster) && share(n) > e.tolerance)
            out.push_back("unexpected traffic to " + cluster + ": " + std::to_string(share(n)));
}

} // namespace

std::string liveStatusText(const proxy::ClientResponse& r) {
    switch (r.outcome) {
    case proxy::ClientResponse::Outcome::Response:
        return std::to_string(r.status);
    case proxy::ClientResponse::Outcome::Refused:
        return "conn_refused";
    case proxy::ClientResponse::Outcome::Reset:
        return "conn_reset";
    case proxy::ClientResponse::Outcome::Timeout:
        return "timeout (" + r.error + ")";
    case proxy::ClientResponse::Outcome::Error:
        break;
    }
    return "error (" + r.error + ")";
}

void checkLiveExpectations(const routing::RouteTestCase& test, const LiveExchanges& observed,
                           std::vector<std::string>& out) {
    const routing::RouteExpectation& e = test.expect;
    if (observed.responses.empty())
        return;
    const proxy::ClientResponse& first = observed.responses.front();
    if (e.status) {
        std::size_t wrong = 0;
        std::string example;
        for (const auto& r : observed.responses)
            if (const std::string got = liveStatusText(r); got != *e.status && wrong++ == 0)
                example = got;
        if (wrong)
            out.push_back("expected status " + *e.status + ", got " + example +
                          (observed.responses.size() > 1 ? " (" + std::to_string(wrong) + " of " +
                                                               std::to_string(observed.responses.size()) + ")"
                                                         : std::string()));
    }
    if (e.location && first.header("location") != *e.location)
        out.push_back("expected location \"" + *e.location + "\", got " + show(first.header("location")));
    for (const auto& [k, v] : e.responseHeaders)
        if (const auto got = first.header(k); got != v)
            out.push_back("expected response header " + k + ": \"" + v + "\", got " + show(got));
    if (e.body && first.body != *e.body)
        out.push_back("expected body \"" + *e.body + "\", got \"" + first.body + "\"");
    if (e.minLatencyMs) {
        const double ms = static_cast<double>(first.elapsed.count()) / 1000.0;
        if (ms < *e.minLatencyMs)
            out.push_back("expected the answer to take at least " +
                          std::to_string(static_cast<long>(*e.minLatencyMs)) + " ms, it took " +
                          std::to_string(static_cast<long>(ms)) + " ms");
    }
    checkUpstream(e, first, out);
    if (observed.metrics)
        checkMetrics(e, *observed.metrics, out);
}

} // namespace sluice::cli
