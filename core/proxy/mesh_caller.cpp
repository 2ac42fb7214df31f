// SPDX-License-Identifier: Apache-2.0
#include "mesh_caller.h"

#include "asio_executor.h"
#include "header_names.h"
#include "mesh_exchange.h"
#include "metrics/metrics_shard.h"
#include "request_identity.h"
#include "routing/response_flags.h"
#include "worker_upstreams.h"

#include <algorithm>
#include <charconv>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kDepthHeader = kCallDepthHeader;

int depthOf(const RequestHead& head) {
    for (const HeaderField& f : head.fields)
        if (headerNameIs(f.name, kDepthHeader)) {
            int depth = 0;
            std::from_chars(f.value.data(), f.value.data() + f.value.size(), depth);
            return depth;
        }
    return 0;
}

} // namespace

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

Awaitable<MeshCallResult> MeshCaller::call(unsigned worker, const MeshCall& spec,
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
        SteadyTimer timer(co_await asio::this_coro::executor);
        timer.expires_after(delay);
        error_code ignored;
        co_await timer.async_wait(asio::redirect_error(useAwaitable, ignored));
    }

    switch (d.outcome) {
    case routing::Outcome::Forward:
        x.cluster = x.live->clusters().find(d.destination->cluster);
        if (x.moveToCurrent(*this) && !x.cluster) { // a reload during the delay removed the cluster
            x.clusterGone(1);
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

} // namespace sluice::proxy
