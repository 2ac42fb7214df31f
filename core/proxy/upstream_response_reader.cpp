// SPDX-License-Identifier: Apache-2.0
#include "upstream_response_reader.h"

#include "asio_executor.h"
#include "header_names.h"

#include <cstring>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {

namespace asio = boost::asio;
using boost::system::error_code;
using Progress = Http1ResponseParser::Progress;

Awaitable<UpstreamResponseReader::Response> UpstreamResponseReader::read(TcpSocket& socket) {
    Response r;
    m_parser.reset();
    std::size_t used = 0;
    Http1ResponseParser::Step step;
    error_code ec;
    for (;;) {
        const std::size_t n = co_await socket.async_read_some(
            asio::buffer(m_in.data() + used, m_in.size() - used), asio::redirect_error(useAwaitable, ec));
        if (ec || n == 0)
            co_return r;
        r.received = true;
        used += n;
        step = m_parser.parseHead({m_in.data(), used});
        while (step.progress == Progress::Done && m_parser.head().informational()) {
            // 100 Continue and friends: not the answer.
            std::memmove(m_in.data(), m_in.data() + step.consumed, used - step.consumed);
            used -= step.consumed;
            m_parser.reset();
            step = m_parser.parseHead({m_in.data(), used});
        }
        if (step.progress == Progress::Failed)
            co_return r;
        if (step.progress == Progress::Done)
            break;
        if (used == m_in.size())
            m_in.resize(m_in.size() * 2);
    }
    const ResponseHead& head = m_parser.head();
    r.head = true;
    r.status = head.status;
    for (const HeaderField& f : head.fields) {
        if (headerNameIs(f.name, "x-sluice-workload"))
            r.workload.assign(f.value);
        else if (headerNameIs(f.name, "content-type"))
            r.json = f.value.find("json") != std::string_view::npos;
    }
    r.chunked = head.chunked;
    const bool keepAlive = head.keepAlive && !head.closeDelimited;
    std::string_view rest(m_in.data() + step.consumed, used - step.consumed);
    for (;;) {
        const auto b = m_parser.parseBody(rest);
        if (b.progress == Progress::Failed)
            break;
        if (r.body.size() + b.consumed <= kMaxKeptBody)
            r.body.append(rest.data(), b.consumed);
        if (b.progress == Progress::Done) {
            r.complete = true;
            r.reusable = keepAlive && b.consumed == rest.size();
            break;
        }
        const std::size_t n =
            co_await socket.async_read_some(asio::buffer(m_in), asio::redirect_error(useAwaitable, ec));
        if (ec || n == 0) {
            r.complete = m_parser.finishAtEof() == Progress::Done;
            break;
        }
        rest = std::string_view(m_in.data(), n);
    }
    co_return r;
}

} // namespace sluice::proxy
