// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/traffic (includes Asio): one worker thread of the load engine, its event loop,
// its share of the connections and the schedule of its slots.

#include "load_engine.h"
#include "progress_board.h"
#include "routing/rng.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

namespace sluice::traffic {

using Clock = std::chrono::steady_clock;

/// What every worker reads and nobody changes while the run goes.
struct EngineShared {
    LoadOptions options;
    std::shared_ptr<const RequestSourceFactory> sources;
    std::shared_ptr<const WorkloadAttribution> attribution;
    Clock::time_point start;
    std::optional<Clock::time_point> deadline;
    ProgressBoard* board = nullptr;
    boost::asio::ssl::context* tls = nullptr; ///< null: plain TCP
    unsigned workers = 1;
};

/// A request's place in the run: its sequence number and when it is due.
struct Slot {
    std::uint64_t index = 0;
    Clock::time_point intended;
};

/// How a request ended, as a connection reports it.
struct Completion {
    std::uint32_t sourceIndex = 0;
    int status = 0; ///< 0: no response
    std::string_view workload;
    std::string_view error; ///< with status 0
    Clock::time_point sent;
    Clock::time_point done;
};

/// What the worker's ticker looks after: request and connect deadlines, and stopping.
class Watched {
public:
    /// Closes the connection if its current deadline has passed.
    virtual void checkTimeout(Clock::time_point now) = 0;
    /// Wakes a connection waiting for its next request's time (the run is stopping).
    virtual void wake() = 0;
    /// Closes the connection at once; requests in flight are abandoned, not counted.
    virtual void abort() = 0;

protected:
    virtual ~Watched() = default;
};

class LoadWorker {
public:
    LoadWorker(const EngineShared& shared, unsigned index, unsigned connections);
    ~LoadWorker();
    LoadWorker(const LoadWorker&) = delete;
    LoadWorker& operator=(const LoadWorker&) = delete;

    /// The thread's body: spawns the connections and runs the loop until they are all done.
    void run();
    /// Stop sending; thread-safe.
    void stop();

    // For the connections (on the worker's thread).
    [[nodiscard]] std::optional<Slot> take();
    void complete(const Slot& slot, const Completion& c);
    /// A request sent but never finished because the run was aborted.
    void abandoned() { ++m_abandoned; }
    void connectFailed(std::string_view why);
    [[nodiscard]] bool stopping() const { return m_stopping; }
    [[nodiscard]] bool openLoop() const { return m_openLoop; }
    [[nodiscard]] boost::asio::io_context& context() { return m_context; }
    [[nodiscard]] const EngineShared& shared() const { return m_shared; }
    [[nodiscard]] std::unique_ptr<RequestSource> makeSource();
    void enroll(Watched* w) { m_watched.push_back(w); }
    void withdraw(Watched* w);

    // Read after the thread is joined.
    [[nodiscard]] metrics::TrafficTally& tally() { return m_tally; }
    [[nodiscard]] std::vector<RequestResult>& results() { return m_results; }
    [[nodiscard]] std::optional<Clock::time_point> lastCompletion() const { return m_lastCompletion; }
    [[nodiscard]] std::uint64_t abandonedCount() const { return m_abandoned; }
    [[nodiscard]] std::uint64_t connectFailures() const { return m_connectFailures; }
    [[nodiscard]] const std::string& firstError() const { return m_firstError; }

private:
    void spawnTicker();
    void beginStop();

    const EngineShared& m_shared;
    const unsigned m_index;
    const unsigned m_connections;
    const bool m_openLoop;
    boost::asio::io_context m_context{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    routing::Rng m_rng;
    std::uint64_t m_taken = 0;       ///< slots this worker has handed out
    double m_poissonSeconds = 0;     ///< Poisson arrivals: the last slot's time
    std::uint64_t m_seedCounter = 0; ///< for the sources' seeds
    bool m_stopping = false;
    Clock::time_point m_abortAt = Clock::time_point::max();
    std::atomic<bool> m_stopRequested{false};
    unsigned m_live = 0; ///< connections still running
    std::vector<Watched*> m_watched;
    metrics::TrafficTally m_tally;
    SecondWindow m_window;
    std::vector<RequestResult> m_results;
    std::optional<Clock::time_point> m_lastCompletion;
    std::uint64_t m_abandoned = 0;
    std::uint64_t m_connectFailures = 0;
    std::string m_firstError;

    friend struct ConnectionLifetime;
};

/// Keeps the worker's count of live connections (the ticker stops when it reaches 0).
struct ConnectionLifetime {
    explicit ConnectionLifetime(LoadWorker& w)
        : worker(w) {
        ++worker.m_live;
    }
    ~ConnectionLifetime() { --worker.m_live; }
    ConnectionLifetime(const ConnectionLifetime&) = delete;
    ConnectionLifetime& operator=(const ConnectionLifetime&) = delete;
    LoadWorker& worker;
};

} // namespace sluice::traffic
