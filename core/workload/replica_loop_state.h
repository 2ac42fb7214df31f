// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "proxy/asio_executor.h"

// Internal to core/workload (includes Asio).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {
class MeshCaller;
}

namespace sluice::workload {

/// One event loop's side of a ReplicaServer: its accept socket, the connections open on it and,
/// once the replica stops, their retirement. stop() closes the accept socket and the connections
/// waiting for a request; a connection serving one closes after answering it (with
/// "connection: close"); whatever is still open after the grace period is closed. When nothing
/// is left on the loop, the sidecar's state for this loop is released there and retired() turns
/// true: from then on nothing on the loop refers to the replica, which may be destroyed.
///
/// Threads: construct and listen() before the loop runs the replica; stop() and retired() from
/// any thread; everything else (the Holds) on the loop's thread. Holds keep the state alive
/// (shared ownership), so a loop destroyed with connections still pending stays sound.
class ReplicaLoopState : public std::enable_shared_from_this<ReplicaLoopState> {
private:
    struct Entry {
        proxy::TcpSocket* socket = nullptr; ///< null: the accept loop or the grace timer
        bool idle = false;                  ///< waiting for the next request
    };

public:
    /// What keeps the loop from retiring: a connection (its socket closed when the replica stops
    /// while it is idle, or when the grace period ends), the accept loop, the grace timer.
    class Hold {
    public:
        Hold() = default;
        Hold(std::shared_ptr<ReplicaLoopState> state, proxy::TcpSocket* socket);
        Hold(Hold&& other) noexcept;
        Hold& operator=(Hold&&) = delete;
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;
        ~Hold();

        /// The socket to close (it moved, e.g. into an HTTP/2 connection).
        void setSocket(proxy::TcpSocket* socket) { m_entry->socket = socket; }
        /// Idle: between requests, closed at once when the replica stops.
        void setIdle(bool idle) { m_entry->idle = idle; }
        /// The replica stopped: answer the request being served, then close.
        [[nodiscard]] bool stopping() const { return m_state->m_stopping; }

    private:
        std::shared_ptr<ReplicaLoopState> m_state;
        std::list<Entry>::iterator m_entry;
    };

    /// `sidecar` (null: none) belongs to the replica: detach() before it goes.
    ReplicaLoopState(boost::asio::io_context& context, unsigned worker, proxy::MeshCaller* sidecar);

    /// Binds 127.0.0.1:`port` (0: ephemeral) with SO_REUSEPORT. Empty, or why not.
    [[nodiscard]] std::string listen(std::uint16_t port);
    [[nodiscard]] std::uint16_t port() const;
    [[nodiscard]] proxy::TcpAcceptor& acceptor() { return m_acceptor; }
    [[nodiscard]] boost::asio::io_context& context() { return m_context; }
    [[nodiscard]] unsigned worker() const { return m_worker; }

    /// From any thread: retires the loop (see the class comment), the stragglers closed after `grace`.
    void stop(std::chrono::milliseconds grace);
    [[nodiscard]] bool retired() const { return m_retired.load(std::memory_order_acquire); }
    /// The replica (and its sidecar) is being destroyed: retired, or its loop no longer runs.
    void detach() { m_sidecar.store(nullptr, std::memory_order_release); }

private:
    void stopOnLoop(std::chrono::milliseconds grace);
    void released();
    void closeAll();
    static proxy::Awaitable<void> graceTimer(Hold hold, std::shared_ptr<ReplicaLoopState> state,
                                             std::chrono::milliseconds grace);

    boost::asio::io_context& m_context;
    unsigned m_worker = 0;
    std::atomic<proxy::MeshCaller*> m_sidecar; ///< its state for this loop is released on retiring
    proxy::TcpAcceptor m_acceptor;
    proxy::SteadyTimer m_grace;
    std::list<Entry> m_entries; ///< loop thread only
    bool m_stopping = false;    ///< loop thread only
    bool m_graceArmed = false;  ///< loop thread only
    std::atomic<bool> m_retired{false};
};

} // namespace sluice::workload
