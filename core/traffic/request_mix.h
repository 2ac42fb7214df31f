// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "routing/request.h"
#include "routing/rng.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::traffic {

/// One kind of request in a mix: the request as the gateway receives it, and how often it is sent
/// relative to the others.
struct RequestTemplate {
    routing::Request request;
    double weight = 1;
    std::string label; ///< "GET bookinfo.example.com/productpage": for reports and errors
};

/// The requests a simulation (or a load run) sends, picked at random by weight. Built by a
/// profile or by DefaultMix; immutable once built except through add().
class RequestMix {
public:
    /// Adds a template; one whose weight is not positive (or not finite) is ignored.
    void add(RequestTemplate entry);

    [[nodiscard]] bool empty() const { return m_templates.empty(); }
    [[nodiscard]] std::size_t size() const { return m_templates.size(); }
    [[nodiscard]] const std::vector<RequestTemplate>& templates() const { return m_templates; }
    [[nodiscard]] const RequestTemplate& at(std::size_t index) const { return m_templates[index]; }

    /// The index of a template picked with probability weight / total weight. Precondition: !empty().
    [[nodiscard]] std::size_t pick(routing::Rng& rng) const;
    /// A template's share of the mix, 0..1.
    [[nodiscard]] double share(std::size_t index) const;

private:
    std::vector<RequestTemplate> m_templates;
    std::vector<double> m_cumulative; ///< running sums of the weights
};

} // namespace sluice::traffic
