// SPDX-License-Identifier: Apache-2.0
#include "tls_context_set.h"

#include "tls_chain_context.h"

namespace sluice::proxy {

TlsContextSet::TlsContextSet(routing::RouteTablePtr table)
    : m_table(std::move(table)) {}

TlsContextSet::~TlsContextSet() = default;

const TlsChainContext* TlsContextSet::chain(std::uint32_t port, std::size_t index) const {
    const auto it = m_chains.find({port, index});
    return it == m_chains.end() ? nullptr : it->second.get();
}

void TlsContextSet::add(std::uint32_t port, std::size_t index, std::unique_ptr<TlsChainContext> context) {
    m_chains[{port, index}] = std::move(context);
}

} // namespace sluice::proxy
