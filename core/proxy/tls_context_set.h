// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "routing/route_table.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

namespace sluice::proxy {

class TlsChainContext; // core/proxy internal: the OpenSSL context of one filter chain

/// The TLS contexts of one config version: one per terminating filter chain of the RouteTable's
/// TLS listeners that has a usable certificate. Built once per config (buildTlsContexts), held by
/// the ServingConfig and swapped with it; immutable afterwards, shared by every worker. Keeps
/// the RouteTable alive: the contexts' SNI checks read its filter chains.
class TlsContextSet {
public:
    explicit TlsContextSet(routing::RouteTablePtr table);
    ~TlsContextSet();
    TlsContextSet(const TlsContextSet&) = delete;
    TlsContextSet& operator=(const TlsContextSet&) = delete;

    /// The context of filter chain `index` of the listener for Gateway port `port`; null when
    /// that chain does not terminate TLS or has no usable certificate (its handshakes fail).
    [[nodiscard]] const TlsChainContext* chain(std::uint32_t port, std::size_t index) const;
    [[nodiscard]] std::size_t size() const { return m_chains.size(); }

    /// While building only.
    void add(std::uint32_t port, std::size_t index, std::unique_ptr<TlsChainContext> context);

private:
    routing::RouteTablePtr m_table;
    std::map<std::pair<std::uint32_t, std::size_t>, std::unique_ptr<TlsChainContext>> m_chains;
};

} // namespace sluice::proxy
