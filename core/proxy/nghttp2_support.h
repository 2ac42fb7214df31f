// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to the .cpp files that drive nghttp2 (includes nghttp2): what the gateway's HTTP/2
// sessions, its HTTP/2 upstream connections and the simulated replicas' HTTP/2 side share.

#include "http2_header_block.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nghttp2/nghttp2.h>

namespace sluice::proxy {

/// `block`'s fields as nghttp2 takes them for a submission, on the stack for a typical block
/// (a vector per response was an allocation per stream). The entries point into `block`: nghttp2
/// copies the fields at submission unless told the block is kept, and never writes through them.
class Nghttp2Fields {
public:
    /// `keep`: `block` outlives nghttp2's use of the fields, so nghttp2 refers to them instead of
    /// copying them (NGHTTP2_NV_FLAG_NO_COPY_*; names are lowercase already). nghttp2 reads them
    /// only when it packs the frame, which it does only while the stream is open.
    explicit Nghttp2Fields(const Http2HeaderBlock& block, bool keep = false) {
        nghttp2_nv* out = m_inline.data();
        if (block.size() > m_inline.size()) {
            m_heap.resize(block.size());
            out = m_heap.data();
        }
        for (std::size_t i = 0; i < block.size(); ++i) {
            const std::string_view name = block.name(i);
            const std::string_view value = block.value(i);
            // A value new with every response would only churn HPACK's dynamic table (an insertion
            // and an eviction each time, on both ends): sent as a literal instead.
            std::uint8_t flags =
                name == "x-envoy-upstream-service-time" ? NGHTTP2_NV_FLAG_NO_INDEX : NGHTTP2_NV_FLAG_NONE;
            if (keep)
                flags |= NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE;
            out[i] = {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
                      reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
                      value.size(), flags};
        }
        m_data = out;
        m_size = block.size();
    }
    Nghttp2Fields(const Nghttp2Fields&) = delete;
    Nghttp2Fields& operator=(const Nghttp2Fields&) = delete;

    [[nodiscard]] const nghttp2_nv* data() const { return m_data; }
    [[nodiscard]] std::size_t size() const { return m_size; }

private:
    std::array<nghttp2_nv, 24> m_inline;
    std::vector<nghttp2_nv> m_heap; ///< a block larger than m_inline
    const nghttp2_nv* m_data = nullptr;
    std::size_t m_size = 0;
};

/// A data provider's last call: EOF, and `trailers` (when there are any) end the stream instead.
inline void endData(nghttp2_session* session, std::int32_t id, std::uint32_t* flags,
                    const Http2HeaderBlock& trailers) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (trailers.empty())
        return;
    *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
    const Nghttp2Fields nv(trailers);
    nghttp2_submit_trailer(session, id, nv.data(), nv.size());
}

struct Http2Settings;

/// Submits a server's SETTINGS (`settings`: streams, windows, header list size; no push) and
/// opens its connection window. Defined in http2_session.cpp.
void submitServerSettings(nghttp2_session* session, const Http2Settings& settings);

/// What a connection's writer does next (see gatherFrames).
enum class Outgoing {
    Frames, ///< write the gathered frames
    Idle,   ///< nothing to send now: wait until frames are submitted or data is read
    Done,   ///< nghttp2 neither reads nor writes any more (GOAWAY sent or received, streams done)
    Failed, ///< nghttp2 failed: close the connection
};

/// Gathers the frames nghttp2 wants to send into `out` (cleared first), about `batch` bytes at most
/// so one write carries many small frames.
[[nodiscard]] inline Outgoing gatherFrames(nghttp2_session* session, std::string& out,
                                           std::size_t batch = 64 * 1024) {
    out.clear();
    while (out.size() < batch) {
        const std::uint8_t* data = nullptr;
        const auto n = nghttp2_session_mem_send(session, &data);
        if (n < 0)
            return Outgoing::Failed;
        if (n == 0)
            break;
        out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
    if (!out.empty())
        return Outgoing::Frames;
    return nghttp2_session_want_read(session) || nghttp2_session_want_write(session) ? Outgoing::Idle
                                                                                     : Outgoing::Done;
}

/// The server-side receiving callbacks of nghttp2, forwarded to `Owner` (the session's user data),
/// which declares these (private, with this template a friend):
/// onBeginHeaders(id) for a request's HEADERS, onHeader(id, trailer, name, value),
/// onFrame(type, flags, id, length, trailer), onData(id, data, size), onStreamClose(id, errorCode).
template <class Owner> struct Nghttp2ServerCallbacks {
    static void install(nghttp2_session_callbacks* callbacks) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &beginHeaders);
        nghttp2_session_callbacks_set_on_header_callback(callbacks, &header);
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &frameRecv);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &dataChunk);
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &streamClose);
    }

    static Owner& of(void* user) { return *static_cast<Owner*>(user); }

    static std::string_view text(const std::uint8_t* p, std::size_t n) {
        return {reinterpret_cast<const char*>(p), n};
    }

    /// A HEADERS frame after the request's: its trailers.
    static bool isTrailer(const nghttp2_frame* frame) {
        return frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_HEADERS;
    }

    static int beginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user) {
        if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
            return 0;
        return of(user).onBeginHeaders(frame->hd.stream_id);
    }

    static int header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                      std::size_t nameLength, const std::uint8_t* value, std::size_t valueLength,
                      std::uint8_t, void* user) {
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        return of(user).onHeader(frame->hd.stream_id, isTrailer(frame), text(name, nameLength),
                                 text(value, valueLength));
    }

    static int frameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
        return of(user).onFrame(frame->hd.type, frame->hd.flags, frame->hd.stream_id, frame->hd.length,
                                isTrailer(frame));
    }

    static int dataChunk(nghttp2_session*, std::uint8_t, std::int32_t id, const std::uint8_t* data,
                         std::size_t size, void* user) {
        return of(user).onData(id, data, size);
    }

    static int streamClose(nghttp2_session*, std::int32_t id, std::uint32_t errorCode, void* user) {
        return of(user).onStreamClose(id, errorCode);
    }
};

} // namespace sluice::proxy
