// SPDX-License-Identifier: Apache-2.0
#pragma once

// The records of requests in flight in a simulation, and the pool they are recycled through.
// Plain values; the SimulationEngine gives them meaning.

#include "call_headers.h"
#include "event_queue.h"
#include "proxy/cluster_set.h"
#include "proxy/host_selector.h"
#include "proxy/retry_state.h"
#include "proxy/upstream_state.h"
#include "routing/decision.h"
#include "simulated_pool.h"
#include "workload/backend_behaviour.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::traffic {

inline constexpr std::uint32_t kNoIndex = 0xFFFFFFFFu;

/// One request through one simulated Envoy: the gateway's (a client request, or a mirror's
/// shadow) or a sidecar's (a replica's call). Lives from routing to its answer.
struct Exchange {
    enum class Kind : std::uint8_t { Root, Call, Shadow };
    enum class Phase : std::uint8_t {
        Routed,     ///< decided, not yet forwarded
        FaultDelay, ///< held by the fault filter
        Pending,    ///< waiting for a connection
        Handed,     ///< a connection was handed over; taken at the next event
        Attempt,    ///< sent; waiting for the replica's answer or the attempt's deadline
        Backoff,    ///< between attempts
        Done,
    };

    Kind kind = Kind::Root;
    Phase phase = Phase::Routed;
    bool preflight = false;           ///< a CORS preflight the gateway answers (after any fault delay)
    bool tls = false;                 ///< the client spoke TLS (x-forwarded-proto)
    std::uint32_t proxy = 0;          ///< the SimProxy deciding it: 0 for the gateway
    std::uint32_t parent = kNoIndex;  ///< Call: the Serve waiting for it
    SimTime started = 0;              ///< Root: the intended send time; else when it was made
    SimTime deadline = kNever;        ///< the route timeout, from the first attempt
    SimTime attemptDeadline = kNever; ///< the tighter of the route and per-try timeouts
    std::uint64_t attempt = 0;        ///< the current attempt's id (unique over the run); 0: none

    routing::Decision decision;
    HeaderList headers;                   ///< the request's headers when it owns them
    const HeaderList* inbound = &headers; ///< the request's headers (own, or a template's)
    std::string requestId;
    std::string flags; ///< Envoy response flags, comma-separated
    int status = 0;
    int depth = 0;

    const proxy::ServedCluster* cluster = nullptr;
    proxy::ClusterState* state = nullptr;
    std::optional<proxy::RetryState> retries;
    proxy::TriedEndpoints tried;
    std::optional<std::uint64_t> hash;
    std::uint32_t endpoint = 0;
    SimLease lease;
    bool pendingHeld = false; ///< holds a unit of max_pending_requests while queued
};

/// One replica answering one attempt: its planned answer, then its calls in turn, then its own
/// latency. Outlives the attempt when the proxy gave up on it (a timeout): the replica does not
/// know, its calls go on, and its answer is dropped.
struct Serve {
    std::uint32_t replica = 0;
    std::uint32_t exchange = 0; ///< the attempt's exchange ...
    std::uint64_t attempt = 0;  ///< ... while that attempt is the one in flight
    workload::PlannedResponse plan;
    std::uint32_t nextCall = 0;
    int depth = 0;
    std::string requestId;
    HeaderList carried; ///< what the replica received that its calls may copy
};

/// Records recycled by index: no allocation once the pool has reached the largest number in use
/// at once, and references stay valid while the pool grows (storage in fixed chunks).
template <class T> class StablePool {
public:
    [[nodiscard]] std::uint32_t take() {
        if (!m_free.empty()) {
            const std::uint32_t i = m_free.back();
            m_free.pop_back();
            ++m_inUse;
            return i;
        }
        if (m_size % kChunk == 0)
            m_chunks.push_back(std::make_unique<T[]>(kChunk));
        ++m_inUse;
        return m_size++;
    }
    void give(std::uint32_t i) {
        m_free.push_back(i);
        --m_inUse;
    }
    [[nodiscard]] T& operator[](std::uint32_t i) { return m_chunks[i / kChunk][i % kChunk]; }
    [[nodiscard]] std::size_t inUse() const { return m_inUse; }
    [[nodiscard]] std::size_t capacity() const { return m_size; }

private:
    static constexpr std::uint32_t kChunk = 256;
    std::vector<std::unique_ptr<T[]>> m_chunks;
    std::vector<std::uint32_t> m_free;
    std::uint32_t m_size = 0;
    std::size_t m_inUse = 0;
};

} // namespace sluice::traffic
