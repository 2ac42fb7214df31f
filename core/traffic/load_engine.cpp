// SPDX-License-Identifier: Apache-2.0
#include "load_engine.h"

#include "load_worker.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>

#include <boost/asio/ssl/context.hpp>

namespace sluice::traffic {
namespace {

namespace ssl = boost::asio::ssl;

/// The client TLS context for `tls`: no verification unless a CA file is given; the client
/// certificate when one is. nullptr with `error` set when a file cannot be used.
std::unique_ptr<ssl::context> makeTlsContext(const ClientTls& tls, std::string& error) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3, ec);
    if (!tls.caFile.empty()) {
        if (ctx->load_verify_file(tls.caFile, ec); ec) {
            error = "--cacert " + tls.caFile + ": " + ec.message();
            return nullptr;
        }
        ctx->set_verify_mode(ssl::verify_peer, ec);
    } else {
        ctx->set_verify_mode(ssl::verify_none, ec);
    }
    if (!tls.certFile.empty()) {
        if (ctx->use_certificate_chain_file(tls.certFile, ec); ec) {
            error = "--cert " + tls.certFile + ": " + ec.message();
            return nullptr;
        }
        const std::string& key = tls.keyFile.empty() ? tls.certFile : tls.keyFile;
        if (ctx->use_private_key_file(key, ssl::context::pem, ec); ec) {
            error = "--key " + key + ": " + ec.message();
            return nullptr;
        }
    }
    return ctx;
}

} // namespace

class LoadEngine::Impl {
public:
    Impl(LoadOptions options, std::shared_ptr<const RequestSourceFactory> sources,
         std::shared_ptr<const WorkloadAttribution> attribution) {
        m_shared.options = std::move(options);
        m_shared.sources = std::move(sources);
        m_shared.attribution = std::move(attribution);
    }
    ~Impl() {
        stop();
        join();
    }

    std::string start() {
        if (m_started)
            return "already started";
        if (std::string error = checkLoadOptions(m_shared.options); !error.empty())
            return error;
        LoadOptions& o = m_shared.options;
        if (o.target.tls.enabled) {
            std::string error;
            m_tls = makeTlsContext(o.target.tls, error);
            if (!m_tls)
                return error;
            m_shared.tls = m_tls.get();
        }
        m_shared.workers = std::min(o.workers, o.connections);
        m_shared.start = o.startAt.value_or(Clock::now() + std::chrono::milliseconds(10));
        if (o.duration && !o.offsets)
            m_shared.deadline = m_shared.start + *o.duration;
        const auto keep = o.seriesSeconds ? *o.seriesSeconds
                          : o.duration    ? std::chrono::duration_cast<std::chrono::seconds>(*o.duration) +
                                             std::chrono::seconds(60)
                                       : std::chrono::seconds(3600);
        m_board = std::make_unique<ProgressBoard>(m_shared.workers, m_shared.start, keep);
        m_shared.board = m_board.get();
        for (unsigned w = 0; w < m_shared.workers; ++w) {
            const unsigned connections =
                o.connections / m_shared.workers + (w < o.connections % m_shared.workers ? 1 : 0);
            m_workers.push_back(std::make_unique<LoadWorker>(m_shared, w, connections));
        }
        for (auto& w : m_workers)
            m_threads.emplace_back([this, worker = w.get()] {
                worker->run();
                m_finished.fetch_add(1, std::memory_order_release);
            });
        m_started = true;
        return {};
    }

    bool done() const { return m_started && m_finished.load(std::memory_order_acquire) == m_workers.size(); }

    void stop() {
        if (m_stopAt.load() == Clock::time_point{})
            m_stopAt = Clock::now();
        for (auto& w : m_workers)
            w->stop();
    }

    void join() {
        for (auto& t : m_threads)
            if (t.joinable())
                t.join();
    }

    LoadRun finish() {
        LoadRun run;
        join();
        if (!m_started)
            return run;
        std::optional<Clock::time_point> last;
        for (auto& w : m_workers) {
            (void)run.tally.merge(w->tally()); // same precision everywhere
            run.abandoned += w->abandonedCount();
            run.connectFailures += w->connectFailures();
            if (run.firstError.empty())
                run.firstError = w->firstError();
            if (const auto t = w->lastCompletion())
                last = std::max(last.value_or(*t), *t);
            for (auto& r : w->results())
                run.results.push_back(std::move(r));
        }
        std::sort(run.results.begin(), run.results.end(),
                  [](const RequestResult& a, const RequestResult& b) { return a.slot < b.slot; });
        const Clock::time_point stopAt = m_stopAt.load();
        run.interrupted = stopAt != Clock::time_point{};
        Clock::time_point end = last.value_or(run.interrupted ? stopAt : Clock::now());
        if (m_shared.deadline && !run.interrupted)
            end = std::max(end, *m_shared.deadline);
        run.durationSeconds = std::max(0.0, std::chrono::duration<double>(end - m_shared.start).count());
        run.series = m_board->finish();
        const std::int64_t complete = run.series->lastSecond() - (run.series->lastIsPartial() ? 1 : 0);
        if (complete >= run.series->firstSecond()) {
            const auto count = static_cast<std::size_t>(complete - run.series->firstSecond() + 1);
            run.seconds = run.series->points(count + (run.series->lastIsPartial() ? 1 : 0));
            if (run.series->lastIsPartial() && !run.seconds.empty())
                run.seconds.pop_back();
        }
        return run;
    }

    std::vector<SecondSummary> poll() { return m_board ? m_board->collect() : std::vector<SecondSummary>{}; }
    double elapsed() const {
        return m_started ? std::chrono::duration<double>(Clock::now() - m_shared.start).count() : 0.0;
    }
    std::uint64_t polled() const { return m_board ? m_board->collectedRequests() : 0; }
    const LoadOptions& options() const { return m_shared.options; }

private:
    EngineShared m_shared;
    std::unique_ptr<ssl::context> m_tls;
    std::unique_ptr<ProgressBoard> m_board;
    std::vector<std::unique_ptr<LoadWorker>> m_workers;
    std::vector<std::thread> m_threads;
    std::atomic<std::size_t> m_finished{0};
    std::atomic<Clock::time_point> m_stopAt{Clock::time_point{}};
    bool m_started = false;
};

LoadEngine::LoadEngine(LoadOptions options, std::shared_ptr<const RequestSourceFactory> sources,
                       std::shared_ptr<const WorkloadAttribution> attribution)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(sources), std::move(attribution))) {}

LoadEngine::~LoadEngine() = default;

std::string LoadEngine::start() {
    return m_impl->start();
}
bool LoadEngine::done() const {
    return m_impl->done();
}
void LoadEngine::stop() {
    m_impl->stop();
}
std::vector<SecondSummary> LoadEngine::poll() {
    return m_impl->poll();
}
double LoadEngine::elapsedSeconds() const {
    return m_impl->elapsed();
}
std::uint64_t LoadEngine::polledRequests() const {
    return m_impl->polled();
}
LoadRun LoadEngine::finish() {
    return m_impl->finish();
}
const LoadOptions& LoadEngine::options() const {
    return m_impl->options();
}

} // namespace sluice::traffic
