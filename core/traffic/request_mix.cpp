// SPDX-License-Identifier: Apache-2.0
#include "request_mix.h"

#include <algorithm>
#include <cmath>

namespace sluice::traffic {

void RequestMix::add(RequestTemplate entry) {
    if (!(entry.weight > 0) || !std::isfinite(entry.weight))
        return;
    m_cumulative.push_back((m_cumulative.empty() ? 0.0 : m_cumulative.back()) + entry.weight);
    m_templates.push_back(std::move(entry));
}

std::size_t RequestMix::pick(routing::Rng& rng) const {
    if (m_templates.size() == 1)
        return 0;
    // A uniform double in [0, total): 53 random bits.
    const double roll =
        static_cast<double>(rng.next() >> 11) * (1.0 / 9007199254740992.0) * m_cumulative.back();
    const auto it = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), roll);
    return std::min<std::size_t>(static_cast<std::size_t>(it - m_cumulative.begin()), m_templates.size() - 1);
}

double RequestMix::share(std::size_t index) const {
    if (index >= m_templates.size() || m_cumulative.empty())
        return 0;
    return m_templates[index].weight / m_cumulative.back();
}

} // namespace sluice::traffic
