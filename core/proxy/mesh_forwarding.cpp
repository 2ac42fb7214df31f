// SPDX-License-Identifier: Apache-2.0
// MeshCaller's upstream side, as a sidecar's router runs it: attempts (an endpoint from the
// cluster's load balancer, a pooled or new connection, the request, the response head) under the
// route and per-try timeouts, retried as the route's retry policy says with jittered back-off,
// each attempt reported to outlier detection.

#include "asio_executor.h"
#include "mesh_caller.h"
#include "mesh_exchange.h"
#include "request_hasher.h"
#include "retry_state.h"
#include "route_timeouts.h"
#include "upstream_request_writer.h"
#include "upstream_response_reader.h"

#include <algorithm>
#include <memory>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

/// Cancels a socket's operations at a deadline; the handler may outlive the attempt's frame.
class AttemptTimer {
public:
    AttemptTimer(TcpSocket& socket, Clock::time_point at)
        : m_timer(socket.get_executor())
        , m_shared(std::make_shared<Shared>(Shared{&socket, false})) {
        if (at == Clock::time_point::max())
            return;
        m_timer.expires_at(at);
        m_timer.async_wait([shared = m_shared](const error_code& ec) {
            if (ec || !shared->socket)
                return;
            shared->fired = true;
            error_code ignored;
            shared->socket->cancel(ignored);
        });
    }
    ~AttemptTimer() {
        m_shared->socket = nullptr;
        m_timer.cancel();
    }
    AttemptTimer(const AttemptTimer&) = delete;
    AttemptTimer& operator=(const AttemptTimer&) = delete;
    [[nodiscard]] bool fired() const { return m_shared->fired; }

private:
    struct Shared {
        TcpSocket* socket;
        bool fired;
    };
    SteadyTimer m_timer;
    std::shared_ptr<Shared> m_shared;
};

} // namespace

Awaitable<void> MeshCaller::forward(Exchange& x) {
    const routing::Decision& d = x.decision;
    const ServedCluster* cluster = x.cluster;
    MeshCallResult& r = x.result;
    x.head.method = "GET";
    x.head.target = r.path;
    x.head.host = x.authority;
    for (const auto& [name, value] : x.headers)
        x.head.fields.push_back({name, value, classifyHeader(name)});

    ClusterState* state = &x.state->cluster(cluster->index());
    std::string setCookie; // an application without a cookie jar: a generated cookie is dropped
    const std::optional<std::uint64_t> hash =
        cluster->policy().hashed()
            ? RequestHasher::hash(cluster->policy().hash, {x.head, m_identity.name, m_identity.name},
                                  setCookie)
            : std::nullopt;
    RetryState retries(d.retries);
    const auto started = Clock::now();
    const auto routeTimeout = timeoutOf(d.timeout);
    const auto perTryTimeout = timeoutOf(d.retries.perTryTimeout);
    const Clock::time_point deadline =
        routeTimeout.count() ? started + routeTimeout : Clock::time_point::max();
    TriedEndpoints tried;
    std::optional<std::uint32_t> stale; // a pooled connection turned out closed: same endpoint, new one
    bool freshAfterStale = false;       // once per call
    UpstreamResponseReader reader;
    std::string out, body;
    for (;;) {
        if (x.moveToCurrent(*this)) { // a reload since the last attempt
            if (!x.cluster) {
                x.clusterGone(retries.attempt());
                co_return;
            }
            cluster = x.cluster;
            state = &x.state->cluster(cluster->index());
            // `hash` stays: Envoy's router keeps the route it matched, and its hash policy.
            tried = TriedEndpoints{};
            stale.reset();
        }
        const auto picked = stale ? stale : x.worker.upstreams->select(*cluster, *state, {hash, &tried});
        if (!picked) {
            r.status = 503;
            routing::ResponseFlags::add(r.flags, "UH");
            r.error = "no healthy upstream";
            co_return;
        }
        tried.add(*picked);
        r.attempts = retries.attempt();
        const Clock::time_point attemptDeadline =
            perTryTimeout.count() ? std::min(deadline, Clock::now() + perTryTimeout) : deadline;
        UpstreamLease lease;
        // No peek at an idle connection (a syscall per call): a stale one is retried once, fresh.
        const auto pooled = co_await x.worker.upstreams->pool().acquire(
            *cluster, *state, *picked, attemptDeadline, freshAfterStale, lease);
        if (pooled == ConnectionPool::Result::Overflow) {
            r.status = 503;
            routing::ResponseFlags::add(r.flags, "UO");
            r.error = std::string(kUpstreamOverflow);
            co_return;
        }
        AttemptEnd end = pooled == ConnectionPool::Result::Timeout ? AttemptEnd::PerTryTimeout
                                                                   : AttemptEnd::ConnectFailure;
        bool reusable = false;
        body.clear();
        if (lease) {
            TcpSocket& socket = lease.socket();
            const AttemptTimer timer(socket, attemptDeadline);
            out.clear();
            UpstreamRequestWriter::write(x.head, d, {{}, "http", x.requestId, retries.attempt(), false}, out);
            error_code ec;
            co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(useAwaitable, ec));
            if (ec && lease.reused() && !freshAfterStale && !timer.fired()) {
                stale = picked; // a keep-alive connection the upstream had closed: once more, fresh
                freshAfterStale = true;
                continue;
            }
            end = AttemptEnd::Reset;
            if (!ec) {
                UpstreamResponseReader::Response got = co_await reader.read(socket);
                if (!got.received && lease.reused() && !freshAfterStale && !timer.fired()) {
                    stale = picked; // closed while idle in the pool: nothing was answered
                    freshAfterStale = true;
                    continue;
                }
                if (got.head) {
                    end = AttemptEnd::Response;
                    x.answered = &cluster->endpoints()[*picked];
                    x.upstreamMicros =
                        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
                    r.status = got.status;
                    r.workload = std::move(got.workload);
                    reusable = got.reusable;
                    if (got.json && !got.chunked && got.complete)
                        body = std::move(got.body);
                } else if (timer.fired()) {
                    end = AttemptEnd::PerTryTimeout;
                }
            } else if (timer.fired()) {
                end = AttemptEnd::PerTryTimeout;
            }
        }
        stale.reset();
        const int status = end == AttemptEnd::Response ? r.status : 0;
        if (lease || pooled == ConnectionPool::Result::ConnectFailed)
            state->outlier().report(*picked, outlierStatus(end, status), Clock::now());
        const bool overall = Clock::now() >= deadline;
        const bool wouldRetry =
            !overall && retries.attempt() <= d.retries.attempts && retries.retriable(end, status);
        const bool admitted = wouldRetry && state->breaker().tryAcquire(CircuitBreaker::Resource::Retries);
        if (wouldRetry && !admitted)
            routing::ResponseFlags::add(r.flags, "UO");
        if (admitted && retries.retry(end, status)) {
            lease.release();
            SteadyTimer backoff(co_await asio::this_coro::executor);
            backoff.expires_after(retries.backoff(x.worker.rng));
            error_code ignored;
            co_await backoff.async_wait(asio::redirect_error(useAwaitable, ignored));
            state->breaker().release(CircuitBreaker::Resource::Retries);
            r.workload.clear();
            x.answered = nullptr;
            x.upstreamMicros = -1;
            continue;
        }
        if (admitted)
            state->breaker().release(CircuitBreaker::Resource::Retries);
        if (end == AttemptEnd::Response) {
            if (retries.attempt() > 1 && retries.retriable(end, status))
                routing::ResponseFlags::add(r.flags, "URX");
            if (reusable)
                lease.keep();
            r.body = std::move(body);
            if (status >= 400)
                r.error = r.service + " answered " + std::to_string(status);
            co_return;
        }
        if (end == AttemptEnd::PerTryTimeout || overall) {
            r.status = 504;
            routing::ResponseFlags::add(r.flags, "UT");
            r.error = "upstream request timeout";
            co_return;
        }
        const AttemptFailureReply failure = attemptFailureReply(end);
        r.status = 503;
        routing::ResponseFlags::add(r.flags, failure.flag);
        if (retries.attempt() > 1)
            routing::ResponseFlags::add(r.flags, "URX");
        r.error = std::string(failure.body);
        co_return;
    }
}

} // namespace sluice::proxy
