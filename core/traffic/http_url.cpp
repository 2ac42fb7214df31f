// SPDX-License-Identifier: Apache-2.0
#include "http_url.h"

#include "recorded_request.h"

namespace sluice::traffic {

std::optional<HttpUrl> splitHttpUrl(std::string_view url) {
    const std::size_t colon = url.find("://");
    if (colon == std::string_view::npos)
        return std::nullopt;
    HttpUrl out;
    out.scheme = toLowerAscii(url.substr(0, colon));
    if (out.scheme != "http" && out.scheme != "https")
        return std::nullopt;
    std::string_view rest = url.substr(colon + 3);
    if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos)
        rest = rest.substr(0, hash);
    const std::size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
        authority = authority.substr(at + 1);
    if (authority.empty())
        return std::nullopt;
    out.authority = std::string(authority);
    if (end == std::string_view::npos)
        out.path = "/";
    else if (rest[end] == '?')
        out.path = "/" + std::string(rest.substr(end));
    else
        out.path = std::string(rest.substr(end));
    return out;
}

} // namespace sluice::traffic
