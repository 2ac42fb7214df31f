// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include <chrono>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {

/// A wake-up between coroutines of one event loop (single-threaded: no locking): notify() before
/// wait() is not lost, several notify() calls wake one wait() once. Boost 1.74 has no channels;
/// a timer that never expires on its own and is cancelled to wake serves as one.
class AsyncEvent {
public:
    explicit AsyncEvent(const boost::asio::any_io_executor& executor)
        : m_timer(executor) {}

    /// Returns at once when notified since the last wait, else when notify() or cancel() is called.
    boost::asio::awaitable<void> wait() {
        if (!m_set) {
            m_timer.expires_at(std::chrono::steady_clock::time_point::max());
            boost::system::error_code ec;
            co_await m_timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        }
        m_set = false;
    }

    void notify() {
        m_set = true;
        m_timer.cancel();
    }

private:
    boost::asio::steady_timer m_timer;
    bool m_set = false;
};

} // namespace sluice::proxy
