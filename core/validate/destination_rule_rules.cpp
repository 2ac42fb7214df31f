// SPDX-License-Identifier: Apache-2.0
#include "rules.h"

namespace sluice::validate {

void checkDestinationRuleSchema(const model::DestinationRule& dr, model::Diagnostics& out) {
    (void)dr;
    (void)out; // TODO(foundation): rules of VALIDATION_NOTES.md §2
}

} // namespace sluice::validate
