// SPDX-License-Identifier: Apache-2.0
#include "load_balancer_rules.h"

#include "field_checks.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sluice::validate {
namespace {

constexpr std::uint64_t kMaglevTableSizeLimit = 5000011;

/// validateLocalities: wildcards only at the end, no locality covered by an earlier one.
std::string checkLocalities(const std::vector<std::string>& localities) {
    using Zones = std::map<std::string, std::set<std::string>>;
    std::map<std::string, Zones> seen; // region -> zone -> subzones; "*" stands for "all"
    for (const std::string& locality : localities) {
        const auto stars = std::count(locality.begin(), locality.end(), '*');
        if (stars > 1 || (stars == 1 && !locality.ends_with('*')))
            return "locality " + locality + " wildcard '*' number can not exceed 1 and must be in the end";
        const std::string overlap = "locality " + locality + " overlap with previous specified ones";
        if (seen.contains("*"))
            return overlap;
        std::vector<std::string> parts; // SplitN(locality, "/", 3)
        std::size_t start = 0;
        while (parts.size() < 2) {
            const auto slash = locality.find('/', start);
            if (slash == std::string::npos)
                break;
            parts.push_back(locality.substr(start, slash - start));
            start = slash + 1;
        }
        parts.push_back(locality.substr(start));
        if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); }))
            return "locality " + locality + " must not contain empty region/zone/subzone info";
        const std::string& region = parts[0];
        const auto regionIt = seen.find(region);
        if (parts.size() == 1) {
            if (regionIt != seen.end())
                return overlap;
            seen[region]["*"].insert("*");
            continue;
        }
        const std::string& zone = parts[1];
        if (regionIt != seen.end() && regionIt->second.contains("*"))
            return overlap;
        if (parts.size() == 2) {
            if (regionIt != seen.end() && regionIt->second.contains(zone))
                return overlap;
            seen[region][zone].insert("*");
            continue;
        }
        const std::string& subzone = parts[2];
        if (regionIt != seen.end()) {
            if (const auto zoneIt = regionIt->second.find(zone); zoneIt != regionIt->second.end())
                if (zoneIt->second.contains("*") || zoneIt->second.contains(subzone))
                    return overlap;
        }
        seen[region][zone].insert(subzone);
    }
    return {};
}

void checkLocalityLb(ResourceReporter& r, const model::LocalityLoadBalancerSetting& lb,
                     const model::OutlierDetection* outlier, const std::string& field) {
    if (!lb.distribute.empty() && !lb.failover.empty()) {
        r.error(field, lb.span, "can not simultaneously specify 'distribute' and 'failover'");
        return;
    }
    if (!lb.failover.empty()) {
        for (std::size_t i = 0; i < lb.failoverPriority.size(); ++i) {
            const std::string& label = lb.failoverPriority[i].value;
            if (label == "topology.kubernetes.io/region" || label == "topology.kubernetes.io/zone" ||
                label == "topology.istio.io/subzone") {
                r.error(field + ".failoverPriority[" + std::to_string(i) + "]", lb.failoverPriority[i].span,
                        "can not simultaneously set 'failover' and topology label '" + label +
                            "' in 'failover_priority'");
                return;
            }
        }
    }
    std::vector<std::string> sources;
    for (std::size_t i = 0; i < lb.distribute.size(); ++i) {
        const auto& d = lb.distribute[i];
        const std::string at = field + ".distribute[" + std::to_string(i) + "]";
        sources.push_back(d.from.value);
        std::uint64_t total = 0;
        std::vector<std::string> destinations;
        for (const auto& [locality, weight] : d.to) {
            destinations.push_back(locality);
            if (weight.value == 0 || weight.value > 100) {
                r.error(at + ".to", d.span, "locality weight must be in range [1, 100]");
                return;
            }
            total += weight.value;
        }
        if (total != 100) {
            r.error(at + ".to", d.span, "total locality weight " + std::to_string(total) + " != 100");
            return;
        }
        if (auto e = checkLocalities(destinations); !e.empty())
            r.error(at + ".to", d.span, std::move(e));
    }
    if (auto e = checkLocalities(sources); !e.empty())
        r.error(field + ".distribute", lb.distribute.front().span, std::move(e));
    if ((!lb.failover.empty() || !lb.failoverPriority.empty()) && outlier == nullptr)
        r.warning(field, lb.span, "outlier detection policy must be provided for failover");
    for (std::size_t i = 0; i < lb.failover.size(); ++i) {
        const auto& f = lb.failover[i];
        const std::string at = field + ".failover[" + std::to_string(i) + "]";
        if (f.from.value == f.to.value)
            r.error(at, f.span, "locality lb failover settings must specify different regions");
        if (f.from.value.find('/') != std::string::npos || f.to.value.find('/') != std::string::npos)
            r.error(at, f.span, "locality lb failover only specify region");
        if (f.from.value.find('*') != std::string::npos || f.to.value.find('*') != std::string::npos)
            r.error(at, f.span, "locality lb failover region should not contain '*' wildcard");
    }
}

void checkConsistentHash(ResourceReporter& r, const model::ConsistentHashLb& hash, const std::string& field) {
    if (const auto& cookie = hash.httpCookie) {
        if (cookie->name.value.empty())
            r.error(field + ".httpCookie.name", cookie->name.span, "name required for HttpCookie");
        std::set<std::string, std::less<>> attributes;
        for (std::size_t i = 0; i < cookie->attributes.size(); ++i) {
            const auto& a = cookie->attributes[i];
            if (!attributes.insert(a.name.value).second)
                r.error(field + ".httpCookie.attributes[" + std::to_string(i) + "].name", a.name.span,
                        "duplicate httpCookie attribute name: " + a.name.value);
        }
    }
    if (hash.minimumRingSize.value != 0) {
        // Deprecation itself is reported once, by the loader (IST0002).
        if (hash.ringHash || hash.maglev)
            r.error(field + ".minimumRingSize", hash.minimumRingSize.span,
                    "only one of MinimumRingSize or Maglev/Ringhash can be specified");
    }
    if (const auto& maglev = hash.maglev) {
        const auto& size = maglev->tableSize;
        const std::string at = field + ".maglev.tableSize";
        if (size.value == 0)
            r.error(at, size.span, "tableSize must be set for maglev");
        if (size.value >= kMaglevTableSizeLimit)
            r.error(at, size.span, "tableSize must be less than 5000011 for maglev");
        if (!isPrime(size.value))
            r.error(at, size.span, "tableSize must be a prime number for maglev");
    }
}

void checkWarmup(ResourceReporter& r, const model::WarmupConfiguration& warmup, const std::string& field) {
    if (!warmup.duration.present)
        r.error(field + ".duration", warmup.span, "duration is required");
    else if (auto e = checkDuration(warmup.duration.value); !e.empty())
        r.error(field + ".duration", warmup.duration.span, std::move(e));
    // The CRD bounds minimumPercent to [0, 100]; the webhook checks the upper bound.
    if (warmup.minimumPercent.value > 100)
        r.error(field + ".minimumPercent", warmup.minimumPercent.span,
                "minimumPercent value should be less than or equal to 100");
    else if (warmup.minimumPercent.value < 0)
        r.error(field + ".minimumPercent", warmup.minimumPercent.span,
                "minimumPercent value should be greater than or equal to 0");
    if (warmup.aggression.present && warmup.aggression.value < 1)
        r.error(field + ".aggression", warmup.aggression.span,
                "aggression should be greater than or equal to 1");
}

} // namespace

void checkLoadBalancer(ResourceReporter& r, const model::LoadBalancerSettings& lb,
                       const model::OutlierDetection* outlier, const std::string& field) {
    if (lb.consistentHash)
        checkConsistentHash(r, *lb.consistentHash, field + ".consistentHash");
    if (lb.localityLbSetting)
        checkLocalityLb(r, *lb.localityLbSetting, outlier, field + ".localityLbSetting");
    if (lb.warmup)
        checkWarmup(r, *lb.warmup, field + ".warmup");
}

} // namespace sluice::validate
