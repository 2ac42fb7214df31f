// SPDX-License-Identifier: Apache-2.0
// Http1Session's routing step: a parsed request is routed (after a 100 Continue or an upgrade
// check when one is due) and either forwarded (http1_forwarding.cpp) or answered here: a CORS
// preflight, a redirect, a direct response, a fault abort, no route or no endpoint.

#include "asio_executor.h"
#include "cors_filter.h"
#include "http1_session.h"
#include "request_identity.h"

#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {

namespace asio = boost::asio;

Http1Session::Routing Http1Session::route(const ServedCluster*& cluster) {
    const RequestHead& head = m_request.head();
    // A 100 Continue to send or an upgrade to refuse comes before routing: respond()'s business.
    if ((head.expectContinue && head.hasBody() && m_inUsed == m_headBytes) || !admitUpgrade())
        return Routing::NotYet;
    return routeAdmitted(cluster);
}

Http1Session::Routing Http1Session::routeAdmitted(const ServedCluster*& cluster) {
    const RequestHead& head = m_request.head();
    if (m_config != m_worker.config()) // held for the request (and its endpoints) without a copy each time
        m_config = m_worker.config();
    fillRoutingRequest(head, m_gatewayPort, m_client.tls(), m_routingRequest);
    if (m_client.tls())
        m_routingRequest.sni = m_client.serverName();
    m_config->table->route(m_routingRequest, m_worker.rng(), routing::Explain::No, m_decision);
    const routing::Decision& d = m_decision;
    m_routed = true;
    flag(d.responseFlag);
    m_responseExtra.clear();
    if (d.cors && d.outcome != routing::Outcome::FaultAbort) { // the fault filter runs first
        CorsFilter::Outcome cors = CorsFilter::apply(*d.cors, head);
        m_responseExtra = std::move(cors.headers);
        if (cors.answerPreflight)
            return Routing::Preflight;
    }
    cluster = d.outcome == routing::Outcome::Forward ? m_worker.live().clusters().find(d.destination->cluster)
                                                     : nullptr;
    if (cluster && cluster->endpoints().empty())
        cluster = nullptr;
    return cluster ? Routing::Forward : Routing::Local;
}

Awaitable<bool> Http1Session::respond(Routing how) {
    if (how == Routing::NotYet) {
        const RequestHead& head = m_request.head();
        // Envoy answers "Expect: 100-continue" itself (proxy_100_continue is off) and drops the header.
        if (head.expectContinue && head.hasBody() && m_inUsed == m_headBytes &&
            !co_await writeToClient("HTTP/1.1 100 Continue\r\n\r\n"))
            co_return false;
        if (!admitUpgrade())
            co_return co_await localReply(403, {}, nullptr);
        const ServedCluster* cluster = nullptr;
        how = routeAdmitted(cluster);
        if (how == Routing::Forward)
            co_return co_await forward(m_decision, *cluster);
    }
    const routing::Decision& d = m_decision;
    // The fault filter's delay comes before the router's local replies and a drawn abort too
    // (forward() holds a forwarded request itself).
    if (const auto delay = d.injectedDelay(); delay.count() > 0)
        co_await sleepFor(delay);
    if (how == Routing::Preflight)
        co_return co_await localReply(200, {}, nullptr);
    switch (d.outcome) {
    case routing::Outcome::Forward: // to a cluster without endpoints
        flag("UH");
        co_return co_await localReply(503, "no healthy upstream", &d);
    case routing::Outcome::Redirect:
        co_return co_await localReply(d.status, {}, &d, d.location);
    case routing::Outcome::DirectResponse:
        co_return co_await localReply(d.status, d.body, &d);
    case routing::Outcome::FaultAbort:
        co_return co_await localReply(d.status, "fault filter abort", &d);
    case routing::Outcome::NoHealthyUpstream:
        co_return co_await localReply(503, "no healthy upstream", &d);
    case routing::Outcome::ClusterNotFound:
    case routing::Outcome::NoRoute:
        co_return co_await localReply(d.status, {}, &d);
    case routing::Outcome::ConnectionRefused:
    case routing::Outcome::ConnectionReset:
        break;
    }
    co_return false;
}

} // namespace sluice::proxy
