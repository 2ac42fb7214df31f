// SPDX-License-Identifier: Apache-2.0
#include "go_format.h"
#include "analyzer_support.h"

#include <algorithm>
#include <cstdio>

namespace sluice::validate {
namespace {

constexpr std::string_view kClusterLocalSuffix = ".svc.cluster.local";

} // namespace

bool selectorMatches(const model::StringMap& selector, const Labels& labels) {
    for (const auto& [key, value] : selector) {
        const auto it = labels.find(key);
        if (it == labels.end() || it->second != value.value)
            return false;
    }
    return true;
}

bool selectorMatches(const Labels& selector, const Labels& labels) {
    for (const auto& [key, value] : selector) {
        const auto it = labels.find(key);
        if (it == labels.end() || it->second != value)
            return false;
    }
    return true;
}

std::string selectorString(const model::StringMap& selector) {
    std::string out;
    for (const auto& [key, value] : selector) { // std::map: already sorted by key
        if (!out.empty())
            out += ',';
        out += key;
        out += '=';
        out += value.value;
    }
    return out;
}

Labels toLabels(const model::StringMap& map) {
    Labels out;
    for (const auto& [key, value] : map)
        out.emplace(key, value.value);
    return out;
}

bool hostMatches(std::string_view a, std::string_view b) {
    const bool aWild = !a.empty() && a.front() == '*';
    const bool bWild = !b.empty() && b.front() == '*';
    if (aWild && bWild)
        return a.size() < b.size() ? b.substr(1).ends_with(a.substr(1)) : a.substr(1).ends_with(b.substr(1));
    if (aWild)
        return b.ends_with(a.substr(1));
    if (bWild)
        return a.ends_with(b.substr(1));
    return a == b;
}

std::string convertHostToFqdn(std::string_view ns, std::string_view host) {
    if (!host.starts_with('*') && host.find('.') == std::string_view::npos)
        return std::string(host) + "." + std::string(ns) + std::string(kClusterLocalSuffix);
    return std::string(host);
}

FullName resourceNameFromHost(std::string_view defaultNs, std::string_view host) {
    // ^(.+)\.(.+)\.svc\.cluster\.local$ with a greedy first group: namespace after the last dot.
    if (host.size() > kClusterLocalSuffix.size() && host.ends_with(kClusterLocalSuffix)) {
        const std::string_view rest = host.substr(0, host.size() - kClusterLocalSuffix.size());
        const auto dot = rest.rfind('.');
        if (dot != std::string_view::npos && dot > 0 && dot + 1 < rest.size())
            return {std::string(rest.substr(dot + 1)), std::string(rest.substr(0, dot))};
    }
    return {std::string(defaultNs), std::string(host)};
}

FullName shortOrFullName(std::string_view defaultNs, std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return {std::string(defaultNs), std::string(text)};
    return {std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

std::string scopedFqdn(std::string_view scope, std::string_view ns, std::string_view host) {
    return std::string(scope) + "/" + convertHostToFqdn(ns, host);
}

bool exportsToAll(const std::vector<model::Located<std::string>>& exportTo) {
    return exportTo.empty() ||
           std::any_of(exportTo.begin(), exportTo.end(), [](const auto& e) { return e.value == "*"; });
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

} // namespace sluice::validate
