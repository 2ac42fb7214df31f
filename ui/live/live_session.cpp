// SPDX-License-Identifier: Apache-2.0
#include "live_session.h"

#include "traffic/mix_profile.h"

namespace sluice::ui {

LiveSession::LiveSession(workload::SessionOptions options, QObject* parent)
    : QObject(parent)
    , m_proxy(std::move(options)) {
    connect(&m_proxy, &ProxyController::stateChanged, this, &LiveSession::proxyStateChanged);
    connect(&m_traffic, &TrafficController::finished, this, [this] { setDemo(false); });
}

void LiveSession::setConfig(ServableConfig config) {
    m_config = config;
    m_proxy.setConfig(std::move(config));
}

void LiveSession::runLoad(const LoadSettings& settings) {
    runWhenServing(settings);
}

void LiveSession::runReplay(const ReplaySettings& settings) {
    runWhenServing(settings);
}

void LiveSession::runSimulation(quint64 requests) {
    m_traffic.startSimulation(requests, m_config);
}

void LiveSession::stopTraffic() {
    m_pending.reset();
    m_traffic.stop();
}

void LiveSession::toggleDemo() {
    if (m_demo) {
        m_pending.reset();
        m_traffic.stop();
        m_proxy.stop();
        setDemo(false);
        return;
    }
    if (m_traffic.running())
        return;
    LoadSettings demo;
    demo.demo = true;
    demo.rate = traffic::MixProfile::kDemoRate;
    demo.connections = traffic::MixProfile::kDemoConnections;
    demo.seconds = 0; // until stopped
    setDemo(true);
    runWhenServing(demo);
}

void LiveSession::runWhenServing(Pending pending) {
    if (m_traffic.running())
        return;
    if (m_proxy.running()) {
        launch(pending);
        return;
    }
    m_pending = std::move(pending);
    m_proxy.start(); // proxyStateChanged() launches it once the proxy runs
}

void LiveSession::proxyStateChanged(ProxyController::State state) {
    if (state == ProxyController::State::Running && m_pending) {
        const Pending pending = *m_pending;
        m_pending.reset();
        launch(pending);
    } else if (state == ProxyController::State::Failed || state == ProxyController::State::Stopped) {
        m_pending.reset();
        m_traffic.stop();
        setDemo(false);
    }
}

void LiveSession::launch(const Pending& pending) {
    if (const auto* load = std::get_if<LoadSettings>(&pending))
        m_traffic.startLoad(*load, m_config, m_proxy.listeners());
    else
        m_traffic.startReplay(std::get<ReplaySettings>(pending), m_config, m_proxy.listeners());
}

void LiveSession::setDemo(bool running) {
    if (running == m_demo)
        return;
    m_demo = running;
    emit demoChanged(running);
}

} // namespace sluice::ui
