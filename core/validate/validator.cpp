// SPDX-License-Identifier: Apache-2.0
#include "validator.h"

#include <algorithm>

namespace sluice::validate {

model::Diagnostics validate(const model::ResourceSet& resources, const ValidateOptions& options) {
    model::Diagnostics out;
    (void)resources;
    std::erase_if(out, [&](const model::Diagnostic& d) {
        return std::any_of(options.suppressions.begin(), options.suppressions.end(),
                           [&](const Suppression& s) { return s.matches(d); });
    });
    return out;
}

} // namespace sluice::validate
