// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asio_executor.h"

// Internal to core/proxy (includes Asio).

#include <chrono>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {

/// A wake-up between coroutines of one event loop (single-threaded: no locking): notify() before
/// wait() is not lost, several notify() calls wake one wait() once. Boost 1.74 has no channels;
/// a timer that never expires on its own and is cancelled to wake serves as one. The timer is
/// made by the first wait() that has to wait: most HTTP/2 streams never do, and making one (a
/// service lookup under the io_context's lock) and destroying it was a cost per stream.
class AsyncEvent {
public:
    explicit AsyncEvent(const Executor& executor)
        : m_executor(executor) {}

    /// Returns at once when notified since the last wait, else when notify() is called.
    Awaitable<void> wait() {
        if (!m_set) {
            if (!m_timer)
                m_timer.emplace(m_executor);
            m_timer->expires_at(std::chrono::steady_clock::time_point::max());
            boost::system::error_code ec;
            co_await m_timer->async_wait(boost::asio::redirect_error(useAwaitable, ec));
        }
        m_set = false;
    }

    void notify() {
        m_set = true;
        if (m_timer)
            m_timer->cancel();
    }

private:
    Executor m_executor;
    std::optional<SteadyTimer> m_timer;
    bool m_set = false;
};

} // namespace sluice::proxy
