// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servable_config.h"
#include "traffic_launch.h"

#include <atomic>
#include <memory>
#include <vector>

#include <QObject>
#include <QTimer>

namespace sluice::ui {

/// Runs the Traffic panel's work through core/traffic: load and replay (LoadEngine threads aimed at
/// the running proxy) and simulate (TrafficSimulator on a pool thread). One run at a time.
///
/// Threads: create and call on the GUI thread; signals are emitted there. Preparing a run and
/// collecting its report happen on Qt's pool (QFutureWatcher brings the results back); progress is
/// polled from the engines four times a second (LoadEngine::poll() is made for one polling thread).
class TrafficController : public QObject {
    Q_OBJECT

public:
    explicit TrafficController(QObject* parent = nullptr);
    ~TrafficController() override; ///< stops a run still going (its engines join their threads)

    /// Load on the running proxy, whose listeners are `listeners`.
    void startLoad(const LoadSettings& settings, const ServableConfig& config,
                   const std::vector<workload::LocalListener>& listeners);
    void startReplay(const ReplaySettings& settings, const ServableConfig& config,
                     const std::vector<workload::LocalListener>& listeners);
    /// Simulates `requests` requests of the routes in view (no proxy needed).
    void startSimulation(quint64 requests, const ServableConfig& config);
    /// Stops the run: load engines stop sending (requests in flight get a short grace), a
    /// simulation stops at its next check. The report follows (finished()).
    void stop();

    [[nodiscard]] bool running() const { return m_running; }

signals:
    /// A run began (`what` describes it).
    void started(const QString& what);
    /// Progress of the run: `percent` 0..100, or -1 when open-ended; `text` in words.
    void progress(int percent, const QString& text);
    /// The run is over: its text report, or why it could not run (`ok` false).
    void finished(bool ok, const QString& report);

private:
    void begin();
    /// Runs `launchOnPool` (a load or a replay being set up) off the GUI thread, unless traffic
    /// is already running; its result comes back to launched().
    template <class Launch> void launch(Launch launchOnPool);
    void launched(const std::shared_ptr<LaunchedLoad>& load);
    void tick();
    void end(bool ok, const QString& report);

    bool m_running = false;
    std::shared_ptr<LaunchedLoad> m_load;
    std::shared_ptr<std::atomic<bool>> m_cancel; ///< the simulation's
    QTimer m_timer;
    quint64 m_requests = 0;
};

} // namespace sluice::ui
