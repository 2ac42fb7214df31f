// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a load run (or a replay) does: where it connects, how it paces, when it stops.

#include "arrival_process.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::traffic {

struct ClientTls {
    bool enabled = false;
    std::string sni;    ///< server name sent; empty: none
    std::string caFile; ///< verify the server against these CAs (and its name against `sni`); empty: no check
    std::string certFile; ///< client certificate chain (PEM), for MUTUAL servers; empty: none
    std::string keyFile;  ///< its private key (PEM)
};

/// Where the requests go. The Host / :authority of each request is the request's own.
struct LoadTarget {
    std::string address = "127.0.0.1"; ///< an IP address (names are resolved by the caller)
    std::uint16_t port = 0;
    ClientTls tls;
    bool h2 = false; ///< HTTP/2: prior knowledge over plain TCP, ALPN "h2" over TLS
};

struct LoadOptions {
    static constexpr double kMaxRate = 10'000'000;
    static constexpr unsigned kMaxConnections = 100'000;
    static constexpr unsigned kMaxStreams = 1'000;
    static constexpr std::chrono::hours kMaxDuration{24 * 7};

    LoadTarget target;
    /// Connections, split over the workers. Closed loop: each sends its next request when the
    /// last one is answered. Open loop: the connections requests may use (a request due while
    /// every one is busy waits, and its wait counts in its latency).
    unsigned connections = 50;
    unsigned streams = 1; ///< HTTP/2: requests in flight per connection
    unsigned workers = 1; ///< threads, each with its own event loop
    /// Open loop at this many requests per second (all workers together); nullopt: closed loop.
    std::optional<double> rate;
    ArrivalProcess arrivals = ArrivalProcess::Constant;
    /// Explicit schedule (replay): slot k is due at offsets[k] from the start; the run has
    /// offsets.size() slots. Overrides `rate` and `requests`.
    std::shared_ptr<const std::vector<std::chrono::microseconds>> offsets;
    std::optional<std::chrono::microseconds> duration; ///< stop sending after this long
    std::optional<std::uint64_t> requests;             ///< stop after this many requests
    std::chrono::milliseconds timeout{30'000};         ///< per request (from its send), then no response
    std::chrono::milliseconds connectTimeout{5'000};
    /// After stop() (Ctrl-C), requests in flight get this long to finish before they are abandoned.
    std::chrono::milliseconds stopGrace{1'000};
    std::uint64_t seed = 0x5EED;
    /// When the run starts (slots are due from it); unset: 10 ms after start(). Runs that must keep
    /// one timeline (a replay split over several targets) share it.
    std::optional<std::chrono::steady_clock::time_point> startAt;
    /// Keep each request's result (replay reports them one by one).
    bool keepResults = false;
    /// How many seconds of the per-second series (LoadRun::series, ::seconds) to keep; nullopt:
    /// the whole run (its duration plus a minute). Its memory grows with the run (several KB a
    /// second at high rates), so a caller that keeps its own history or writes no series file
    /// keeps a minute, and a run of any length stays flat.
    std::optional<std::chrono::seconds> seriesSeconds;
};

/// Empty when `options` can run, else why not (in words, for the CLI): a rate that is not a
/// positive number or above kMaxRate, a zero or negative duration, zero requests, no port...
[[nodiscard]] std::string checkLoadOptions(const LoadOptions& options);

} // namespace sluice::traffic
