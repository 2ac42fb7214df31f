// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asio_executor.h"

// Internal to core/proxy (includes Asio).

#include <chrono>
#include <memory>
#include <utility>

#include <boost/asio/io_context.hpp>

namespace sluice::proxy {

/// Runs `onExpiry` (which typically closes or cancels a socket) if the deadline passes before it
/// is disarmed or destroyed. Safe against the late expiry race: an expiry already queued when the
/// guarded operation finished does nothing once the guard is disarmed, so `onExpiry` may capture
/// references to coroutine locals. For per-connection steps (connect, handshake), not per request.
class Deadline {
public:
    template <class OnExpiry>
    Deadline(boost::asio::io_context& context, std::chrono::steady_clock::duration after, OnExpiry onExpiry)
        : m_state(std::make_shared<State>())
        , m_timer(context) {
        m_timer.expires_after(after);
        m_timer.async_wait(
            [state = m_state, onExpiry = std::move(onExpiry)](const boost::system::error_code& ec) {
                if (ec || !state->armed)
                    return;
                state->expired = true;
                onExpiry();
            });
    }
    ~Deadline() { disarm(); }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

    void disarm() {
        m_state->armed = false;
        m_timer.cancel();
    }
    [[nodiscard]] bool expired() const { return m_state->expired; }

private:
    struct State {
        bool armed = true;
        bool expired = false;
    };
    std::shared_ptr<State> m_state;
    SteadyTimer m_timer;
};

} // namespace sluice::proxy
