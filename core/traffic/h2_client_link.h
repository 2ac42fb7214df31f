// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/traffic (includes Asio and nghttp2): what an HTTP/2 load connection keeps per
// stream (a lane) and per transport connection (a link), and nghttp2's client callbacks.

#include "load_connections.h"
#include "proxy/async_event.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nghttp2/nghttp2.h>

namespace sluice::traffic::h2client {

namespace asio = boost::asio;

inline constexpr std::size_t kBuffer = 64 * 1024;

inline std::string_view text(const std::uint8_t* p, std::size_t n) {
    return {reinterpret_cast<const char*>(p), n};
}

inline nghttp2_nv field(std::string_view name, std::string_view value) {
    return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
            reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
            NGHTTP2_NV_FLAG_NONE};
}

struct Lane {
    std::unique_ptr<RequestSource> source;
    const RenderedRequest* request = nullptr;
    Slot slot;
    Clock::time_point sent;
    Clock::time_point deadline = Clock::time_point::max();
    std::int32_t stream = -1; ///< -1: free
    std::size_t bodySent = 0;
    int status = 0;
    std::string workload;
};

class LaneOwner {
public:
    /// The stream of `lane` ended (error 0: completely), inside nghttp2's callbacks.
    virtual void onStreamEnd(Lane& lane, std::uint32_t errorCode) = 0;

protected:
    virtual ~LaneOwner() = default;
};

/// One transport connection and its nghttp2 session; shared by the reader and writer coroutines,
/// which outlive it when it fails (they see `closed` and stop).
template <class Stream> struct H2Link {
    explicit H2Link(asio::io_context& io)
        : writeEvent(io.get_executor()) {
        in.resize(kBuffer);
    }
    ~H2Link() {
        if (session)
            nghttp2_session_del(session);
    }
    H2Link(const H2Link&) = delete;
    H2Link& operator=(const H2Link&) = delete;

    std::optional<Stream> stream;
    nghttp2_session* session = nullptr;
    proxy::AsyncEvent writeEvent;
    std::string in;
    std::string out;
    bool closed = false;
    LaneOwner* owner = nullptr; ///< null once the connection let go of this link
};

struct Callbacks {
    static Lane* lane(nghttp2_session* s, std::int32_t id) {
        return static_cast<Lane*>(nghttp2_session_get_stream_user_data(s, id));
    }
    static int header(nghttp2_session* s, const nghttp2_frame* frame, const std::uint8_t* name,
                      std::size_t nameLength, const std::uint8_t* value, std::size_t valueLength,
                      std::uint8_t, void*) {
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        Lane* l = lane(s, frame->hd.stream_id);
        if (!l)
            return 0;
        const std::string_view n = text(name, nameLength), v = text(value, valueLength);
        if (n == ":status") {
            int status = 0;
            std::from_chars(v.data(), v.data() + v.size(), status);
            if (status >= 200 || l->status == 0)
                l->status = status; // a final status replaces an interim one
        } else if (n == "x-sluice-workload") {
            l->workload.assign(v);
        }
        return 0;
    }
    static int streamClose(nghttp2_session* s, std::int32_t id, std::uint32_t errorCode, void* user) {
        Lane* l = lane(s, id);
        auto* owner = static_cast<LaneOwner*>(user);
        if (l && owner && l->stream == id)
            owner->onStreamEnd(*l, errorCode);
        return 0;
    }
    static ssize_t readBody(nghttp2_session* s, std::int32_t id, std::uint8_t* buffer, std::size_t length,
                            std::uint32_t* flags, nghttp2_data_source*, void*) {
        Lane* l = lane(s, id);
        if (!l || !l->request) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            return 0;
        }
        const std::string_view body = l->request->body.substr(std::min(l->bodySent, l->request->body.size()));
        const std::size_t n = std::min(length, body.size());
        std::memcpy(buffer, body.data(), n);
        l->bodySent += n;
        if (l->bodySent >= l->request->body.size())
            *flags |= NGHTTP2_DATA_FLAG_EOF;
        return static_cast<ssize_t>(n);
    }
};

} // namespace sluice::traffic::h2client
