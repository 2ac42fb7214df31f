// SPDX-License-Identifier: Apache-2.0
#include "go_format.h"
#include "vs_checks.h"

#include "names.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

#include <re2/re2.h>

namespace sluice::validate::vs {
namespace {

constexpr std::int64_t kMillisecond = 1'000'000;

// strconv.Atoi succeeds: optional sign, then only digits.
bool goAtoiOk(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    const std::uint64_t limit = negative ? (1ULL << 63) : (1ULL << 63) - 1;
    return ec == std::errc() && ptr == s.data() + s.size() && v <= limit;
}

// agent.ValidateDNS1123Labels (no length preconditions; a trailing empty label is allowed).
std::string checkDnsLabels(std::string_view domain) {
    const auto lastDot = domain.rfind('.');
    const std::string_view tld = lastDot == std::string_view::npos ? domain : domain.substr(lastDot + 1);
    if (goAtoiOk(tld))
        return "domain name " + goQuote(domain) + " invalid (top level domain " + goQuote(tld) +
               " cannot be all-numeric)";
    std::size_t start = 0;
    while (true) {
        const auto dot = domain.find('.', start);
        const bool last = dot == std::string_view::npos;
        const std::string_view label = domain.substr(start, last ? std::string_view::npos : dot - start);
        if (last && label.empty())
            return {};
        if (!isDns1123Label(label))
            return "domain name " + goQuote(domain) + " invalid (label " + goQuote(label) + " invalid)";
        if (last)
            return {};
        start = dot + 1;
    }
}

std::string checkPreconditions(std::string_view domain) {
    if (domain.size() > 255)
        return "domain name " + goQuote(domain) + " too long (max 255)";
    if (domain.empty())
        return "empty domain name not allowed";
    return {};
}

} // namespace

bool isWildcardDns1123Label(std::string_view label) {
    if (label.size() > 63)
        return false;
    if (label == "*")
        return true;
    if (label.starts_with("*-"))
        label.remove_prefix(2);
    else if (label.starts_with('*'))
        label.remove_prefix(1);
    return isDns1123Label(label);
}

std::string checkIstioWildcardDomain(std::string_view domain) {
    if (auto e = checkPreconditions(domain); !e.empty())
        return e;
    const auto dot = domain.find('.');
    const std::string_view first = domain.substr(0, dot);
    if (!isWildcardDns1123Label(first))
        return "domain name " + goQuote(domain) + " invalid (label " + goQuote(first) + " invalid)";
    if (dot != std::string_view::npos)
        return checkDnsLabels(domain.substr(dot + 1));
    return {};
}

std::string checkGatewayBoundDomain(bool sni, std::string_view domain) {
    if (auto e = checkPreconditions(domain); !e.empty())
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
        return checkDnsLabels(domain.substr(dot + 1));
    return {};
}

std::string checkIstioFqdn(std::string_view fqdn) {
    if (auto e = checkPreconditions(fqdn); !e.empty())
        return e;
    return checkDnsLabels(fqdn);
}

std::string checkPort(std::int64_t port) {
    if (port >= 1 && port <= 65535)
        return {};
    return "port number " + std::to_string(port) + " must be in the range 1..65535";
}

std::string checkDuration(const model::Duration& d) {
    if (d.nanos < kMillisecond)
        return "duration must be greater than 1ms";
    if (d.nanos % kMillisecond != 0)
        return "only durations to ms precision are supported";
    return {};
}

std::string checkIpSubnet(std::string_view subnet) {
    if (std::count(subnet.begin(), subnet.end(), '/') == 1) {
        if (!isCidr(subnet))
            return std::string(subnet) + " is not a valid CIDR block";
        return {};
    }
    if (!isIpAddress(subnet))
        return std::string(subnet) + " is not a valid IP";
    return {};
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
