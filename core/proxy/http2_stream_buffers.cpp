// SPDX-License-Identifier: Apache-2.0
#include "http2_stream_buffers.h"

#include <utility>

namespace sluice::proxy {

void Http2StreamBuffers::clear() {
    decision.reset();
    request.reset();
    body.clear();
    pending.clear();
    out.clear();
    requestId.clear();
}

std::size_t Http2StreamBuffers::room() const {
    return body.capacity() + pending.capacity() + out.capacity() + requestId.capacity() + upstreamInCapacity;
}

Http2StreamBufferPool::Http2StreamBufferPool() {
    m_spare.reserve(kKept); // give() then never allocates
}

std::unique_ptr<Http2StreamBuffers> Http2StreamBufferPool::take() {
    if (m_spare.empty())
        return std::make_unique<Http2StreamBuffers>();
    std::unique_ptr<Http2StreamBuffers> buffers = std::move(m_spare.back());
    m_spare.pop_back();
    return buffers;
}

void Http2StreamBufferPool::give(std::unique_ptr<Http2StreamBuffers> buffers) {
    if (!buffers || m_spare.size() >= kKept || buffers->room() > kLargestKept)
        return; // freed with `buffers`
    buffers->clear();
    m_spare.push_back(std::move(buffers));
}

} // namespace sluice::proxy
