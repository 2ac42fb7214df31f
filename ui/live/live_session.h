// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "proxy_controller.h"
#include "servable_config.h"
#include "traffic_controller.h"
#include "traffic_launch.h"

#include <optional>
#include <variant>

#include <QObject>

namespace sluice::ui {

/// The Studio's live loop: the proxy and the traffic sent through it, on the config in view.
/// Load and replay need the running proxy: asked while it is stopped, they start it first and
/// begin once it runs. "Run demo" is the proxy plus a gentle mixed load, stopped together.
///
/// Thread affinity: GUI thread.
class LiveSession : public QObject {
    Q_OBJECT

public:
    explicit LiveSession(workload::SessionOptions options = ProxyController::defaultOptions(),
                         QObject* parent = nullptr);

    [[nodiscard]] ProxyController& proxy() { return m_proxy; }
    [[nodiscard]] TrafficController& traffic() { return m_traffic; }

    /// The config in view: served (hot reload) while the proxy runs, sent to by load and replay.
    void setConfig(ServableConfig config);
    [[nodiscard]] const ServableConfig& config() const { return m_config; }

    void runLoad(const LoadSettings& settings);
    void runReplay(const ReplaySettings& settings);
    void runSimulation(quint64 requests);
    void stopTraffic();

    /// Starts the proxy and the demo load (MixProfile::demo at a few hundred requests per second,
    /// until stopped), or stops both when the demo runs.
    void toggleDemo();
    [[nodiscard]] bool demoRunning() const { return m_demo; }

signals:
    /// The demo started (true) or stopped (false).
    void demoChanged(bool running);

private:
    using Pending = std::variant<LoadSettings, ReplaySettings>;

    void runWhenServing(Pending pending);
    void proxyStateChanged(ProxyController::State state);
    void launch(const Pending& pending);
    void setDemo(bool running);

    ProxyController m_proxy;
    TrafficController m_traffic;
    ServableConfig m_config;
    std::optional<Pending> m_pending; ///< waits for the proxy to run
    bool m_demo = false;
};

} // namespace sluice::ui
