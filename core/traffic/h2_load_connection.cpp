// SPDX-License-Identifier: Apache-2.0
// One HTTP/2 client connection of the load engine (h2c with prior knowledge, or h2 over TLS by
// ALPN), carrying up to LoadOptions::streams requests at once. A driver coroutine takes slots and
// submits streams; a reader feeds nghttp2's client session, a writer drains it. Each stream has a
// lane (its own RequestSource, so its rendered request stays valid until the stream ends).
#include "h2_client_link.h"
#include "proxy/asio_executor.h"
#include "proxy/nghttp2_support.h"

#include <array>
#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::traffic {
namespace {

using namespace h2client;

namespace asio = boost::asio;
using boost::system::error_code;

constexpr auto kEarly = std::chrono::microseconds(20);
constexpr auto kRetryPause = std::chrono::milliseconds(100);
constexpr std::int32_t kStreamWindow = 1 << 20;
constexpr std::int32_t kConnectionWindow = 1 << 24;

template <class Stream> class H2LoadConnection final : public Watched, public LaneOwner {
public:
    using Link = H2Link<Stream>;

    explicit H2LoadConnection(LoadWorker& worker)
        : m_worker(worker)
        , m_life(worker)
        , m_pace(worker.context())
        , m_laneEvent(worker.context().get_executor())
        , m_lanes(worker.shared().options.streams) {
        for (Lane& l : m_lanes)
            l.source = worker.makeSource();
        m_worker.enroll(this);
    }
    ~H2LoadConnection() override {
        dropLink("connection closed");
        m_worker.withdraw(this);
    }

    proxy::Awaitable<void> run();

    void checkTimeout(Clock::time_point now) override {
        if (m_link && now >= m_connectDeadline.at) {
            m_connectDeadline.timedOut = true;
            m_connectDeadline.at = Clock::time_point::max();
            closeStream(m_link->stream);
        }
        for (Lane& l : m_lanes)
            if (l.stream >= 0 && now >= l.deadline && m_link && m_link->session) {
                const std::int32_t id = l.stream;
                nghttp2_session_set_stream_user_data(m_link->session, id, nullptr);
                nghttp2_submit_rst_stream(m_link->session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
                m_link->writeEvent.notify();
                finish(l, 0, "timeout");
            }
    }
    void wake() override {
        m_pace.cancel();
        m_laneEvent.notify();
    }
    void abort() override {
        m_aborted = true;
        for (Lane& l : m_lanes)
            if (l.stream >= 0) {
                l.stream = -1;
                m_worker.abandoned();
            }
        m_active = 0;
        dropLink("aborted");
        wake();
    }

    void onStreamEnd(Lane& lane, std::uint32_t errorCode) override {
        if (errorCode == 0 && lane.status != 0)
            finish(lane, lane.status, {});
        else
            finish(lane, 0,
                   errorCode == NGHTTP2_REFUSED_STREAM ? "stream refused by the server"
                                                       : "stream reset by the server");
    }

private:
    proxy::Awaitable<std::string> connect();
    bool submit(Lane& lane);
    void finish(Lane& lane, int status, std::string_view error) {
        Completion c;
        c.sourceIndex = lane.request ? lane.request->sourceIndex : 0;
        c.status = status;
        c.workload = status ? std::string_view(lane.workload) : std::string_view();
        c.error = error;
        c.sent = lane.sent;
        c.done = Clock::now();
        lane.stream = -1;
        lane.deadline = Clock::time_point::max();
        --m_active;
        m_worker.complete(lane.slot, c);
        m_laneEvent.notify();
    }
    /// Every stream in flight on the link fails with `why`; the link closes.
    void dropLink(std::string_view why) {
        if (!m_link)
            return;
        std::shared_ptr<Link> link = std::move(m_link);
        link->closed = true;
        link->owner = nullptr;
        if (link->session)
            nghttp2_session_set_user_data(link->session, nullptr);
        closeStream(link->stream);
        link->writeEvent.notify();
        for (Lane& l : m_lanes)
            if (l.stream >= 0)
                finish(l, 0, why);
    }
    static proxy::Awaitable<void> reader(std::shared_ptr<Link> link, H2LoadConnection* self);
    static proxy::Awaitable<void> writer(std::shared_ptr<Link> link, H2LoadConnection* self);

    LoadWorker& m_worker;
    ConnectionLifetime m_life;
    proxy::SteadyTimer m_pace;
    proxy::AsyncEvent m_laneEvent;
    std::vector<Lane> m_lanes;
    std::shared_ptr<Link> m_link;
    StreamDeadline m_connectDeadline;
    std::vector<nghttp2_nv> m_nv;
    std::string m_contentLength;
    unsigned m_active = 0;
    bool m_aborted = false;
};

template <class Stream> proxy::Awaitable<std::string> H2LoadConnection<Stream>::connect() {
    auto link = std::make_shared<Link>(m_worker.context());
    m_link = link;
    std::string error = co_await openStream(m_worker, link->stream, m_connectDeadline);
    if (m_link != link) // aborted meanwhile
        co_return error.empty() ? std::string("aborted") : error;
    if (!error.empty()) {
        m_link.reset();
        co_return error;
    }
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &Callbacks::header);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Callbacks::streamClose);
    nghttp2_session_client_new(&link->session, callbacks, static_cast<LaneOwner*>(this));
    nghttp2_session_callbacks_del(callbacks);
    const std::array<nghttp2_settings_entry, 2> settings{{
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(kStreamWindow)},
    }};
    nghttp2_submit_settings(link->session, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
    nghttp2_session_set_local_window_size(link->session, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
    link->owner = this;
    asio::co_spawn(m_worker.context(), reader(link, this), asio::detached);
    asio::co_spawn(m_worker.context(), writer(link, this), asio::detached);
    co_return std::string();
}

template <class Stream> bool H2LoadConnection<Stream>::submit(Lane& lane) {
    const RenderedRequest& r = *lane.request;
    m_nv.clear();
    m_nv.push_back(field(":method", r.method));
    m_nv.push_back(field(":scheme", r.scheme.empty() ? std::string_view("http") : r.scheme));
    m_nv.push_back(field(":authority", r.authority));
    m_nv.push_back(field(":path", r.path));
    if (r.headers)
        for (const auto& [name, value] : *r.headers)
            m_nv.push_back(field(name, value));
    if (!r.body.empty()) {
        m_contentLength = std::to_string(r.body.size());
        m_nv.push_back(field("content-length", m_contentLength));
    }
    nghttp2_data_provider provider{};
    provider.read_callback = &Callbacks::readBody;
    lane.bodySent = 0;
    lane.status = 0;
    lane.workload.clear();
    const std::int32_t id = nghttp2_submit_request(m_link->session, nullptr, m_nv.data(), m_nv.size(),
                                                   r.body.empty() ? nullptr : &provider, &lane);
    if (id < 0)
        return false;
    lane.stream = id;
    lane.sent = Clock::now();
    lane.deadline = lane.sent + m_worker.shared().options.timeout;
    ++m_active;
    m_link->writeEvent.notify();
    return true;
}

template <class Stream> proxy::Awaitable<void> H2LoadConnection<Stream>::run() {
    std::optional<Slot> pending;
    while (!m_aborted) {
        if (!pending && !(pending = m_worker.take()))
            break;
        const bool linkOpen = m_link && !m_link->closed && m_link->session;
        const bool mayOpen = linkOpen && nghttp2_session_check_request_allowed(m_link->session) != 0;
        std::size_t capacity = m_lanes.size();
        if (linkOpen)
            capacity = std::min<std::size_t>(
                capacity, nghttp2_session_get_remote_settings(m_link->session,
                                                              NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS));
        if (m_active > 0 && (m_active >= std::max<std::size_t>(capacity, 1) || (linkOpen && !mayOpen))) {
            co_await m_laneEvent.wait(); // a stream ends (or the run stops)
            if (m_worker.stopping())
                break;
            continue;
        }
        if (linkOpen && !mayOpen)
            dropLink("connection closed (GOAWAY)"); // nothing in flight: open a new one
        if (m_worker.openLoop() && pending->intended > Clock::now() + kEarly) {
            m_pace.expires_at(pending->intended);
            error_code ec;
            co_await m_pace.async_wait(asio::redirect_error(proxy::useAwaitable, ec));
        }
        if (m_worker.stopping() || m_aborted)
            break;
        if (!m_link || m_link->closed) {
            const std::string error = co_await connect();
            if (m_aborted)
                break;
            if (!error.empty()) {
                m_worker.connectFailed(error);
                Lane failed;
                failed.slot = *pending;
                failed.sent = Clock::now();
                ++m_active;
                finish(failed, 0, error);
                pending.reset();
                if (!m_worker.openLoop() && !m_worker.stopping()) {
                    m_pace.expires_after(kRetryPause);
                    error_code ec;
                    co_await m_pace.async_wait(asio::redirect_error(proxy::useAwaitable, ec));
                }
                continue;
            }
        }
        Lane* lane = nullptr;
        for (Lane& l : m_lanes)
            if (l.stream < 0) {
                lane = &l;
                break;
            }
        lane->slot = *pending;
        lane->request = &lane->source->render(pending->index);
        pending.reset();
        if (!submit(*lane)) {
            lane->sent = Clock::now();
            ++m_active;
            finish(*lane, 0, "the connection takes no more streams");
            dropLink("connection closed");
        }
    }
    while (m_active > 0 && !m_aborted)
        co_await m_laneEvent.wait();
    dropLink("connection closed");
}

template <class Stream>
proxy::Awaitable<void> H2LoadConnection<Stream>::reader(std::shared_ptr<Link> link, H2LoadConnection* self) {
    std::string why = "connection closed by the server";
    while (!link->closed) {
        error_code ec;
        const std::size_t n = co_await link->stream->async_read_some(
            asio::buffer(link->in), asio::redirect_error(proxy::useAwaitable, ec));
        if (link->closed)
            co_return;
        if (ec) {
            why = describeFailure(ec, false);
            break;
        }
        const auto rv = nghttp2_session_mem_recv(link->session,
                                                 reinterpret_cast<const std::uint8_t*>(link->in.data()), n);
        if (link->closed)
            co_return;
        if (rv < 0) {
            why = std::string("HTTP/2 protocol error: ") + nghttp2_strerror(static_cast<int>(rv));
            break;
        }
        link->writeEvent.notify();
    }
    if (!link->closed && link->owner)
        self->dropLink(why);
}

template <class Stream>
proxy::Awaitable<void> H2LoadConnection<Stream>::writer(std::shared_ptr<Link> link, H2LoadConnection* self) {
    while (!link->closed) {
        switch (proxy::gatherFrames(link->session, link->out)) {
        case proxy::Outgoing::Frames: {
            error_code ec;
            co_await asio::async_write(*link->stream, asio::buffer(link->out),
                                       asio::redirect_error(proxy::useAwaitable, ec));
            if (ec && !link->closed && link->owner) {
                self->dropLink(describeFailure(ec, false));
                co_return;
            }
            break;
        }
        case proxy::Outgoing::Idle:
            co_await link->writeEvent.wait();
            break;
        case proxy::Outgoing::Done:
        case proxy::Outgoing::Failed:
            if (!link->closed && link->owner)
                self->dropLink("connection closed (GOAWAY)");
            co_return;
        }
    }
}

template <class Stream> void spawn(LoadWorker& worker) {
    auto c = std::make_shared<H2LoadConnection<Stream>>(worker);
    asio::co_spawn(
        worker.context(),
        [](std::shared_ptr<H2LoadConnection<Stream>> self) -> proxy::Awaitable<void> {
            co_await self->run();
        }(std::move(c)),
        asio::detached);
}

} // namespace

void spawnH2Connection(LoadWorker& worker) {
    if (worker.shared().tls)
        spawn<TlsStream>(worker);
    else
        spawn<TcpStream>(worker);
}

} // namespace sluice::traffic
