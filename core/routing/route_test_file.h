// SPDX-License-Identifier: Apache-2.0
#pragma once

// The route-test format Sluice owns (ARCHITECTURE.md "Formats the project owns"), also the
// format of ../shared/conformance/routing.yaml. Besides the keys listed there, `expect` may check
// what the decision carries without a live proxy:
//   timeout: 0.5s | null              route timeout (null: none, Istio's default)
//   retries: {attempts: 2, retryOn: "...", retriableStatusCodes: [503], perTryTimeout: 1s}
//   delay: 7s | null                  fault delay injected into this request (flag DI)
//   mirrors: [{cluster: ..., percent: 100, host: ...}]   ([] or null: no mirroring)
//   virtualHost: a.example.com        the vhost domain chosen
//   routeConfig: http.80              the Envoy route configuration used
//   rule: default/shop#1 | null       "ns/VirtualService#index" of the rule that matched
//   policy: ROUND_ROBIN               substring of the DestinationRule policy summary
//   trace: ["not bound", ...]         substrings the explanation must contain
// `request` may also give `gateway: mesh`, `sourceNamespace`, `sourceLabels` and `protocol: tcp`.
// Live cases (`live: true`, run by `sluice test --live` against the real proxy) may script the
// replicas with `backends: {NAME: {delay: 2s, status: 503, sequence: [503, 200]}}` (NAME: a
// Service, or a Pod / Deployment / Workload) and expect what only a live exchange shows:
//   minLatencyMs: 2000                the client waited at least this long
//   upstreamAttempts: 3               the x-envoy-attempt-count the answering replica received

#include "request.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::routing {

struct DestinationExpectation {
    std::string host;
    std::optional<std::uint32_t> port;
    std::string subset;
};

struct RetryExpectation {
    std::optional<std::int32_t> attempts;
    std::optional<std::string> retryOn;
    std::optional<std::vector<std::uint32_t>> retriableStatusCodes;
    std::optional<std::optional<std::string>> perTryTimeout; ///< inner nullopt: `null`, none
};

struct MirrorExpectation {
    std::string cluster;
    std::optional<double> percent;
    std::optional<std::string> host; ///< the Host/Authority the shadow request carries
};

/// Every key optional; only those given are checked. An inner nullopt means the test wrote `null`.
struct RouteExpectation {
    std::optional<std::string> status; ///< "200", "404", "conn_refused", "conn_reset", "connected"
    std::optional<std::optional<std::string>> cluster;
    std::optional<std::optional<DestinationExpectation>> destination;
    std::optional<std::optional<std::string>> responseFlag;
    std::optional<std::string> location;
    std::optional<std::string> upstreamPath;
    std::optional<std::string> body;
    std::map<std::string, std::string> upstreamHeaders;
    std::vector<std::string> upstreamHeadersAbsent;
    std::map<std::string, std::string> responseHeaders;
    std::map<std::string, double> distribution;
    double tolerance = 0.02;
    // Policies and provenance of the decision (decidable without the live proxy).
    std::optional<std::optional<std::string>> timeout; ///< route timeout; inner nullopt: none
    std::optional<RetryExpectation> retries;
    std::optional<std::optional<std::string>> delay; ///< injected fault delay; inner nullopt: none
    std::optional<std::vector<MirrorExpectation>> mirrors;
    std::optional<std::string> virtualHost;         ///< the vhost domain that matched
    std::optional<std::string> routeConfig;         ///< "http.80", "https.443.https.gw.ns"
    std::optional<std::optional<std::string>> rule; ///< "ns/vs#index" of the matched rule; null: none
    std::optional<std::string> policy;              ///< substring of the DestinationRule policy summary
    std::vector<std::string> trace;                 ///< substrings that must each appear in the trace
    // Live only.
    std::optional<double> minLatencyMs;
    std::optional<std::uint32_t> upstreamAttempts;
};

/// What the replicas of one Service (or one Pod / workload) do in a live case.
struct BackendScript {
    std::optional<std::string> delay; ///< "2s": every answer waits this long
    std::optional<int> status;        ///< every answer has this status
    std::vector<int> sequence;        ///< statuses in turn (cycled); wins over `status`
};

struct RouteTestCase {
    std::string name;
    std::uint32_t line = 0;               ///< where the test starts in its file
    std::vector<std::string> configFiles; ///< resolved paths; empty when inline or inherited
    std::optional<std::string> inlineConfig;
    Request request;
    bool tcp = false; ///< request.protocol: tcp
    std::uint32_t repeat = 1;
    bool live = false;                             ///< needs the running proxy
    std::map<std::string, BackendScript> backends; ///< live: scripted replicas by Service or Pod name
    RouteExpectation expect;
};

struct RouteTestFile {
    std::string path;
    std::vector<std::string> defaultConfig; ///< top-level `config:` resolved against the file's folder
    std::vector<RouteTestCase> cases;
    std::vector<std::string> errors; ///< "file:line: message" for malformed tests
};

/// Reads a route-test file. Never throws; problems land in `errors`.
[[nodiscard]] RouteTestFile loadRouteTests(const std::string& path);
/// Same, from text (the path resolves relative `config` files).
[[nodiscard]] RouteTestFile parseRouteTests(const std::string& path, const std::string& text);

} // namespace sluice::routing
