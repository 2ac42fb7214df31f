// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "async_event.h"
#include "client_stream.h"

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace sluice::proxy {

/// Points a session's "what the request is waiting on" slot at `target` for a scope, and clears it
/// however the scope ends (a coroutine frame destroyed included): the watch's close handler
/// cancels what the slot points at, so it must never outlive the wait.
template <class T> class AwaitedSlot {
public:
    AwaitedSlot(T*& slot, T* target)
        : m_slot(slot) {
        m_slot = target;
    }
    ~AwaitedSlot() { m_slot = nullptr; }
    AwaitedSlot(const AwaitedSlot&) = delete;
    AwaitedSlot& operator=(const AwaitedSlot&) = delete;

private:
    T*& m_slot;
};

/// Watches an HTTP/1.1 client for closing its connection while its request waits on an upstream
/// and the session is not reading from it. Envoy sees that close at once and resets the request
/// (flag DC, status 0); the session reads nothing then, so without a watch the close would go
/// unseen until the answer was written. Armed by the session's coarse watchdog (a tick a second)
/// when the tick finds a request waiting, it costs a connection at most one read a second, and a
/// close is seen within a tick. The bytes it reads instead of a close (the next or a pipelined
/// request) are kept for the session's next read.
class ClientCloseWatch {
public:
    explicit ClientCloseWatch(const Executor& executor)
        : m_done(executor) {}

    /// Starts a read on `client`: `onClose` runs if the client closes or fails (not when the read
    /// is cancelled, nor when bytes arrive). `owner` is kept alive until the read ends.
    void arm(ClientStream& client, std::shared_ptr<void> owner, std::function<void()> onClose);
    [[nodiscard]] bool armed() const { return m_armed; }
    /// The client closed its connection since the watch was armed.
    [[nodiscard]] bool closed() const { return m_closed; }
    /// Whether the session must settle() before it reads from the client again.
    [[nodiscard]] bool pending() const { return m_armed || m_used != 0; }
    /// Waits for a pending read to end, then appends what it read to `in` (at `used`, which
    /// grows). Returns how many bytes it appended.
    Awaitable<std::size_t> settle(std::string& in, std::size_t& used);
    /// Forgets the close seen (the next request starts clean).
    void reset() { m_closed = false; }

private:
    AsyncEvent m_done;
    std::array<char, 1024> m_buffer{};
    std::size_t m_used = 0;
    bool m_armed = false;
    bool m_closed = false;
};

} // namespace sluice::proxy
