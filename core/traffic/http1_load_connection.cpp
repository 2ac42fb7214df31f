// SPDX-License-Identifier: Apache-2.0
// One HTTP/1.1 keep-alive client connection of the load engine: takes a slot, waits for its time
// (open loop), writes the rendered request, reads the response with the proxy's response parser
// (views into one reused buffer: nothing allocated per request), reports it, and goes on.
#include "load_connections.h"
#include "proxy/asio_executor.h"
#include "proxy/header_names.h"
#include "proxy/http1_response_parser.h"

#include <cerrno>
#include <type_traits>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <sys/socket.h>

namespace sluice::traffic {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

constexpr std::size_t kBuffer = 64 * 1024;
constexpr auto kEarly = std::chrono::microseconds(20);       ///< closer than this to its time: send now
constexpr auto kRetryPause = std::chrono::milliseconds(100); ///< closed loop, after a connect failure

template <class Stream> class Http1LoadConnection final : public Watched {
public:
    explicit Http1LoadConnection(LoadWorker& worker)
        : m_worker(worker)
        , m_life(worker)
        , m_pace(worker.context())
        , m_source(worker.makeSource()) {
        m_in.resize(kBuffer);
        m_worker.enroll(this);
    }
    ~Http1LoadConnection() override { m_worker.withdraw(this); }

    proxy::Awaitable<void> run();

    void checkTimeout(Clock::time_point now) override {
        if (now >= m_deadline.at) {
            m_deadline.timedOut = true;
            m_deadline.at = Clock::time_point::max();
            closeStream(m_stream);
        }
    }
    void wake() override { m_pace.cancel(); }
    void abort() override {
        m_aborted = true;
        m_pace.cancel();
        closeStream(m_stream);
    }

private:
    /// Sends `r` and reads its response; false with m_error set when no whole response came.
    proxy::Awaitable<bool> exchange(const RenderedRequest& r);
    /// Reads more bytes after m_end (compacting first when the buffer is full); false at EOF or error.
    /// `waitFirst`: nothing can have arrived yet (the request was just sent): wait before reading.
    proxy::Awaitable<bool> readMore(bool waitFirst);
    /// Writes `bytes` whole; on plain TCP first at once (the socket takes a request almost always).
    proxy::Awaitable<error_code> writeAll(std::string_view bytes);
    void disconnect() {
        closeStream(m_stream);
        m_connected = false;
        m_begin = m_end = 0;
    }

    LoadWorker& m_worker;
    ConnectionLifetime m_life;
    proxy::SteadyTimer m_pace;
    std::unique_ptr<RequestSource> m_source;
    std::optional<Stream> m_stream;
    StreamDeadline m_deadline;
    proxy::Http1ResponseParser m_parser;
    std::string m_in;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::string m_workload;
    std::string m_error;
    error_code m_readError;
    int m_status = 0;
    bool m_connected = false;
    bool m_keepAlive = true;
    bool m_responseStarted = false;
    bool m_aborted = false;
};

template <class Stream> proxy::Awaitable<void> Http1LoadConnection<Stream>::run() {
    const auto timeout = m_worker.shared().options.timeout;
    while (const std::optional<Slot> slot = m_worker.take()) {
        if (m_worker.openLoop() && slot->intended > Clock::now() + kEarly) {
            m_pace.expires_at(slot->intended);
            error_code ec;
            co_await m_pace.async_wait(asio::redirect_error(proxy::useAwaitable, ec));
        }
        if (m_worker.stopping())
            break; // a slot not sent yet when the run stops is not counted
        const RenderedRequest& r = m_source->render(slot->index);
        Clock::time_point sent = slot->intended;
        bool ok = false;
        bool connectFailure = false;
        // A kept-alive connection the server closed meanwhile fails before any response byte:
        // the request is sent once more on a new connection (as browsers and wrk do).
        for (int attempt = 0; attempt < 2 && !ok && !m_aborted; ++attempt) {
            const bool reused = m_connected;
            if (!m_connected) {
                m_error = co_await openStream(m_worker, m_stream, m_deadline);
                if (!m_error.empty()) {
                    m_worker.connectFailed(m_error);
                    connectFailure = true;
                    disconnect();
                    break;
                }
                m_connected = true;
            }
            const Clock::time_point now = Clock::now();
            if (attempt == 0)
                sent = now;
            m_deadline.timedOut = false;
            m_deadline.at = now + timeout;
            ok = co_await exchange(r);
            m_deadline.at = Clock::time_point::max();
            if (!ok) {
                const bool retry = reused && !m_responseStarted && !m_deadline.timedOut;
                disconnect();
                if (!retry)
                    break;
            }
        }
        if (m_aborted) {
            m_worker.abandoned();
            break;
        }
        Completion c;
        c.sourceIndex = r.sourceIndex;
        c.status = ok ? m_status : 0;
        c.workload = ok ? std::string_view(m_workload) : std::string_view();
        c.error = ok ? std::string_view() : std::string_view(m_error);
        c.sent = sent;
        c.done = Clock::now();
        m_worker.complete(*slot, c);
        if (ok && !m_keepAlive)
            disconnect();
        if (connectFailure && !m_worker.openLoop() && !m_worker.stopping()) {
            m_pace.expires_after(kRetryPause);
            error_code ec;
            co_await m_pace.async_wait(asio::redirect_error(proxy::useAwaitable, ec));
        }
    }
    disconnect();
}

template <class Stream> proxy::Awaitable<bool> Http1LoadConnection<Stream>::readMore(bool waitFirst) {
    if (m_end == m_in.size()) {
        if (m_begin == 0) {
            m_readError = asio::error::message_size;
            co_return false;
        }
        std::copy(m_in.begin() + static_cast<std::ptrdiff_t>(m_begin),
                  m_in.begin() + static_cast<std::ptrdiff_t>(m_end), m_in.begin());
        m_end -= m_begin;
        m_begin = 0;
    }
    error_code ec;
    if constexpr (std::is_same_v<Stream, TcpStream>) {
        // Plain TCP: wait for readability, then one non-blocking recv. async_read_some would try a
        // recv first, which right after the request is sent only says EAGAIN: a wasted syscall
        // per request.
        for (;;) {
            if (waitFirst) {
                co_await m_stream->async_wait(TcpStream::wait_read,
                                              asio::redirect_error(proxy::useAwaitable, ec));
                if (ec) {
                    m_readError = ec;
                    co_return false;
                }
            }
            const ssize_t n =
                ::recv(m_stream->native_handle(), m_in.data() + m_end, m_in.size() - m_end, MSG_DONTWAIT);
            const int error = errno;
            if (n > 0) {
                m_end += static_cast<std::size_t>(n);
                co_return true;
            }
            if (n == 0) {
                m_readError = asio::error::eof;
                co_return false;
            }
            if (error != EAGAIN && error != EWOULDBLOCK && error != EINTR) {
                m_readError = error_code(error, boost::system::system_category());
                co_return false;
            }
            waitFirst = error != EINTR;
        }
    } else {
        const std::size_t n =
            co_await m_stream->async_read_some(asio::buffer(m_in.data() + m_end, m_in.size() - m_end),
                                               asio::redirect_error(proxy::useAwaitable, ec));
        if (ec) {
            m_readError = ec;
            co_return false;
        }
        m_end += n;
        co_return true;
    }
}

template <class Stream>
proxy::Awaitable<error_code> Http1LoadConnection<Stream>::writeAll(std::string_view bytes) {
    if constexpr (std::is_same_v<Stream, TcpStream>) {
        const ssize_t n =
            ::send(m_stream->native_handle(), bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        const int error = errno;
        if (n < 0 && error != EAGAIN && error != EWOULDBLOCK && error != EINTR)
            co_return error_code(error, boost::system::system_category());
        if (n > 0)
            bytes.remove_prefix(static_cast<std::size_t>(n));
        if (bytes.empty())
            co_return error_code();
    }
    error_code ec;
    co_await asio::async_write(*m_stream, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(proxy::useAwaitable, ec));
    co_return ec;
}

template <class Stream>
proxy::Awaitable<bool> Http1LoadConnection<Stream>::exchange(const RenderedRequest& r) {
    m_responseStarted = false;
    m_readError = {};
    if (const error_code ec = co_await writeAll(r.http1)) {
        m_error = describeFailure(ec, m_deadline.timedOut);
        co_return false;
    }
    const auto fail = [this](std::string why) {
        m_error = std::move(why);
        return false;
    };
    const auto readFailure = [this] {
        return m_readError == asio::error::message_size ? std::string("response head too large")
                                                        : describeFailure(m_readError, m_deadline.timedOut);
    };
    m_parser.reset();
    m_parser.expect(r.head);
    for (;;) { // the head; interim (1xx) responses are skipped
        const auto step = m_parser.parseHead(std::string_view(m_in).substr(m_begin, m_end - m_begin));
        if (step.progress == proxy::Http1ResponseParser::Progress::Failed)
            co_return fail(m_parser.error());
        if (step.progress == proxy::Http1ResponseParser::Progress::Done) {
            m_begin += step.consumed;
            if (!m_parser.head().informational() || m_parser.head().status == 101)
                break;
            m_parser.reset();
            m_parser.expect(r.head);
            continue;
        }
        if (!co_await readMore(m_begin == m_end))
            co_return fail(readFailure());
        m_responseStarted = true;
    }
    m_responseStarted = true;
    const proxy::ResponseHead& head = m_parser.head();
    m_status = head.status;
    m_keepAlive = head.keepAlive;
    m_workload.clear();
    for (const proxy::HeaderField& f : head.fields)
        if (proxy::headerNameIs(f.name, "x-sluice-workload")) {
            m_workload.assign(f.value);
            break;
        }
    for (;;) { // the body, measured and dropped
        const auto step = m_parser.parseBody(std::string_view(m_in).substr(m_begin, m_end - m_begin));
        m_begin += step.consumed;
        if (step.progress == proxy::Http1ResponseParser::Progress::Done)
            break;
        if (step.progress == proxy::Http1ResponseParser::Progress::Failed)
            co_return fail(m_parser.error());
        if (m_begin == m_end)
            m_begin = m_end = 0;
        if (!co_await readMore(m_begin == m_end)) {
            if ((m_readError == asio::error::eof || m_readError == asio::ssl::error::stream_truncated) &&
                m_parser.finishAtEof() == proxy::Http1ResponseParser::Progress::Done) {
                m_keepAlive = false;
                break;
            }
            co_return fail(readFailure());
        }
    }
    if (m_begin == m_end)
        m_begin = m_end = 0;
    co_return true;
}

template <class Stream> void spawn(LoadWorker& worker) {
    auto c = std::make_shared<Http1LoadConnection<Stream>>(worker);
    asio::co_spawn(
        worker.context(),
        [](std::shared_ptr<Http1LoadConnection<Stream>> self) -> proxy::Awaitable<void> {
            co_await self->run();
        }(std::move(c)),
        asio::detached);
}

} // namespace

void spawnHttp1Connection(LoadWorker& worker) {
    if (worker.shared().tls)
        spawn<TlsStream>(worker);
    else
        spawn<TcpStream>(worker);
}

} // namespace sluice::traffic
