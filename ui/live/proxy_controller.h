// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "access_log_entry.h"
#include "live_metatypes.h"
#include "proxy/recent_requests.h"
#include "servable_config.h"
#include "workload/gateway_session.h"

#include <functional>
#include <memory>
#include <vector>

#include <QObject>
#include <QThreadPool>

namespace sluice::ui {

/// The Studio's live proxy: one workload::GatewaySession started, hot-reloaded and stopped off the
/// GUI thread, its metrics and access log delivered on the GUI thread.
///
/// Threads: create and call on the GUI thread only; signals are emitted there. The session runs
/// its operations (start, apply, stop) one at a time on a pool thread of its own, and the results
/// come back through QFutureWatcher. The metrics collector's thread posts each snapshot (10 Hz)
/// with the access-log rows drained since the previous one: publish() is the one queued hop.
class ProxyController : public QObject {
    Q_OBJECT

public:
    enum class State { Stopped, Starting, Running, Stopping, Failed };
    Q_ENUM(State)

    /// Options for the Studio: 127.0.0.1, Istio's port offset (80 -> 8080), two workers, a short
    /// drain so that stopping takes well under a second.
    [[nodiscard]] static workload::SessionOptions defaultOptions();

    explicit ProxyController(workload::SessionOptions options = defaultOptions(), QObject* parent = nullptr);
    ~ProxyController() override; ///< stops the proxy (short drain) before returning

    /// Where and how the next start() serves (tests: ephemeral ports). Only while stopped or
    /// failed; false (and nothing changed) otherwise.
    bool setSessionOptions(workload::SessionOptions options);

    /// The config to serve. While the proxy runs, a servable config is applied at once (hot
    /// reload) and one with errors leaves the last good config serving (reloaded() says so);
    /// stopped, it is what the next start() serves.
    void setConfig(ServableConfig config);
    /// Starts serving the current config (nothing while starting or running).
    void start();
    /// Stops the proxy: requests in flight get a short drain, then the ports are free.
    void stop();
    /// start() when stopped or failed, else stop().
    void toggle();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool running() const { return m_state == State::Running; }
    /// What the proxy is doing, in plain words ("Proxy running: http://127.0.0.1:8080  Host: ...").
    [[nodiscard]] const QString& statusText() const { return m_status; }
    /// Where the running proxy listens (empty unless running).
    [[nodiscard]] const std::vector<workload::LocalListener>& listeners() const { return m_listeners; }

signals:
    /// The state changed; `message` is statusText().
    void stateChanged(sluice::ui::ProxyController::State state, const QString& message);
    /// A metrics snapshot of the running proxy, ten times a second. Each start() begins a new
    /// collector: its first snapshot has sequence 1 (a dashboard resets on it).
    void metricsUpdated(const sluice::metrics::MetricsSnapshotPtr& snapshot);
    /// The requests the proxy logged since the last batch, oldest first (every 100 ms while there
    /// are any).
    /// `unlisted`: requests served since the last batch that the log ring had no room for.
    void requestsLogged(const sluice::ui::AccessLogBatch& batch, qint64 unlisted);
    /// A config given while running was applied (`applied`) or refused; `message` says which, and why.
    void reloaded(bool applied, const QString& message);

private:
    struct Outcome {
        std::string error;
        std::vector<workload::LocalListener> listeners;
        bool running = false;
    };
    enum class Operation { Start, Apply, Stop };

    void run(Operation operation, std::function<Outcome()> work);
    void finished(Operation operation, const Outcome& outcome);
    void applyPending();
    void setState(State state, QString message);
    QString runningText() const;
    /// On the collector's thread: takes the access-log rows and posts both to the GUI thread.
    void collected(const metrics::MetricsSnapshotPtr& snapshot);
    /// On the GUI thread: emits what collected() posted.
    void publish(const metrics::MetricsSnapshotPtr& snapshot, const AccessLogBatch& batch, qint64 unlisted);

    proxy::RecentRequests m_log; ///< outlives the session, whose workers write into it
    std::unique_ptr<workload::GatewaySession> m_session; ///< touched on m_pool's thread only
    QThreadPool m_pool;                                  ///< one thread: operations in order
    State m_state = State::Stopped;
    QString m_status;
    std::vector<workload::LocalListener> m_listeners;
    ServableConfig m_config;
    bool m_applying = false;     ///< an apply is on the pool
    bool m_applyPending = false; ///< m_config changed meanwhile: apply it next
    QString m_reloadNote;        ///< why the config served is not the newest one; empty: it is
};

} // namespace sluice::ui
