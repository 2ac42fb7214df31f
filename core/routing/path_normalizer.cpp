// SPDX-License-Identifier: Apache-2.0
#include "path_normalizer.h"

#include <algorithm>
#include <vector>

namespace sluice::routing {
namespace {

// "." and ".." segments, also when their dots are percent-encoded (%2e / %2E).
int dotCount(std::string_view segment) {
    int dots = 0;
    for (std::size_t i = 0; i < segment.size();) {
        if (segment[i] == '.') {
            ++dots;
            ++i;
        } else if (segment.substr(i, 3) == "%2e" || segment.substr(i, 3) == "%2E") {
            ++dots;
            i += 3;
        } else {
            return 0;
        }
    }
    return dots <= 2 ? dots : 0;
}

} // namespace

std::string removeDotSegments(std::string_view path) {
    // Fast path: without '.' (or '%', for %2e) no segment is a dot segment, and re-joining the
    // segments gives the path back unchanged.
    if (path.starts_with('/') &&
        std::none_of(path.begin(), path.end(), [](char c) { return c == '.' || c == '%'; }))
        return std::string(path);
    std::vector<std::string_view> out;
    std::size_t pos = 1; // past the leading '/'
    bool trailingSlash = false;
    while (pos <= path.size()) {
        const auto slash = path.find('/', pos);
        const std::string_view segment =
            path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
        const int dots = dotCount(segment);
        const bool last = slash == std::string_view::npos;
        if (dots == 1) {
            trailingSlash = last;
        } else if (dots == 2) {
            if (!out.empty())
                out.pop_back();
            trailingSlash = last;
        } else {
            out.push_back(segment);
            trailingSlash = false;
        }
        if (last)
            break;
        pos = slash + 1;
    }
    std::string result;
    for (const auto& s : out) {
        result += '/';
        result += s;
    }
    if (trailingSlash || result.empty())
        result += '/';
    return result;
}

RequestTarget normaliseTarget(std::string_view target) {
    RequestTarget out;
    const auto q = target.find('?');
    std::string_view path = target.substr(0, q);
    if (q != std::string_view::npos) {
        out.hasQuery = true;
        out.query = std::string(target.substr(q + 1));
    }
    if (const auto hash = path.find('#'); hash != std::string_view::npos)
        path = path.substr(0, hash);
    if (path.empty() || path.front() != '/')
        out.path = removeDotSegments("/" + std::string(path));
    else
        out.path = removeDotSegments(path);
    return out;
}

} // namespace sluice::routing
