// SPDX-License-Identifier: Apache-2.0
#include "request_hasher.h"

#include "load_balancer.h"
#include "upstream_request_writer.h"

#include <algorithm>
#include <vector>

namespace sluice::proxy {
namespace {

std::string hex16(std::uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4)
        out[static_cast<std::size_t>(i)] = digits[v & 0xf];
    return out;
}

std::uint64_t headerHash(const RequestHead& head, std::string_view name, bool& found) {
    std::vector<std::string_view> values;
    for (const HeaderField& f : head.fields)
        if (headerNameIs(f.name, name))
            values.push_back(f.value);
    found = !values.empty();
    if (values.size() == 1)
        return stableHash64(values.front());
    // Several values: Envoy hashes them sorted, so their order does not matter.
    std::sort(values.begin(), values.end());
    std::string joined;
    for (std::string_view v : values) {
        joined += v;
        joined += '\0';
    }
    return stableHash64(joined);
}

} // namespace

std::string_view RequestHasher::cookie(const RequestHead& head, std::string_view name) {
    for (const HeaderField& f : head.fields) {
        if (!headerNameIs(f.name, "cookie"))
            continue;
        std::string_view rest = f.value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos || pair.substr(0, eq) != name)
                continue;
            std::string_view value = pair.substr(eq + 1);
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            return value;
        }
    }
    return {};
}

std::optional<std::string_view> RequestHasher::queryParameter(std::string_view target,
                                                              std::string_view name) {
    const auto q = target.find('?');
    if (q == std::string_view::npos)
        return std::nullopt;
    std::string_view rest = target.substr(q + 1);
    if (const auto hash = rest.find('#'); hash != std::string_view::npos)
        rest = rest.substr(0, hash);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name)
            return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
    return std::nullopt;
}

std::optional<std::uint64_t> RequestHasher::hash(const HashPolicy& policy, const HashInputs& in,
                                                 std::string& setCookie) {
    switch (policy.source) {
    case HashPolicy::Source::None:
        return std::nullopt;
    case HashPolicy::Source::Header: {
        bool found = false;
        const std::uint64_t h = headerHash(in.head, policy.name, found);
        return found ? std::optional<std::uint64_t>(h) : std::nullopt;
    }
    case HashPolicy::Source::Cookie: {
        const std::string_view value = cookie(in.head, policy.name);
        if (!value.empty())
            return stableHash64(value);
        if (!policy.cookieTtl)
            return std::nullopt;
        const std::string generated = hex16(stableHash64(in.connection));
        setCookie = policy.name + "=\"" + generated + "\"";
        if (policy.cookieTtl->count() != 0)
            setCookie += "; Max-Age=" + std::to_string(policy.cookieTtl->count());
        if (!policy.cookiePath.empty())
            setCookie += "; Path=" + policy.cookiePath;
        setCookie += "; HttpOnly";
        return stableHash64(generated);
    }
    case HashPolicy::Source::QueryParameter: {
        const auto value = queryParameter(in.head.target, policy.name);
        return value ? std::optional<std::uint64_t>(stableHash64(*value)) : std::nullopt;
    }
    case HashPolicy::Source::SourceIp:
        return in.sourceIp.empty() ? std::nullopt : std::optional<std::uint64_t>(stableHash64(in.sourceIp));
    }
    return std::nullopt;
}

} // namespace sluice::proxy
