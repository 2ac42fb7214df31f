// SPDX-License-Identifier: Apache-2.0
#include "http1_h2_stream.h"

#include "asio_executor.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace sluice::proxy {

Http1H2Stream::Http1H2Stream(const Executor& executor)
    : m_event(executor) {}

Http1H2Stream::~Http1H2Stream() {
    abandon();
}

void Http1H2Stream::clearBody() {
    m_body.clear();
    m_bodySent = 0;
    m_bodyEnded = false;
    m_bodyKept = true;
    m_bodyWaiting = false;
    m_chunks.reset();
}

bool Http1H2Stream::appendBody(std::string_view raw, bool chunked, bool keep) {
    if (!keep && m_bodySent > 0) { // streamed through: what the upstream took is not kept
        m_body.erase(0, m_bodySent);
        m_bodySent = 0;
        m_bodyKept = false;
    }
    if (chunked) {
        if (!m_chunks.decode(raw, m_body))
            return false;
    } else {
        m_body.append(raw);
    }
    if (m_bodyWaiting && m_connection && !m_closed && bodyUnsent() > 0) {
        m_bodyWaiting = false;
        m_connection->resumeBody(m_id);
    }
    return true;
}

void Http1H2Stream::endBody() {
    m_bodyEnded = true;
    if (m_bodyWaiting && m_connection && !m_closed) {
        m_bodyWaiting = false;
        m_connection->resumeBody(m_id); // the END_STREAM is still to go
    }
}

bool Http1H2Stream::submit(std::shared_ptr<UpstreamH2Connection> connection,
                           const Http2HeaderBlock& headers) {
    abandon();
    m_head = Http2HeaderBlock{};
    m_headIn = m_headEnds = m_closed = false;
    m_error = 0;
    m_connectionEnded = false;
    m_data.clear();
    m_received = m_consumed = 0;
    m_bodySent = 0; // only a kept body is ever sent twice
    m_bodyWaiting = false;
    const bool withBody = !(m_bodyEnded && m_body.empty() && m_bodyKept);
    m_id = connection->submit(headers, withBody, *this);
    if (m_id < 0)
        return false;
    m_connection = std::move(connection);
    return true;
}

int Http1H2Stream::status() const {
    const std::string_view text = m_head.find(":status");
    int status = 0;
    std::from_chars(text.data(), text.data() + text.size(), status);
    return status;
}

std::string_view Http1H2Stream::takeData() {
    m_taken.clear();
    m_taken.swap(m_data); // both keep their memory: no allocation per chunk once warm
    return m_taken;
}

void Http1H2Stream::consumed(std::size_t bytes) {
    m_consumed += bytes;
    if (m_connection && bytes > 0)
        m_connection->consumed(m_id, bytes);
}

void Http1H2Stream::abandon() {
    m_bodyWaiting = false;
    if (!m_connection)
        return;
    m_connection->abandon(m_id, m_received - std::min(m_consumed, m_received), m_closed);
    m_consumed = m_received;
    m_connection.reset();
    m_id = -1;
}

std::ptrdiff_t Http1H2Stream::readRequestBody(std::uint8_t* buffer, std::size_t length, bool& end) {
    const std::size_t available = bodyUnsent();
    if (available == 0 && !m_bodyEnded) {
        m_bodyWaiting = true;
        return -1;
    }
    const std::size_t n = std::min(length, available);
    if (n > 0)
        std::memcpy(buffer, m_body.data() + m_bodySent, n);
    m_bodySent += n;
    end = m_bodyEnded && bodyUnsent() == 0;
    m_event.notify(); // room for more of a streamed body
    return static_cast<std::ptrdiff_t>(n);
}

void Http1H2Stream::onResponseHeaders(Http2HeaderBlock headers, bool endStream) {
    m_head = std::move(headers);
    m_headIn = true;
    m_headEnds = endStream;
    m_event.notify();
}

void Http1H2Stream::onResponseData(std::string_view data) {
    m_received += data.size();
    m_data.append(data);
    m_event.notify();
}

void Http1H2Stream::onResponseTrailers(Http2HeaderBlock) {
    // Dropped: Envoy's HTTP/1 codec writes trailers to a client only with the listener's
    // http_protocol_options.enable_trailers, which Istio never sets (see Http1Session::relayH2).
}

void Http1H2Stream::onResponseClosed(std::uint32_t errorCode, bool connectionEnded) {
    m_closed = true;
    m_error = errorCode;
    m_connectionEnded = connectionEnded;
    m_event.notify();
}

} // namespace sluice::proxy
