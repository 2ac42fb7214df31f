// SPDX-License-Identifier: Apache-2.0
#include "replica_loop_state.h"

#include "proxy/asio_executor.h"
#include "proxy/mesh_caller.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/socket.h>

namespace sluice::workload {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

} // namespace

ReplicaLoopState::Hold::Hold(std::shared_ptr<ReplicaLoopState> state, proxy::TcpSocket* socket)
    : m_state(std::move(state))
    , m_entry(m_state->m_entries.insert(m_state->m_entries.end(), Entry{socket, false})) {}

ReplicaLoopState::Hold::Hold(Hold&& other) noexcept
    : m_state(std::move(other.m_state))
    , m_entry(other.m_entry) {}

ReplicaLoopState::Hold::~Hold() {
    if (!m_state)
        return;
    m_state->m_entries.erase(m_entry);
    m_state->released();
}

ReplicaLoopState::ReplicaLoopState(asio::io_context& context, unsigned worker, proxy::MeshCaller* sidecar)
    : m_context(context)
    , m_worker(worker)
    , m_sidecar(sidecar)
    , m_acceptor(context)
    , m_grace(context) {}

std::string ReplicaLoopState::listen(std::uint16_t port) {
    const tcp::endpoint at(asio::ip::address_v4::loopback(), port);
    error_code ec;
    m_acceptor.open(at.protocol(), ec);
    if (!ec)
        m_acceptor.set_option(ReusePort(true), ec);
    if (!ec)
        m_acceptor.bind(at, ec);
    if (!ec)
        m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    return ec ? ec.message() : std::string();
}

std::uint16_t ReplicaLoopState::port() const {
    error_code ec;
    const auto at = m_acceptor.local_endpoint(ec);
    return ec ? 0 : at.port();
}

void ReplicaLoopState::stop(std::chrono::milliseconds grace) {
    asio::post(m_context, [self = shared_from_this(), grace] { self->stopOnLoop(grace); });
}

void ReplicaLoopState::stopOnLoop(std::chrono::milliseconds grace) {
    if (m_stopping)
        return;
    m_stopping = true;
    error_code ignored;
    m_acceptor.close(ignored);
    for (Entry& e : m_entries)
        if (e.socket && e.idle)
            e.socket->close(ignored);
    if (m_entries.empty()) {
        released();
        return;
    }
    // Held from now (not from when the coroutine starts): the loop cannot retire before it ends.
    m_graceArmed = true;
    asio::co_spawn(m_context, graceTimer(Hold(shared_from_this(), nullptr), shared_from_this(), grace),
                   asio::detached);
}

proxy::Awaitable<void> ReplicaLoopState::graceTimer(Hold hold, std::shared_ptr<ReplicaLoopState> state,
                                                    std::chrono::milliseconds grace) {
    // Started after being spawned: what it waits for may have ended meanwhile (its own hold left).
    if (state->m_entries.size() > 1) {
        state->m_grace.expires_after(grace);
        error_code ec;
        co_await state->m_grace.async_wait(asio::redirect_error(proxy::useAwaitable, ec));
        if (!ec)
            state->closeAll();
    }
    state->m_graceArmed = false;
    (void)hold; // released last, when the coroutine's frame goes
}

void ReplicaLoopState::closeAll() {
    error_code ignored;
    for (Entry& e : m_entries)
        if (e.socket)
            e.socket->close(ignored);
}

void ReplicaLoopState::released() {
    if (!m_stopping || m_retired.load(std::memory_order_relaxed))
        return;
    if (m_entries.size() == 1 && m_graceArmed) {
        m_grace.cancel(); // only the grace timer is left: it ends at once
        return;
    }
    if (!m_entries.empty())
        return;
    if (proxy::MeshCaller* sidecar = m_sidecar.exchange(nullptr, std::memory_order_acq_rel))
        sidecar->release(m_worker); // its pools live on this loop
    m_retired.store(true, std::memory_order_release);
}

} // namespace sluice::workload
