// SPDX-License-Identifier: Apache-2.0
#include "proxy_controller.h"

#include <utility>

#include <QFutureWatcher>
#include <QStringList>
#include <QtConcurrent/QtConcurrentRun>

namespace sluice::ui {
namespace {

/// Why `config` cannot be served, in words ("the config has 2 errors (Istio would refuse it)").
QString refusal(const ServableConfig& config) {
    if (!config.resources || !config.table)
        return ProxyController::tr("no config is open");
    if (config.unreadable)
        return ProxyController::tr("some of the config's files could not be read");
    return ProxyController::tr("the config has %n error(s) (Istio would refuse it)", "",
                               static_cast<int>(config.errors));
}

} // namespace

workload::SessionOptions ProxyController::defaultOptions() {
    workload::SessionOptions o;
    o.serve.bindAddress = "127.0.0.1";
    o.serve.portOffset = 8000;
    o.serve.workers = 2;
    o.drain = std::chrono::milliseconds(300);
    return o;
}

ProxyController::ProxyController(workload::SessionOptions options, QObject* parent)
    : QObject(parent)
    , m_status(tr("Proxy stopped")) {
    qRegisterMetaType<metrics::MetricsSnapshotPtr>();
    qRegisterMetaType<AccessLogBatch>();
    options.accessLog = &m_log;
    m_session = std::make_unique<workload::GatewaySession>(std::move(options));
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

ProxyController::~ProxyController() {
    m_pool.waitForDone(); // the pool is idle from here: the session may be touched on this thread
    m_session->stop();
}

bool ProxyController::setSessionOptions(workload::SessionOptions options) {
    if (m_state != State::Stopped && m_state != State::Failed)
        return false;
    m_pool.waitForDone(); // idle once stopped: the stop's outcome is what set the state
    options.accessLog = &m_log;
    m_session = std::make_unique<workload::GatewaySession>(std::move(options));
    return true;
}

void ProxyController::setConfig(ServableConfig config) {
    m_config = std::move(config);
    if (m_state != State::Running && m_state != State::Starting)
        return;
    if (!m_config.servable()) {
        m_applyPending = false;
        m_reloadNote = tr("still the last good config: %1").arg(refusal(m_config));
        emit reloaded(false, tr("Still serving the last good config: %1.").arg(refusal(m_config)));
        if (m_state == State::Running)
            setState(State::Running, runningText());
        return;
    }
    m_applyPending = true;
    applyPending();
}

void ProxyController::start() {
    if (m_state == State::Starting || m_state == State::Running || m_state == State::Stopping)
        return;
    if (!m_config.servable()) {
        setState(State::Failed, tr("Cannot start the proxy: %1.").arg(refusal(m_config)));
        return;
    }
    m_reloadNote.clear();
    m_applyPending = false;
    setState(State::Starting, tr("Starting the proxy..."));
    run(Operation::Start, [this, config = m_config] {
        std::vector<proxy::RequestRecord> stale; // what the last run logged after its last batch
        m_log.drain(stale);
        Outcome o;
        o.error = m_session->start(*config.resources, config.table);
        o.running = m_session->running();
        if (o.running) {
            o.listeners = m_session->listeners();
            if (metrics::MetricsCollector* collector = m_session->metrics())
                collector->subscribe([this](const metrics::MetricsSnapshotPtr& s) { collected(s); });
        }
        return o;
    });
}

void ProxyController::stop() {
    if (m_state == State::Stopped || m_state == State::Failed || m_state == State::Stopping)
        return;
    m_applyPending = false;
    setState(State::Stopping, tr("Stopping the proxy..."));
    run(Operation::Stop, [this] {
        m_session->stop(); // the collector stops with it: no snapshot after this
        return Outcome{};
    });
}

void ProxyController::toggle() {
    if (m_state == State::Stopped || m_state == State::Failed)
        start();
    else
        stop();
}

void ProxyController::run(Operation operation, std::function<Outcome()> work) {
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, operation] {
        finished(operation, watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, std::move(work)));
}

void ProxyController::finished(Operation operation, const Outcome& outcome) {
    switch (operation) {
    case Operation::Start:
        if (m_state != State::Starting)
            return; // stopped meanwhile: the stop's outcome follows
        if (!outcome.running) {
            setState(State::Failed,
                     tr("The proxy did not start: %1").arg(QString::fromStdString(outcome.error)));
            return;
        }
        m_listeners = outcome.listeners;
        setState(State::Running, runningText());
        applyPending();
        return;
    case Operation::Apply:
        m_applying = false;
        if (m_state != State::Running)
            return;
        if (!outcome.error.empty()) {
            const QString why = QString::fromStdString(outcome.error);
            m_reloadNote = tr("still the last good config: the edited one was refused (%1)").arg(why);
            emit reloaded(false,
                          tr("Still serving the last good config: the edited one was refused: %1").arg(why));
        } else {
            m_reloadNote.clear();
            m_listeners = outcome.listeners;
            emit reloaded(true, tr("The proxy serves the edited config."));
        }
        setState(State::Running, runningText());
        applyPending();
        return;
    case Operation::Stop:
        m_listeners.clear();
        setState(State::Stopped, tr("Proxy stopped"));
        return;
    }
}

void ProxyController::applyPending() {
    if (m_state != State::Running || m_applying || !m_applyPending)
        return;
    m_applyPending = false;
    m_applying = true;
    run(Operation::Apply, [this, config = m_config] {
        Outcome o;
        o.error = m_session->apply(*config.resources, config.table);
        o.running = m_session->running();
        o.listeners = m_session->listeners();
        return o;
    });
}

void ProxyController::setState(State state, QString message) {
    const bool changed = state != m_state || message != m_status;
    m_state = state;
    m_status = std::move(message);
    if (changed)
        emit stateChanged(m_state, m_status);
}

QString ProxyController::runningText() const {
    QStringList addresses;
    for (const auto& l : m_listeners)
        addresses << QString::fromStdString(l.text());
    QString text = tr("Proxy running: %1").arg(addresses.join(QStringLiteral(" · ")));
    if (!m_reloadNote.isEmpty())
        text += QStringLiteral(" — ") + m_reloadNote;
    return text;
}

void ProxyController::collected(const metrics::MetricsSnapshotPtr& snapshot) {
    // The collector's thread: take the rows logged since the last snapshot, as values.
    thread_local std::vector<proxy::RequestRecord> records;
    records.clear();
    const auto unlisted = static_cast<qint64>(m_log.drain(records));
    AccessLogBatch batch;
    batch.reserve(static_cast<qsizetype>(records.size()));
    for (const auto& r : records)
        batch.append(AccessLogEntry::from(r));
    // The one thread hop of the live data: queued to the GUI thread.
    QMetaObject::invokeMethod(
        this, [this, snapshot, batch = std::move(batch), unlisted] { publish(snapshot, batch, unlisted); },
        Qt::QueuedConnection);
}

void ProxyController::publish(const metrics::MetricsSnapshotPtr& snapshot, const AccessLogBatch& batch,
                              qint64 unlisted) {
    emit metricsUpdated(snapshot);
    if (!batch.isEmpty() || unlisted > 0)
        emit requestsLogged(batch, unlisted);
}

} // namespace sluice::ui
