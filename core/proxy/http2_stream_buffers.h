// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy.

#include "http2_request.h"
#include "routing/decision.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace sluice::proxy {

/// The buffers an HTTP/2 stream hands to the next stream on its worker, so each starts with the
/// room a typical request needed instead of growing it again and freeing it at the end (an HTTP/1.1
/// session keeps its buffers across requests the same way). Only buffers carry over, emptied: a
/// stream is otherwise built fresh, so nothing of one request can reach the next.
struct Http2StreamBuffers {
    routing::Decision decision;
    Http2Request request;
    std::string body;
    std::string pending;
    std::string out;
    std::string requestId;
    std::unique_ptr<char[]> upstreamIn; ///< an UpstreamExchange's read buffer...
    std::size_t upstreamInCapacity = 0; ///< ...and its size

    /// Every buffer empty, its room kept.
    void clear();
    /// The bytes of room held (what keeping these buffers costs).
    [[nodiscard]] std::size_t room() const;
};

/// A worker's spare Http2StreamBuffers: one thread, no locking. It keeps a bounded number, and
/// none that a large body grew, so a burst of streams or one big upload does not pin its peak.
class Http2StreamBufferPool {
public:
    Http2StreamBufferPool();

    /// Spare buffers, else new ones. Handed over by pointer: a Decision is too big to move around.
    [[nodiscard]] std::unique_ptr<Http2StreamBuffers> take();
    /// Buffers a stream is done with (they may still hold its bytes; they are emptied here).
    void give(std::unique_ptr<Http2StreamBuffers> buffers);
    [[nodiscard]] std::size_t spare() const { return m_spare.size(); }

    static constexpr std::size_t kKept = 64;
    static constexpr std::size_t kLargestKept = 64 * 1024;

private:
    std::vector<std::unique_ptr<Http2StreamBuffers>> m_spare;
};

} // namespace sluice::proxy
