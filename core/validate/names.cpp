// SPDX-License-Identifier: Apache-2.0
#include "names.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace sluice::validate {
namespace {

bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool allDigits(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string preconditions(std::string_view host) {
    if (host.size() > 255)
        return "domain name " + quote(host) + " too long (max 255)";
    if (host.empty())
        return "empty domain name not allowed";
    return {};
}

std::string checkLabels(std::string_view domain, std::string_view whole) {
    const auto lastDot = domain.rfind('.');
    const std::string_view tld = lastDot == std::string_view::npos ? domain : domain.substr(lastDot + 1);
    if (allDigits(tld))
        return "domain name " + quote(whole) + " invalid (top level domain " + quote(tld) + " cannot be all-numeric)";
    std::size_t start = 0;
    while (true) {
        const auto dot = domain.find('.', start);
        const std::string_view label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        const bool last = dot == std::string_view::npos;
        if (last && label.empty() && start > 0)
            return {}; // trailing dot: `istio.io.`
        if (!isDns1123Label(label))
            return "domain name " + quote(whole) + " invalid (label " + quote(label) + " invalid)";
        if (last)
            return {};
        start = dot + 1;
    }
}

} // namespace

bool isDns1123Label(std::string_view s) {
    if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back()))
        return false;
    for (char c : s)
        if (!alnum(c) && c != '-')
            return false;
    return true;
}

bool isIpAddress(std::string_view s) {
    if (s.empty() || s.size() > 45)
        return false;
    const std::string text(s);
    unsigned char buf[16];
    return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

bool isCidr(std::string_view s) {
    const auto slash = s.find('/');
    if (slash == std::string_view::npos)
        return false;
    const std::string_view addr = s.substr(0, slash), bits = s.substr(slash + 1);
    if (!isIpAddress(addr) || !allDigits(bits) || bits.size() > 3)
        return false;
    int n = 0;
    std::from_chars(bits.data(), bits.data() + bits.size(), n);
    return n <= (addr.find(':') != std::string_view::npos ? 128 : 32);
}

std::string checkFqdn(std::string_view host) {
    if (auto e = preconditions(host); !e.empty())
        return e;
    return checkLabels(host, host);
}

std::string checkWildcardDomain(std::string_view host) {
    if (auto e = preconditions(host); !e.empty())
        return e;
    const auto dot = host.find('.');
    const std::string_view label = dot == std::string_view::npos ? host : host.substr(0, dot);
    if (label.size() > 63)
        return "domain name " + quote(host) + " invalid (label " + quote(label) + " too long)";
    if (label != "*" && !isDns1123Label(label)) {
        if (label.find('*') != std::string_view::npos)
            return "domain name " + quote(host) + " invalid (partial wildcard " + quote(label) +
                   " not allowed; only a whole first label may be *)";
        return "domain name " + quote(host) + " invalid (label " + quote(label) + " invalid)";
    }
    if (dot == std::string_view::npos)
        return {};
    return checkLabels(host.substr(dot + 1), host);
}

NamespacedHost splitNamespacedHost(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return {"*", text};
    return {text.substr(0, slash), text.substr(slash + 1)};
}

std::string checkGatewayServerHost(std::string_view text) {
    if (std::count(text.begin(), text.end(), '/') > 1)
        return "host " + quote(text) + " must be of form namespace/dnsName";
    const NamespacedHost nh = splitNamespacedHost(text);
    if (text.find('/') != std::string_view::npos) {
        if (nh.ns.empty())
            return "namespace must be specified in " + quote(text) + " (use */ or ./)";
        if (nh.ns != "*" && nh.ns != "." && !isDns1123Label(nh.ns))
            return "invalid namespace value " + quote(nh.ns) + " in host " + quote(text);
    }
    if (nh.host == "*")
        return {};
    if (nh.host.find('.') == std::string_view::npos)
        return "short names (non FQDN) are not allowed in Gateway server hosts: " + quote(nh.host);
    if (auto e = checkWildcardDomain(nh.host); !e.empty()) {
        if (isIpAddress(nh.host))
            return {};
        return e;
    }
    return {};
}

} // namespace sluice::validate
