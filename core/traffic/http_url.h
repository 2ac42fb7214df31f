// SPDX-License-Identifier: Apache-2.0
#pragma once

// An absolute http(s) URL split into what a request line and Host carry.

#include <optional>
#include <string>
#include <string_view>

namespace sluice::traffic {

struct HttpUrl {
    std::string scheme;    ///< "http" or "https", lowercased
    std::string authority; ///< "host[:port]" without userinfo
    std::string path;      ///< path and query, "/" when the URL has none; the fragment dropped
};

/// "https://user@example.com:8443/a/b?q=1#top" -> {https, example.com:8443, /a/b?q=1}.
/// nullopt for other schemes (data:, blob:, ws:, chrome-extension:...), a relative URL or an
/// empty host.
[[nodiscard]] std::optional<HttpUrl> splitHttpUrl(std::string_view url);

} // namespace sluice::traffic
