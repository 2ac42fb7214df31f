// SPDX-License-Identifier: Apache-2.0
#include "cors_policy.h"

namespace sluice::routing {
namespace {

std::string joined(const std::vector<model::Located<std::string>>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty())
            out += ',';
        out += v.value;
    }
    return out;
}

} // namespace

bool CorsPolicy::allows(std::string_view origin) const {
    for (const StringMatcher& m : allowOrigins)
        if (m.matches("*") || m.matches(origin))
            return true;
    return false;
}

CorsPolicy compileCorsPolicy(const model::CorsPolicy& policy) {
    CorsPolicy out;
    for (const model::StringMatch& match : policy.allowOrigins)
        if (auto m = StringMatcher::compile(match, false))
            out.allowOrigins.push_back(std::move(*m));
    for (const auto& origin : policy.allowOrigin)
        out.allowOrigins.push_back(StringMatcher::exact(origin.value));
    out.allowMethods = joined(policy.allowMethods);
    out.allowHeaders = joined(policy.allowHeaders);
    out.exposeHeaders = joined(policy.exposeHeaders);
    if (policy.maxAge.present)
        out.maxAge = std::to_string(policy.maxAge.value.nanos / 1'000'000'000);
    if (policy.allowCredentials.present)
        out.allowCredentials = policy.allowCredentials.value;
    if (policy.unmatchedPreflights.present)
        out.forwardNotMatchingPreflights =
            policy.unmatchedPreflights.value != model::UnmatchedPreflights::Ignore;
    return out;
}

} // namespace sluice::routing
