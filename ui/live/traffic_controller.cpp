// SPDX-License-Identifier: Apache-2.0
#include "traffic_controller.h"

#include "metrics/traffic_report_text.h"
#include "traffic/traffic_simulator.h"

#include <algorithm>

#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace sluice::ui {
namespace {

/// Runs `work` on Qt's pool and hands its result to `done` on `context`'s thread.
template <class Result, class Work, class Done> void onPool(QObject* context, Work work, Done done) {
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcher<Result>::finished, context, [watcher, done] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

} // namespace

TrafficController::TrafficController(QObject* parent)
    : QObject(parent) {
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &TrafficController::tick);
}

TrafficController::~TrafficController() {
    if (m_cancel)
        *m_cancel = true;
    if (m_load)
        for (const auto& engine : m_load->engines)
            engine->stop();
}

void TrafficController::begin() {
    m_running = true;
    m_requests = 0;
}

template <class Launch> void TrafficController::launch(Launch launchOnPool) {
    if (m_running)
        return;
    begin();
    onPool<std::shared_ptr<LaunchedLoad>>(
        this, [launchOnPool] { return std::make_shared<LaunchedLoad>(launchOnPool()); },
        [this](const std::shared_ptr<LaunchedLoad>& load) { launched(load); });
}

void TrafficController::startLoad(const LoadSettings& settings, const ServableConfig& config,
                                  const std::vector<workload::LocalListener>& listeners) {
    launch([settings, config, listeners] { return TrafficLaunch::load(settings, config, listeners); });
}

void TrafficController::startReplay(const ReplaySettings& settings, const ServableConfig& config,
                                    const std::vector<workload::LocalListener>& listeners) {
    launch([settings, config, listeners] { return TrafficLaunch::replay(settings, config, listeners); });
}

void TrafficController::startSimulation(quint64 requests, const ServableConfig& config) {
    if (m_running)
        return;
    if (!config.servable()) {
        emit finished(false, tr("The config cannot be simulated: it has errors."));
        return;
    }
    begin();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    emit started(tr("Simulating %n request(s)...", "", static_cast<int>(requests)));
    emit progress(-1, tr("Simulating..."));
    onPool<QString>(
        this,
        [requests, config, cancel = m_cancel] {
            traffic::SimulationOptions options;
            options.requests = requests;
            options.cancel = cancel.get();
            const traffic::SimulationInput input{*config.resources, config.table, nullptr, nullptr, nullptr};
            const traffic::SimulationResult r = traffic::TrafficSimulator::run(input, options);
            if (!r.ok())
                return QString::fromStdString("The simulation did not run: " + r.error);
            return QString::fromStdString(metrics::TrafficReportText::render(r.report));
        },
        [this](const QString& report) {
            m_cancel.reset();
            end(!report.startsWith(QStringLiteral("The simulation did not run")), report);
        });
}

void TrafficController::stop() {
    if (m_cancel)
        *m_cancel = true;
    if (m_load)
        for (const auto& engine : m_load->engines)
            engine->stop();
}

void TrafficController::launched(const std::shared_ptr<LaunchedLoad>& load) {
    if (!load->error.empty()) {
        end(false, QString::fromStdString(load->error));
        return;
    }
    m_load = load;
    emit started(QString::fromStdString(load->description));
    m_timer.start();
}

void TrafficController::tick() {
    if (!m_load)
        return;
    const auto& engines = m_load->engines;
    std::uint64_t lastSecond = 0, p99 = 0;
    for (const auto& engine : engines)
        for (const auto& s : engine->poll()) {
            m_requests += s.requests;
            lastSecond = s.requests;
            p99 = s.p99;
        }
    const double elapsed = engines.front()->elapsedSeconds();
    const int percent =
        m_load->seconds > 0 ? std::clamp(static_cast<int>(100 * elapsed / m_load->seconds), 0, 100) : -1;
    const QLocale locale;
    emit progress(percent, tr("%1 s · %2 requests · %3 rps · p99 %4 ms")
                               .arg(static_cast<int>(elapsed))
                               .arg(locale.toString(static_cast<qulonglong>(m_requests)))
                               .arg(locale.toString(static_cast<qulonglong>(lastSecond)))
                               .arg(static_cast<double>(p99) / 1000.0, 0, 'f', 1));
    if (!std::all_of(engines.begin(), engines.end(), [](const auto& e) { return e->done(); }))
        return;
    m_timer.stop();
    onPool<QString>(
        this, [load = m_load] { return QString::fromStdString(TrafficLaunch::report(*load)); },
        [this](const QString& report) {
            m_load.reset();
            end(true, report);
        });
}

void TrafficController::end(bool ok, const QString& report) {
    m_running = false;
    emit finished(ok, report);
}

} // namespace sluice::ui
