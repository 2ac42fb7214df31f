// SPDX-License-Identifier: Apache-2.0
#include "host_name.h"

#include <algorithm>

namespace sluice::routing {

bool hostsMatch(std::string_view a, std::string_view b) {
    const bool aw = isWildcard(a), bw = isWildcard(b);
    if (aw && bw) {
        const std::string_view as = a.substr(1), bs = b.substr(1);
        return as.size() < bs.size() ? bs.ends_with(as) : as.ends_with(bs);
    }
    if (aw)
        return b.ends_with(a.substr(1));
    if (bw)
        return a.ends_with(b.substr(1));
    return a == b;
}

bool hostSubsetOf(std::string_view a, std::string_view b) {
    if (isWildcard(a))
        return isWildcard(b) && a.substr(1).ends_with(b.substr(1));
    if (isWildcard(b))
        return a.ends_with(b.substr(1));
    return a == b;
}

std::vector<std::string> hostIntersection(const std::vector<std::string>& a,
                                          const std::vector<std::string>& b) {
    std::vector<std::string> out;
    for (const auto& x : a)
        for (const auto& y : b) {
            if (!hostsMatch(x, y))
                continue;
            const std::string& keep = hostSubsetOf(x, y) ? x : y;
            if (std::find(out.begin(), out.end(), keep) == out.end())
                out.push_back(keep);
        }
    return out;
}

bool equalsIgnoreCaseAscii(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = static_cast<char>(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string meshHost(std::string_view host, std::string_view ns) {
    std::string out = lowerAscii(host);
    const auto dots = std::count(out.begin(), out.end(), '.');
    if (dots == 0)
        out += "." + std::string(ns) + ".svc.cluster.local";
    else if (dots == 1)
        out += ".svc.cluster.local";
    else if (out.ends_with(".svc"))
        out += ".cluster.local";
    return out;
}

std::string_view stripPort(std::string_view authority) {
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        return close == std::string_view::npos ? authority : authority.substr(0, close + 1);
    }
    const auto colon = authority.find(':');
    if (colon == std::string_view::npos || authority.find(':', colon + 1) != std::string_view::npos)
        return authority; // no port, or a bare IPv6 literal
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return authority;
    return authority.substr(0, colon);
}

} // namespace sluice::routing
