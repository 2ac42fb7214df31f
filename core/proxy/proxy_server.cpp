// SPDX-License-Identifier: Apache-2.0
#include "proxy_server.h"

#include "asio_executor.h"
#include "config_cell.h"
#include "metrics/metrics_collector.h"
#include "proxy_worker.h"

#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/socket_base.hpp>
#include <sys/socket.h>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

/// SO_REUSEPORT: every worker accepts on its own socket for the same port and the kernel spreads
/// connections among them (no shared accept queue, no thundering herd).
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

} // namespace

std::uint16_t localPortFor(std::uint32_t gatewayPort, std::uint16_t offset) {
    const std::uint32_t port = gatewayPort < 1024 ? gatewayPort + offset : gatewayPort;
    return static_cast<std::uint16_t>(port > 65535 ? 0 : port);
}

class ProxyServer::Impl {
public:
    Impl(ServeOptions serveOptions, ServingConfigPtr config)
        : options(std::move(serveOptions))
        , cell(std::move(config)) {}

    /// Binds Gateway port `gatewayPort` on every worker (one SO_REUSEPORT socket each). Empty, or why.
    std::string bind(std::uint32_t gatewayPort);
    [[nodiscard]] std::optional<BoundListener> find(std::uint32_t gatewayPort) const;

    ServeOptions options;
    ConfigCell cell;
    std::vector<std::unique_ptr<ProxyWorker>> workers;
    mutable std::mutex boundMutex; ///< listeners() is read from other threads (admin, Studio)
    std::vector<BoundListener> bound;
    bool started = false;
    bool stopped = false; ///< a server runs once
    bool listening = false;
    std::atomic<bool> live{false};
};

std::string ProxyServer::Impl::bind(std::uint32_t gatewayPort) {
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(options.bindAddress, ec);
    if (ec)
        return "cannot bind to \"" + options.bindAddress + "\": not an IP address";
    std::uint16_t port = options.ephemeralPorts ? 0 : localPortFor(gatewayPort, options.portOffset);
    if (!options.ephemeralPorts && port == 0)
        return "Gateway port " + std::to_string(gatewayPort) + " has no local port (offset too large)";
    // Every worker's socket is bound before any is handed over: a failure leaves nothing half-open.
    std::vector<TcpAcceptor> acceptors;
    for (auto& worker : workers) {
        TcpAcceptor& acceptor = acceptors.emplace_back(worker->context());
        const tcp::endpoint at(address, port);
        acceptor.open(at.protocol(), ec);
        if (!ec)
            acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec)
            acceptor.set_option(ReusePort(true), ec);
        if (!ec)
            acceptor.bind(at, ec);
        if (!ec)
            acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            return "cannot listen on " + options.bindAddress + ":" + std::to_string(port) +
                   " (Gateway port " + std::to_string(gatewayPort) + "): " + ec.message();
        port = acceptor.local_endpoint().port(); // the ephemeral port, shared by the other workers
    }
    for (std::size_t i = 0; i < workers.size(); ++i)
        workers[i]->serve(std::move(acceptors[i]), gatewayPort);
    const std::lock_guard lock(boundMutex);
    bound.push_back({gatewayPort, port});
    return {};
}

std::optional<BoundListener> ProxyServer::Impl::find(std::uint32_t gatewayPort) const {
    const std::lock_guard lock(boundMutex);
    for (const auto& l : bound)
        if (l.gatewayPort == gatewayPort)
            return l;
    return std::nullopt;
}

ProxyServer::ProxyServer(ServeOptions options, ServingConfigPtr config)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(config))) {
    Impl& s = *m_impl;
    const unsigned count =
        s.options.workers ? s.options.workers : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < count; ++i)
        s.workers.push_back(std::make_unique<ProxyWorker>(
            i, s.options, s.cell, s.options.metrics ? &s.options.metrics->addShard() : nullptr));
}

ProxyServer::~ProxyServer() {
    stop(std::chrono::milliseconds{0});
}

std::string ProxyServer::start() {
    Impl& s = *m_impl;
    if (s.started || s.stopped)
        return "the proxy was started before";
    if (!s.listening)
        if (std::string error = listen(); !error.empty())
            return error;
    for (auto& worker : s.workers)
        worker->start();
    s.started = true;
    s.live = true;
    return {};
}

std::string ProxyServer::listen() {
    Impl& s = *m_impl;
    if (s.listening || s.stopped)
        return {};
    s.listening = true;
    const ServingConfigPtr config = s.cell.load();
    for (const auto& [gatewayPort, listener] : config->table->listeners())
        if (std::string error = s.bind(gatewayPort); !error.empty())
            return error;
    return {};
}

ListenerChanges ProxyServer::addListeners(const routing::RouteTable& table) {
    Impl& s = *m_impl;
    ListenerChanges changes;
    if (!s.listening || s.stopped)
        return changes; // listen() binds them all
    for (const auto& [gatewayPort, listener] : table.listeners()) {
        if (s.find(gatewayPort))
            continue;
        if (std::string error = s.bind(gatewayPort); !error.empty())
            changes.errors.push_back(std::move(error));
        else
            changes.added.push_back(s.bound.back()); // bind() appended it (only this thread writes)
    }
    return changes;
}

std::vector<std::uint32_t> ProxyServer::retireListeners(const routing::RouteTable& table) {
    Impl& s = *m_impl;
    std::vector<std::uint32_t> retired;
    const std::lock_guard lock(s.boundMutex);
    std::erase_if(s.bound, [&](const BoundListener& l) {
        if (table.listeners().contains(l.gatewayPort))
            return false;
        for (auto& worker : s.workers)
            worker->retire(l.gatewayPort);
        retired.push_back(l.gatewayPort);
        return true;
    });
    return retired;
}

void ProxyServer::stop(std::chrono::milliseconds drain) {
    Impl& s = *m_impl;
    if (!s.started)
        return;
    s.started = false;
    s.stopped = true;
    s.live = false;
    for (auto& worker : s.workers)
        worker->stopAccepting();
    const auto until = std::chrono::steady_clock::now() + drain;
    while (std::chrono::steady_clock::now() < until) {
        bool busy = false;
        for (auto& worker : s.workers)
            busy = busy || worker->connections > 0;
        if (!busy)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (auto& worker : s.workers)
        worker->stopNow();
    for (auto& worker : s.workers)
        worker->join();
    // The workers (and their event loops) live on until the server is destroyed: servers placed on
    // them (simulated workloads) close their sockets first.
}

void ProxyServer::swap(ServingConfigPtr config) {
    m_impl->cell.publish(std::move(config));
}

ServingConfigPtr ProxyServer::config() const {
    return m_impl->cell.load();
}

bool ProxyServer::live() const {
    return m_impl->live;
}

std::vector<BoundListener> ProxyServer::listeners() const {
    const std::lock_guard lock(m_impl->boundMutex);
    return m_impl->bound;
}

unsigned ProxyServer::workerCount() const {
    return static_cast<unsigned>(m_impl->workers.size());
}

boost::asio::io_context& ProxyServer::workerContext(unsigned index) {
    return m_impl->workers.at(index)->context();
}

metrics::MetricsShard* ProxyServer::workerMetrics(unsigned index) {
    return m_impl->workers.at(index)->metrics();
}

const ConfigCell& ProxyServer::configCell() const {
    return m_impl->cell;
}

std::shared_ptr<const LiveConfig> ProxyServer::liveConfig() const {
    return m_impl->cell.loadLive();
}

std::vector<ClusterSnapshot> ProxyServer::clusters() const {
    const LiveConfigPtr live = m_impl->cell.loadLive();
    return live->gateway().snapshot(live->clusters(), std::chrono::steady_clock::now());
}

} // namespace sluice::proxy
