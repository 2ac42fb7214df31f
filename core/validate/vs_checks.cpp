// SPDX-License-Identifier: Apache-2.0
#include "vs_checks.h"

#include "field_checks.h"
#include "go_format.h"
#include "names.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

#include <re2/re2.h>

namespace sluice::validate::vs {
namespace {

constexpr std::int64_t kMillisecond = 1'000'000;

} // namespace

std::string checkGatewayBoundDomain(bool sni, std::string_view domain) {
    if (auto e = checkDomainPreconditions(domain); !e.empty())
        return e;
    const auto dot = domain.find('.');
    const std::string_view first = domain.substr(0, dot);
    if (sni && first == "outbound_") {
        // regexp.MatchString("outbound_.([0-8].*).*", domain): unanchored, as in Istio.
        static const RE2 kOutbound("outbound_.([0-8].*).*");
        if (!RE2::PartialMatch(domain, kOutbound))
            return "domain name " + goQuote(domain) + " invalid (label " + goQuote(first) + " invalid)";
        return {};
    }
    if (!isWildcardDns1123Label(first))
        return "domain name " + goQuote(domain) + " invalid (label " + goQuote(first) + " invalid)";
    if (dot != std::string_view::npos)
        return checkDomainLabels(domain.substr(dot + 1));
    return {};
}

std::string checkIstioFqdn(std::string_view fqdn) {
    if (auto e = checkDomainPreconditions(fqdn); !e.empty())
        return e;
    return checkDomainLabels(fqdn);
}

std::vector<std::string> checkLabel(std::string_view key, std::string_view value) {
    // pkg/config/labels/instance.go
    static const RE2 kTag(
        "([a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*/)?"
        "((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])");
    static const RE2 kValue("((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    std::vector<std::string> out;
    std::string prefix, name;
    if (!RE2::FullMatch(key, kTag, &prefix, &name))
        out.push_back("invalid tag key: " + goQuote(key));
    else if (!prefix.empty() && prefix.size() - 1 > 253)
        out.push_back("invalid tag key: " + goQuote(key) + " (DNS prefix is too long)");
    else if (name.size() > 63)
        out.push_back("invalid tag key: " + goQuote(key) + " (name is too long)");
    if (!RE2::FullMatch(value, kValue))
        out.push_back("invalid tag value: " + goQuote(value));
    return out;
}

std::string indexed(std::string_view prefix, std::size_t i) {
    return std::string(prefix) + "[" + std::to_string(i) + "]";
}

} // namespace sluice::validate::vs
