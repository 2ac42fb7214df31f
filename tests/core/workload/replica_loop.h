// SPDX-License-Identifier: Apache-2.0
#pragma once

// Simulated replicas on an event loop of their own, for the replica tests.

#include "config/loader.h"
#include "workload/replica_server.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <QtGlobal>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace sluice::test {

/// A Workload spec's behaviour (`spec` is the YAML under `spec:`, indented two spaces).
inline workload::BackendBehaviour behaviourOf(const std::string& spec) {
    config::LoadResult r;
    config::loadText("w.yaml",
                     "apiVersion: sluice.dev/v1\nkind: Workload\nmetadata:\n  name: w\nspec:\n" + spec, r);
    return workload::BackendBehaviour::fromSpec(r.resources.workloads.at(0).spec);
}

/// One event loop on its own thread and the replicas listening on it; stops the loop before the
/// replicas go (connections reference them).
class ReplicaLoop {
public:
    ReplicaLoop()
        : m_context(1)
        , m_guard(m_context.get_executor())
        , m_thread([this] { m_context.run(); }) {}
    ~ReplicaLoop() {
        m_guard.reset();
        m_context.stop();
        m_thread.join();
        m_replicas.clear();
    }
    ReplicaLoop(const ReplicaLoop&) = delete;
    ReplicaLoop& operator=(const ReplicaLoop&) = delete;

    /// A replica listening on an ephemeral loopback port (aborts the test when it cannot).
    workload::ReplicaServer& start(workload::ReplicaIdentity identity) {
        m_replicas.push_back(std::make_unique<workload::ReplicaServer>(std::move(identity)));
        const std::string error = m_replicas.back()->listenOn(m_context);
        if (!error.empty())
            qFatal("%s", error.c_str());
        return *m_replicas.back();
    }

private:
    boost::asio::io_context m_context;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_guard;
    std::thread m_thread;
    std::vector<std::unique_ptr<workload::ReplicaServer>> m_replicas;
};

} // namespace sluice::test
