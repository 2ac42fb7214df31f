// SPDX-License-Identifier: Apache-2.0
#include "request_url.h"

#include <charconv>

namespace sluice::routing {

std::optional<RequestUrl> parseRequestUrl(std::string_view text, std::string& error) {
    RequestUrl url;
    if (text.starts_with("https://")) {
        url.https = true;
        text.remove_prefix(8);
    } else if (text.starts_with("http://")) {
        text.remove_prefix(7);
    } else if (text.find("://") != std::string_view::npos) {
        error = "only http:// and https:// URLs can be routed";
        return std::nullopt;
    }
    const auto slash = text.find_first_of("/?#");
    url.authority = std::string(text.substr(0, slash));
    if (slash != std::string_view::npos && text[slash] != '#')
        url.target = std::string(text.substr(slash));
    if (const auto hash = url.target.find('#'); hash != std::string::npos)
        url.target.resize(hash); // fragments never leave the client
    if (url.target.starts_with('?'))
        url.target = "/" + url.target;
    if (url.authority.empty()) {
        error = "the URL has no host";
        return std::nullopt;
    }
    const auto close = url.authority.find(']');
    const auto colon = url.authority.rfind(':');
    const bool hasPort = colon != std::string::npos && (close == std::string::npos ? url.authority.find(':') == colon
                                                                                    : colon == close + 1);
    if (hasPort) {
        const std::string_view digits = std::string_view(url.authority).substr(colon + 1);
        std::uint32_t port = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
            error = "invalid port in " + url.authority;
            return std::nullopt;
        }
        url.port = port;
    }
    return url;
}

} // namespace sluice::routing
