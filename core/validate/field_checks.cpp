// SPDX-License-Identifier: Apache-2.0
#include "field_checks.h"

#include "go_format.h"
#include "names.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace sluice::validate {
namespace {

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// `(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: a Kubernetes label name or value.
bool isQualifiedName(std::string_view s) {
    if (s.empty() || !alnum(s.front()) || !alnum(s.back()))
        return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

/// `label(\.label)*` where each label is `[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?` of any length.
bool isDnsPrefix(std::string_view s) {
    std::size_t start = 0;
    while (true) {
        const auto dot = s.find('.', start);
        const std::string_view label =
            s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || !alnum(label.front()) || !alnum(label.back()) ||
            !std::all_of(label.begin(), label.end(), [](char c) { return alnum(c) || c == '-'; }))
            return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

std::string checkTagKey(std::string_view key) {
    const auto slash = key.find('/');
    std::string_view prefix, name = key;
    if (slash != std::string_view::npos) {
        prefix = key.substr(0, slash);
        name = key.substr(slash + 1);
        if (!isDnsPrefix(prefix))
            return "invalid tag key: " + goQuote(key);
    }
    if (!isQualifiedName(name))
        return "invalid tag key: " + goQuote(key);
    if (prefix.size() > 253)
        return "invalid tag key: " + goQuote(key) + " (DNS prefix is too long)";
    if (name.size() > 63)
        return "invalid tag key: " + goQuote(key) + " (name is too long)";
    return {};
}

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

} // namespace

Protocol parseProtocol(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    static constexpr std::pair<std::string_view, Protocol> kNames[] = {
        {"tcp", Protocol::Tcp},          {"udp", Protocol::Udp},     {"grpc", Protocol::Grpc},
        {"grpc-web", Protocol::GrpcWeb}, {"http", Protocol::Http},   {"http_proxy", Protocol::HttpProxy},
        {"http2", Protocol::Http2},      {"https", Protocol::Https}, {"tls", Protocol::Tls},
        {"mongo", Protocol::Mongo},      {"redis", Protocol::Redis}, {"mysql", Protocol::MySql},
    };
    for (const auto& [text, p] : kNames)
        if (lower == text)
            return p;
    return Protocol::Unsupported;
}

bool isHttp(Protocol p) {
    return p == Protocol::Http || p == Protocol::Http2 || p == Protocol::HttpProxy || p == Protocol::Grpc ||
           p == Protocol::GrpcWeb;
}

bool isTls(Protocol p) {
    return p == Protocol::Https || p == Protocol::Tls;
}

bool isTcp(Protocol p) {
    return p == Protocol::Tcp || p == Protocol::Https || p == Protocol::Tls || p == Protocol::Mongo ||
           p == Protocol::Redis || p == Protocol::MySql;
}

std::string checkPort(std::int64_t port) {
    if (port >= 1 && port <= 65535)
        return {};
    return "port number " + std::to_string(port) + " must be in the range 1..65535";
}

std::string checkDuration(const model::Duration& d) {
    constexpr std::int64_t kMillisecond = 1'000'000;
    if (d.nanos < kMillisecond)
        return "duration must be greater than 1ms";
    if (d.nanos % kMillisecond != 0)
        return "only durations to ms precision are supported";
    return {};
}

std::string checkPartialWildcard(std::string_view host) {
    if (host.find('*') != std::string_view::npos && host.size() != 1 && !host.starts_with("*."))
        return "partial wildcard " + goQuote(host) + " not allowed";
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

std::string checkUnixAddress(std::string_view path) {
    if (path.empty())
        return "unix address must not be empty";
    if (path.starts_with('@'))
        return {};
    if (!path.starts_with('/') || path.ends_with('/'))
        return std::string(path) + " is not an absolute path to a file";
    return {};
}

std::vector<LabelProblem> checkLabels(const model::StringMap& labels) {
    std::vector<LabelProblem> out;
    for (const auto& [key, value] : labels) {
        if (auto e = checkTagKey(key); !e.empty())
            out.push_back({key, std::move(e)});
        if (!value.value.empty() && !isQualifiedName(value.value))
            out.push_back({key, "invalid tag value: " + goQuote(value.value)});
    }
    return out;
}

std::vector<LabelProblem> checkSelectorLabels(const model::StringMap& labels) {
    std::vector<LabelProblem> out;
    for (const auto& [key, value] : labels) {
        const std::string pair = goQuote(key + "=" + value.value);
        if (key.empty())
            out.push_back({key, "empty key is not supported in selector: " + pair});
        if (key.find('*') != std::string::npos || value.value.find('*') != std::string::npos)
            out.push_back({key, "wildcard is not supported in selector: " + pair});
    }
    return out;
}

bool isPrime(std::uint64_t x) {
    if (x != 0 && x < 4)
        return true;
    if ((x & 1) == 0)
        return false;
    const auto limit = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(x)));
    for (std::uint64_t factor = 3; factor <= limit; factor += 2)
        if (x % factor == 0)
            return false;
    return true;
}

// agent.ValidateDNS1123Labels (no length preconditions; a trailing empty label is allowed).
std::string checkDomainLabels(std::string_view domain) {
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

std::string checkDomainPreconditions(std::string_view domain) {
    if (domain.size() > 255)
        return "domain name " + goQuote(domain) + " too long (max 255)";
    if (domain.empty())
        return "empty domain name not allowed";
    return {};
}

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
    if (auto e = checkDomainPreconditions(domain); !e.empty())
        return e;
    const auto dot = domain.find('.');
    const std::string_view first = domain.substr(0, dot);
    if (!isWildcardDns1123Label(first))
        return "domain name " + goQuote(domain) + " invalid (label " + goQuote(first) + " invalid)";
    if (dot != std::string_view::npos)
        return checkDomainLabels(domain.substr(dot + 1));
    return {};
}

} // namespace sluice::validate
