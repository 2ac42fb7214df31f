// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the Traffic panel runs, prepared off the GUI thread from core/traffic: load engines aimed at
// the running proxy (a profile file, the routes in view, the demo mix, a recording), or a
// simulation. Slow (files, route compilation): call these on a worker thread, never the GUI's.

#include "servable_config.h"
#include "traffic/load_engine.h"
#include "workload/gateway_session.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::ui {

struct LoadSettings {
    std::optional<double> rate; ///< open loop at this many requests per second; nullopt: closed loop
    unsigned connections = 8;
    double seconds = 10;     ///< how long to send; 0: until stopped
    std::string profileFile; ///< a request profile; empty: one request per route in view
    bool demo = false;       ///< the "Run demo" mix (MixProfile::demo) instead of the above
};

struct ReplaySettings {
    std::string file; ///< a HAR, an Envoy/Istio or nginx access log, or Sluice JSONL
    double speed = 1; ///< recorded gaps divided by this
};

/// Load engines started (their threads run), or why none could be.
struct LaunchedLoad {
    std::string error;
    std::vector<std::shared_ptr<traffic::LoadEngine>> engines;
    std::string description; ///< "load on http://127.0.0.1:8080 (Gateway port 80), 200 rps"
    double seconds = 0;      ///< planned length; 0: open-ended
    std::optional<double> rate;
    std::vector<std::string> notes; ///< requests left out, and why
};

class TrafficLaunch {
public:
    /// Starts a load run on the running proxy (`listeners` of its session) serving `config`.
    [[nodiscard]] static LaunchedLoad load(const LoadSettings& settings, const ServableConfig& config,
                                           const std::vector<workload::LocalListener>& listeners);
    /// Starts replaying a recording through the running proxy: one engine per Gateway port the
    /// recorded requests go to, on one timeline.
    [[nodiscard]] static LaunchedLoad replay(const ReplaySettings& settings, const ServableConfig& config,
                                             const std::vector<workload::LocalListener>& listeners);
    /// The text report of finished engines (LoadEngine::finish() each).
    [[nodiscard]] static std::string report(const LaunchedLoad& launched);
};

} // namespace sluice::ui
