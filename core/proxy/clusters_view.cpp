// SPDX-License-Identifier: Apache-2.0
#include "clusters_view.h"

#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

namespace sluice::proxy {
namespace {

using Json = nlohmann::ordered_json;
using EndpointId = std::tuple<std::string_view, std::string_view, std::string_view, std::uint16_t>;

} // namespace

ClustersView::ClustersView(const ServingConfig& config, const metrics::MetricsSnapshot* snapshot,
                           EndpointHealthSource health)
    : m_config(config)
    , m_snapshot(snapshot)
    , m_health(std::move(health)) {}

template <class Visit> void ClustersView::forEach(Visit&& visit) const {
    std::map<EndpointId, const metrics::EndpointStats*> stats;
    if (m_snapshot)
        for (const auto& e : m_snapshot->endpoints)
            stats[{e.key.cluster, e.key.replica, e.key.address, e.key.port}] = &e;
    for (const auto& [cluster, endpoints] : m_config.clusters) {
        std::vector<Row> rows;
        for (const Endpoint& endpoint : endpoints) {
            Row row;
            row.endpoint = &endpoint;
            if (const auto it = stats.find({cluster, endpoint.workload, endpoint.address, endpoint.port});
                it != stats.end()) {
                row.active = it->second->active;
                row.success = it->second->success;
                row.error = it->second->error;
            }
            if (m_health)
                row.health = m_health(cluster, endpoint);
            rows.push_back(row);
        }
        visit(cluster, rows);
    }
}

void ClustersView::text(std::string& out) const {
    forEach([&out](const std::string& cluster, const std::vector<Row>& rows) {
        out += cluster + "::observability_name::" + cluster + "\n";
        for (const Row& r : rows) {
            const std::string prefix =
                cluster + "::" + r.endpoint->address + ":" + std::to_string(r.endpoint->port) + "::";
            const auto stat = [&](std::string_view name, const std::string& value) {
                out += prefix;
                out += name;
                out += "::";
                out += value;
                out += '\n';
            };
            stat("rq_active", std::to_string(r.active));
            stat("rq_error", std::to_string(r.error));
            stat("rq_success", std::to_string(r.success));
            stat("rq_total", std::to_string(r.success + r.error + r.active));
            stat("hostname", r.endpoint->workload);
            stat("workload", r.endpoint->owner.name);
            stat("health_flags", r.health.ejected ? "/failed_outlier_check" : "healthy");
            stat("outlier_ejections", std::to_string(r.health.ejections));
            stat("weight", "1");
        }
    });
}

std::string ClustersView::json() const {
    Json clusters = Json::array();
    forEach([&clusters](const std::string& cluster, const std::vector<Row>& rows) {
        Json hosts = Json::array();
        for (const Row& r : rows) {
            hosts.push_back(
                {{"address",
                  {{"socket_address", {{"address", r.endpoint->address}, {"port_value", r.endpoint->port}}}}},
                 {"hostname", r.endpoint->workload},
                 {"workload",
                  {{"name", r.endpoint->owner.name},
                   {"namespace", r.endpoint->owner.ns},
                   {"app", r.endpoint->owner.app},
                   {"version", r.endpoint->owner.version}}},
                 {"health_status",
                  {{"eds_health_status", "HEALTHY"}, {"failed_outlier_check", r.health.ejected}}},
                 // Outlier detection's state (EndpointHealthSource): ejected now, how often, until when.
                 {"outlier",
                  {{"ejected", r.health.ejected},
                   {"ejections", r.health.ejections},
                   {"ejected_for_ms", r.health.ejectedUntilMs}}},
                 {"stats", Json::array({{{"name", "rq_active"}, {"type", "GAUGE"}, {"value", r.active}},
                                        {{"name", "rq_error"}, {"value", r.error}},
                                        {{"name", "rq_success"}, {"value", r.success}},
                                        {{"name", "rq_total"}, {"value", r.success + r.error + r.active}}})},
                 {"weight", 1}});
        }
        clusters.push_back(
            {{"name", cluster}, {"observability_name", cluster}, {"host_statuses", std::move(hosts)}});
    });
    return Json{{"cluster_statuses", std::move(clusters)}}.dump(2, ' ', false,
                                                                Json::error_handler_t::replace);
}

} // namespace sluice::proxy
