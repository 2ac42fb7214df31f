// SPDX-License-Identifier: Apache-2.0
#include "client_close_watch.h"

#include "asio_executor.h"

#include <algorithm>
#include <cstring>

#include <boost/asio/error.hpp>

namespace sluice::proxy {

namespace asio = boost::asio;

void ClientCloseWatch::arm(ClientStream& client, std::shared_ptr<void> owner, std::function<void()> onClose) {
    if (m_armed || m_used == m_buffer.size())
        return;
    m_armed = true;
    client.async_read_some(asio::buffer(m_buffer.data() + m_used, m_buffer.size() - m_used),
                           [this, owner = std::move(owner), onClose = std::move(onClose)](
                               const boost::system::error_code& ec, std::size_t n) {
                               m_armed = false;
                               m_used += n;
                               if ((ec || n == 0) && ec != asio::error::operation_aborted) {
                                   m_closed = true;
                                   onClose();
                               }
                               m_done.notify();
                           });
}

Awaitable<std::size_t> ClientCloseWatch::settle(std::string& in, std::size_t& used) {
    while (m_armed)
        co_await m_done.wait();
    const std::size_t n = m_used;
    if (n != 0) {
        if (in.size() < used + n)
            in.resize(used + n);
        std::memcpy(in.data() + used, m_buffer.data(), n);
        used += n;
        m_used = 0;
    }
    co_return n;
}

} // namespace sluice::proxy
