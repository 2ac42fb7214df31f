// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/virtual_service.h"

#include <string>

namespace sluice::flow {

/// The conditions of one match as the YAML states them, compact enough for an edge label:
/// `prefix /productpage`, `headers end-user=jason`, `GET prefix /api/v1/`. Conditions are ANDed
/// and joined with ", "; an empty match block reads `any request`.
[[nodiscard]] std::string matchLabel(const model::HTTPMatchRequest& match);
/// `sni shop.example.com`, `port 443`.
[[nodiscard]] std::string matchLabel(const model::TLSMatchAttributes& match);
/// `port 31400`, `subnet 10.0.0.0/8`.
[[nodiscard]] std::string matchLabel(const model::L4MatchAttributes& match);
/// "90%" for `weight` of `total`; one decimal when the share is not whole ("33.3%").
[[nodiscard]] std::string weightLabel(std::uint64_t weight, std::uint64_t total);

} // namespace sluice::flow
