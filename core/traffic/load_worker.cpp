// SPDX-License-Identifier: Apache-2.0
#include "load_worker.h"

#include "load_connections.h"
#include "proxy/asio_executor.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::traffic {
namespace {

namespace asio = boost::asio;

constexpr auto kTick = std::chrono::milliseconds(50);

Clock::time_point after(Clock::time_point start, double seconds) {
    return start + std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(seconds * 1e9)));
}

} // namespace

LoadWorker::LoadWorker(const EngineShared& shared, unsigned index, unsigned connections)
    : m_shared(shared)
    , m_index(index)
    , m_connections(connections)
    , m_openLoop(shared.options.rate.has_value() || shared.options.offsets != nullptr)
    , m_rng(shared.options.seed * 0x9E3779B97F4A7C15ull + index + 1)
    , m_window(*shared.board, index, shared.start) {}

LoadWorker::~LoadWorker() = default;

std::unique_ptr<RequestSource> LoadWorker::makeSource() {
    const std::uint64_t seed = (m_shared.options.seed + 0x632BE59BD9B4E019ull * (m_index + 1)) ^
                               (0x9E3779B97F4A7C15ull * ++m_seedCounter);
    return m_shared.sources->make(seed);
}

std::optional<Slot> LoadWorker::take() {
    if (m_stopping)
        return std::nullopt;
    const LoadOptions& o = m_shared.options;
    const std::uint64_t slot = m_taken * m_shared.workers + m_index;
    Slot s{slot, {}};
    if (o.offsets) {
        if (slot >= o.offsets->size())
            return std::nullopt;
        s.intended = m_shared.start + (*o.offsets)[slot];
    } else {
        if (o.requests && slot >= *o.requests)
            return std::nullopt;
        if (o.rate) {
            if (o.arrivals == ArrivalProcess::Poisson) {
                // Each worker takes every workers-th arrival: its own process at rate / workers.
                m_poissonSeconds += exponentialGap(m_rng, static_cast<double>(m_shared.workers) / *o.rate);
                s.intended = after(m_shared.start, m_poissonSeconds);
            } else {
                s.intended = after(m_shared.start, static_cast<double>(slot) / *o.rate);
            }
            if (m_shared.deadline && s.intended >= *m_shared.deadline)
                return std::nullopt;
        } else {
            s.intended = Clock::now();
            if (m_shared.deadline && s.intended >= *m_shared.deadline)
                return std::nullopt;
        }
    }
    ++m_taken;
    return s;
}

void LoadWorker::complete(const Slot& slot, const Completion& c) {
    const auto latency =
        c.done > slot.intended
            ? static_cast<std::uint64_t>(
                  std::chrono::duration_cast<std::chrono::microseconds>(c.done - slot.intended).count())
            : 0;
    metrics::TrafficOutcome outcome;
    outcome.status = c.status;
    outcome.latencyMicros = latency;
    if (!c.workload.empty()) {
        if (m_shared.attribution) {
            const auto d = m_shared.attribution->resolve(c.workload);
            outcome.destination = d.destination;
            outcome.subset = d.subset;
        } else {
            outcome.destination = c.workload;
        }
    }
    m_tally.record(outcome);
    m_window.record(c.done, c.status, latency);
    m_lastCompletion = std::max(m_lastCompletion.value_or(c.done), c.done);
    if (c.status == 0 && m_firstError.empty() && !c.error.empty())
        m_firstError = std::string(c.error);
    if (m_shared.options.keepResults) {
        const auto since = [this](Clock::time_point t) {
            return std::chrono::duration_cast<std::chrono::microseconds>(t - m_shared.start).count();
        };
        RequestResult r;
        r.slot = slot.index;
        r.sourceIndex = c.sourceIndex;
        r.status = c.status;
        r.intendedMicros = since(slot.intended);
        r.sentMicros = since(c.sent);
        r.latencyMicros = latency;
        r.workload = std::string(c.workload);
        r.error = std::string(c.error);
        m_results.push_back(std::move(r));
    }
}

void LoadWorker::connectFailed(std::string_view why) {
    ++m_connectFailures;
    if (m_firstError.empty())
        m_firstError = std::string(why);
}

void LoadWorker::withdraw(Watched* w) {
    const auto it = std::find(m_watched.begin(), m_watched.end(), w);
    if (it != m_watched.end())
        m_watched.erase(it);
}

void LoadWorker::stop() {
    if (m_stopRequested.exchange(true))
        return;
    asio::post(m_context, [this] { beginStop(); });
}

void LoadWorker::beginStop() {
    if (m_stopping)
        return;
    m_stopping = true;
    m_abortAt = Clock::now() + m_shared.options.stopGrace;
    const std::vector<Watched*> watched = m_watched; // wake() may withdraw
    for (Watched* w : watched)
        w->wake();
}

void LoadWorker::spawnTicker() {
    asio::co_spawn(
        m_context,
        [](LoadWorker* w) -> proxy::Awaitable<void> {
            proxy::SteadyTimer timer(w->m_context);
            while (w->m_live > 0) {
                timer.expires_after(kTick);
                boost::system::error_code ec;
                co_await timer.async_wait(asio::redirect_error(proxy::useAwaitable, ec));
                const Clock::time_point now = Clock::now();
                w->m_window.tick(now);
                const std::vector<Watched*> watched = w->m_watched; // a check may withdraw
                for (Watched* c : watched)
                    c->checkTimeout(now);
                if (w->m_stopping && now >= w->m_abortAt)
                    for (Watched* c : std::vector<Watched*>(w->m_watched))
                        c->abort();
            }
        }(this),
        asio::detached);
}

void LoadWorker::run() {
    for (unsigned i = 0; i < m_connections; ++i) {
        if (m_shared.options.target.h2)
            spawnH2Connection(*this);
        else
            spawnHttp1Connection(*this);
    }
    spawnTicker();
    if (m_stopRequested)
        beginStop();
    m_context.run();
    m_window.close();
    std::sort(m_results.begin(), m_results.end(),
              [](const RequestResult& a, const RequestResult& b) { return a.slot < b.slot; });
}

} // namespace sluice::traffic
