// SPDX-License-Identifier: Apache-2.0
#include "rule_settings.h"

#include <algorithm>
#include <numeric>

namespace sluice::config {
namespace {

double percentOf(const std::optional<model::Percent>& p, const model::Located<std::int32_t>& legacy) {
    if (p && p->value)
        return p->value.value;
    if (legacy)
        return legacy.value;
    return 100;
}

} // namespace

RuleSettings ruleSettings(const model::HTTPRoute& rule) {
    RuleSettings out;
    for (const model::HTTPRouteDestination& d : rule.route)
        out.weights.push_back(rule.route.size() == 1 && !d.weight ? 100 : d.weight.value);
    if (rule.fault) {
        FaultSettings f;
        if (const auto& a = rule.fault->abort; a && a->httpStatus) {
            f.abort = true;
            f.abortStatus = a->httpStatus.value;
            f.abortPercent = percentOf(a->percentage, {});
        }
        if (const auto& d = rule.fault->delay; d && d->fixedDelay) {
            f.delay = true;
            f.fixedDelay = d->fixedDelay.value.toString();
            f.delayPercent = percentOf(d->percentage, d->percent);
        }
        if (!f.empty())
            out.fault = f;
    }
    if (rule.timeout)
        out.timeout = rule.timeout.value.toString();
    return out;
}

std::vector<int> rebalanceWeights(const std::vector<int>& weights, std::size_t index, int value) {
    if (weights.empty() || index >= weights.size())
        return weights;
    if (weights.size() == 1)
        return {100};
    std::vector<int> out(weights.size(), 0);
    out[index] = std::clamp(value, 0, 100);
    const int rest = 100 - out[index];
    long long others = 0;
    for (std::size_t i = 0; i < weights.size(); ++i)
        if (i != index)
            others += std::max(weights[i], 0);
    const auto n = static_cast<long long>(weights.size() - 1);
    // Exact shares as fractions: numerator / denominator, then the floors and the remainders.
    std::vector<std::pair<long long, std::size_t>> remainders; // (remainder, index)
    int given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (i == index)
            continue;
        const long long numerator =
            others > 0 ? static_cast<long long>(rest) * std::max(weights[i], 0) : rest;
        const long long denominator = others > 0 ? others : n;
        out[i] = static_cast<int>(numerator / denominator);
        given += out[i];
        remainders.emplace_back(numerator % denominator, i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < rest && k < remainders.size(); ++k, ++given)
        ++out[remainders[k].second];
    return out;
}

} // namespace sluice::config
