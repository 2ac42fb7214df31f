// SPDX-License-Identifier: Apache-2.0
#include "match_input.h"

#include "host_name.h"
#include "model/hex_digits.h"

namespace sluice::routing {

std::string percentDecode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            if (const auto byte = model::hexByte(s[i + 1], s[i + 2])) {
                out += static_cast<char>(*byte);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

MatchInput::MatchInput(const Request& request)
    : m_request(request)
    , m_target(normaliseTarget(request.target))
    , m_scheme(request.scheme()) {
    std::string_view q = m_target.query;
    while (!q.empty()) {
        const auto amp = q.find('&');
        const std::string_view pair = q.substr(0, amp);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            m_query.emplace_back(percentDecode(pair.substr(0, eq)), eq == std::string_view::npos
                                                                        ? std::string()
                                                                        : percentDecode(pair.substr(eq + 1)));
        }
        if (amp == std::string_view::npos)
            break;
        q.remove_prefix(amp + 1);
    }
}

std::optional<std::string_view> MatchInput::header(std::string_view name) const {
    if (name.starts_with(':')) {
        if (name == ":method")
            return std::string_view(m_request.method);
        if (name == ":authority")
            return std::string_view(m_request.authority);
        if (name == ":scheme")
            return std::string_view(m_scheme);
        if (name == ":path")
            return std::string_view(m_request.target);
    } else if (equalsIgnoreCaseAscii(name, "host")) {
        return std::string_view(m_request.authority);
    }
    for (const auto& [k, v] : m_request.headers)
        if (equalsIgnoreCaseAscii(k, name))
            return std::string_view(v);
    return std::nullopt;
}

std::optional<std::string_view> MatchInput::queryParam(std::string_view name) const {
    for (const auto& [k, v] : m_query)
        if (k == name)
            return std::string_view(v);
    return std::nullopt;
}

std::optional<std::string> Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (equalsIgnoreCaseAscii(k, name))
            return v;
    return std::nullopt;
}

} // namespace sluice::routing
