// SPDX-License-Identifier: Apache-2.0
#include "mesh_caller.h"

#include "header_names.h"
#include "metrics/metrics_shard.h"
#include "request_hasher.h"
#include "request_identity.h"
#include "retry_state.h"
#include "routing/response_flags.h"
#include "upstream_failure.h"
#include "upstream_request_writer.h"
#include "upstream_response_reader.h"
#include "worker_upstreams.h"

#include <algorithm>
#include <array>
#include <charconv>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kDepthHeader = kCallDepthHeader;

std::chrono::nanoseconds positive(const std::optional<model::Duration>& d) {
    return d && d->nanos > 0 ? std::chrono::nanoseconds(d->nanos) : std::chrono::nanoseconds::zero();
}

int depthOf(const RequestHead& head) {
    for (const HeaderField& f : head.fields)
        if (headerNameIs(f.name, kDepthHeader)) {
            int depth = 0;
            std::from_chars(f.value.data(), f.value.data() + f.value.size(), depth);
            return depth;
        }
    return 0;
}

/// Cancels a socket's operations at a deadline; the handler may outlive the attempt's frame.
class AttemptTimer {
public:
    AttemptTimer(tcp::socket& socket, Clock::time_point at)
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
        tcp::socket* socket;
        bool fired;
    };
    asio::steady_timer m_timer;
    std::shared_ptr<Shared> m_shared;
};

/// A call whose cluster a reload removed: the gateway's reply (clusterGoneReply) as a result.
void clusterGone(MeshCallResult& r, int attempt) {
    const ClusterGoneReply reply = clusterGoneReply(attempt);
    r.status = 503;
    routing::ResponseFlags::add(r.flags, reply.flag);
    r.error = reply.body.empty() ? "cluster not found" : std::string(reply.body);
}

} // namespace

struct MeshCaller::Worker {
    std::uint64_t version = ~std::uint64_t{0};
    LiveConfigPtr live;
    std::shared_ptr<UpstreamState> state;
    routing::Rng rng;
    std::unique_ptr<WorkerUpstreams> upstreams;
    metrics::MetricsShard* metrics = nullptr; ///< the proxy worker's shard; null: not counted
};

/// One call in flight: owns what its frames refer to (the config version and sidecar state).
struct MeshCaller::Exchange {
    Worker& worker;
    LiveConfigPtr live;
    std::shared_ptr<UpstreamState> state;
    routing::Decision decision;
    const ServedCluster* cluster = nullptr;
    std::vector<std::pair<std::string, std::string>> headers;
    RequestHead head;
    std::string authority;
    std::string requestId;
    MeshCallResult result;
    const Endpoint* answered = nullptr; ///< the endpoint whose answer the call got
    std::int64_t upstreamMicros = -1;   ///< to that answer's head
    unsigned workerIndex = 0;

    /// After a reload: the config served now, and the call's cluster in it (null: none). Envoy's
    /// router looks the cluster up when it runs (after the fault filter's delay) and again for
    /// each retry, so a call never goes to the replaced config's replicas, which are going away.
    bool moveToCurrent(MeshCaller& caller) {
        Worker& now = caller.refresh(workerIndex);
        if (now.live == live)
            return false;
        live = now.live;
        state = now.state;
        cluster = live->clusters().find(decision.destination->cluster);
        return true;
    }
};

MeshCaller::MeshCaller(const ConfigCell& cell, CallerIdentity identity, unsigned workers,
                       std::vector<metrics::MetricsShard*> metrics)
    : m_cell(cell)
    , m_identity(std::move(identity)) {
    if (m_identity.workload.empty())
        m_identity.workload = m_identity.name;
    if (const auto it = m_identity.labels.find("app"); it != m_identity.labels.end())
        m_app = it->second;
    if (const auto it = m_identity.labels.find("version"); it != m_identity.labels.end())
        m_version = it->second;
    for (unsigned i = 0; i < std::max(1u, workers); ++i) {
        auto w = std::make_unique<Worker>();
        w->rng = routing::Rng(stableHash64(m_identity.name, i));
        w->metrics = i < metrics.size() ? metrics[i] : nullptr;
        m_workers.push_back(std::move(w));
    }
}

MeshCaller::~MeshCaller() = default;

void MeshCaller::release(unsigned worker) {
    if (worker < m_workers.size())
        m_workers[worker].reset();
}

MeshCaller::Worker& MeshCaller::refresh(unsigned index) {
    Worker& w = *m_workers[std::min<std::size_t>(index, m_workers.size() - 1)];
    const std::uint64_t version = m_cell.version();
    if (version == w.version)
        return w;
    LiveConfigPtr live = m_cell.loadLive();
    std::shared_ptr<UpstreamState> state;
    {
        // One sidecar state per config version, shared by this replica's workers.
        const std::lock_guard lock(m_mutex);
        if (m_stateFor != live) {
            m_state = std::make_shared<UpstreamState>(live->clusters());
            m_stateFor = live;
        }
        state = m_state;
    }
    w.upstreams->bind(live->clusters()); // closes the previous version's idle connections first
    w.live = std::move(live);
    w.state = std::move(state);
    w.version = version;
    return w;
}

asio::awaitable<MeshCallResult> MeshCaller::call(unsigned worker, const MeshCall& spec,
                                                 const RequestHead& inbound) {
    const auto started = Clock::now();
    Worker& slot = *m_workers[std::min<std::size_t>(worker, m_workers.size() - 1)];
    if (!slot.upstreams)
        slot.upstreams = std::make_unique<WorkerUpstreams>(co_await asio::this_coro::executor, slot.rng);
    Exchange x{refresh(worker), nullptr, nullptr, {}, nullptr, {}, {}, {}, {}, {}};
    x.live = x.worker.live;
    x.state = x.worker.state;
    x.workerIndex = worker;
    x.result.service = spec.service;
    x.result.port = spec.port;
    x.result.path = spec.path;
    const int depth = depthOf(inbound);
    if (depth >= kMaxDepth) {
        x.result.error = "call depth limit (" + std::to_string(kMaxDepth) + " hops) reached: a call cycle?";
        co_return x.result;
    }

    // The request as the application sends it to its sidecar.
    x.authority = spec.service + (spec.ns.empty() ? "" : "." + spec.ns) + ":" + std::to_string(spec.port);
    for (const HeaderField& f : inbound.fields) {
        const auto listed = [&](std::string_view h) {
            return headerNameIs(f.name, h);
        };
        // `propagate` names are lowercase (the fleet plan lowercases them).
        if (std::any_of(spec.propagate.begin(), spec.propagate.end(), listed) ||
            std::any_of(kTracingHeaders.begin(), kTracingHeaders.end(), listed))
            if (!headerNameIs(f.name, kDepthHeader))
                x.headers.emplace_back(std::string(f.name), std::string(f.value));
    }
    x.headers.emplace_back(std::string(kDepthHeader), std::to_string(depth + 1));
    requestIdFor(inbound, x.worker.rng, x.requestId);

    routing::Request request;
    request.mesh = true;
    request.port = spec.port;
    request.authority = x.authority;
    request.target = spec.path;
    request.headers = x.headers;
    request.headers.emplace_back("x-request-id", x.requestId);
    request.sourceNamespace = m_identity.ns;
    request.sourceLabels = m_identity.labels;
    x.decision = x.live->config().table->route(request, x.worker.rng, routing::Explain::No);
    const routing::Decision& d = x.decision;
    routing::ResponseFlags::add(x.result.flags, d.responseFlag);
    if (d.destination)
        x.result.cluster = d.destination->cluster;
    // Envoy's fault filter comes before the router: the delay holds the call, whatever follows
    // (an abort drawn for it included).
    if (const auto delay = d.injectedDelay(); delay.count() > 0) {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        timer.expires_after(delay);
        error_code ignored;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }

    switch (d.outcome) {
    case routing::Outcome::Forward:
        x.cluster = x.live->clusters().find(d.destination->cluster);
        if (x.moveToCurrent(*this) && !x.cluster) { // a reload during the delay removed the cluster
            clusterGone(x.result, 1);
            break;
        }
        if (!x.cluster || x.cluster->endpoints().empty()) {
            x.result.status = 503;
            routing::ResponseFlags::add(x.result.flags, "UH");
            x.result.error = "no healthy upstream";
            break;
        }
        co_await forward(x);
        break;
    case routing::Outcome::ConnectionRefused:
    case routing::Outcome::ConnectionReset:
        x.result.error = "no Service exposes " + x.authority + " to the mesh: connection refused";
        break;
    case routing::Outcome::FaultAbort:
        x.result.status = d.status;
        x.result.error = "fault filter abort";
        break;
    case routing::Outcome::NoHealthyUpstream:
        x.result.status = 503;
        x.result.error = "no healthy upstream";
        break;
    case routing::Outcome::Redirect:
    case routing::Outcome::DirectResponse:
    case routing::Outcome::ClusterNotFound:
    case routing::Outcome::NoRoute:
        x.result.status = d.status;
        if (d.status >= 400)
            x.result.error = "the sidecar answered " + std::to_string(d.status);
        break;
    }
    const auto elapsed = Clock::now() - started;
    x.result.millis = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    record(x, elapsed);
    co_return x.result;
}

void MeshCaller::record(const Exchange& x, Clock::duration elapsed) const {
    if (!x.worker.metrics)
        return;
    const routing::Decision& d = x.decision;
    metrics::RequestSample s;
    s.sourceWorkload = m_identity.workload;
    s.sourceNamespace = m_identity.ns;
    s.sourceApp = m_app;
    s.sourceVersion = m_version;
    s.virtualService = d.origin.virtualService;
    s.ruleIndex = d.origin.ruleIndex;
    s.ruleName = d.origin.ruleName;
    if (d.destination) {
        s.service = d.destination->host;
        s.port = d.destination->port;
        s.subset = d.destination->subset;
        if (d.outcome != routing::Outcome::ClusterNotFound) // as the gateway names it
            s.cluster = d.destination->cluster;
    }
    if (x.answered) { // the replica that answered
        s.replica = x.answered->workload;
        s.workload = x.answered->owner.name;
        s.workloadNamespace = x.answered->owner.ns;
        s.app = x.answered->owner.app;
        s.version = x.answered->owner.version;
    }
    s.responseCode = x.result.status;
    s.responseFlags = x.result.flags;
    s.durationMicros =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
    s.upstreamMicros = x.answered ? x.upstreamMicros : -1;
    s.bytesSent = x.result.body.size();
    x.worker.metrics->record(s);
}

asio::awaitable<void> MeshCaller::forward(Exchange& x) {
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
    const auto routeTimeout = positive(d.timeout);
    const auto perTryTimeout = positive(d.retries.perTryTimeout);
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
                clusterGone(r, retries.attempt());
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
            tcp::socket& socket = lease.socket();
            const AttemptTimer timer(socket, attemptDeadline);
            out.clear();
            UpstreamRequestWriter::write(x.head, d, {{}, "http", x.requestId, retries.attempt(), false}, out);
            error_code ec;
            co_await asio::async_write(socket, asio::buffer(out),
                                       asio::redirect_error(asio::use_awaitable, ec));
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
            asio::steady_timer backoff(co_await asio::this_coro::executor);
            backoff.expires_after(retries.backoff(x.worker.rng));
            error_code ignored;
            co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
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
