// SPDX-License-Identifier: Apache-2.0
#include "admin_pages.h"

#include "metrics/metrics_collector.h"
#include "proxy_server.h"
#include "routing/config_dump.h"

namespace sluice::proxy {
namespace {

constexpr std::string_view kText = "text/plain; charset=UTF-8";
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kPrometheus = "text/plain; version=0.0.4; charset=utf-8";

/// The value of query parameter `name` in `query` ("a=1&format=json"); empty when absent.
std::string_view queryValue(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
            return pair.substr(name.size() + 1);
        if (amp == std::string_view::npos)
            break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

AdminReply reply(int status, std::string_view contentType, std::string body) {
    return {status, std::string(contentType), std::move(body), false};
}

} // namespace

AdminPages::AdminPages(const ProxyServer& proxy, const metrics::MetricsCollector* metrics)
    : m_proxy(proxy)
    , m_metrics(metrics) {}

AdminReply AdminPages::answer(std::string_view method, std::string_view target) const {
    const auto question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    const bool known =
        path == "/stats/prometheus" || path == "/ready" || path == "/config_dump" || path == "/clusters";
    if (!known)
        return reply(404, kText,
                     "invalid path. admin commands are: /clusters /config_dump /ready "
                     "/stats/prometheus\n");
    if (method != "GET") {
        AdminReply r = reply(405, kText, "method not allowed: use GET\n");
        r.getOnly = true;
        return r;
    }
    if (path == "/ready")
        return m_proxy.live() ? reply(200, kText, "LIVE\n") : reply(503, kText, "DRAINING\n");
    if (path == "/stats/prometheus") {
        std::string body;
        const metrics::MetricsSnapshotPtr snapshot =
            m_metrics ? m_metrics->snapshot() : std::make_shared<const metrics::MetricsSnapshot>();
        m_exposition.write(*snapshot, body);
        return reply(200, kPrometheus, std::move(body));
    }
    const ServingConfigPtr config = m_proxy.config();
    if (path == "/config_dump")
        return reply(200, kJson, routing::ConfigDump::json(*config->table) + "\n");
    const metrics::MetricsSnapshotPtr snapshot = m_metrics ? m_metrics->snapshot() : nullptr;
    const ClustersView view(*config, snapshot.get(), m_health);
    if (queryValue(query, "format") == "json")
        return reply(200, kJson, view.json() + "\n");
    std::string body;
    view.text(body);
    return reply(200, kText, std::move(body));
}

} // namespace sluice::proxy
