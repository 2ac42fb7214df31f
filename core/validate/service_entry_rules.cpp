// SPDX-License-Identifier: Apache-2.0
#include "rules.h"

namespace sluice::validate {

void checkServiceEntrySchema(const model::ServiceEntry& se, model::Diagnostics& out) {
    (void)se;
    (void)out; // TODO(foundation): rules of VALIDATION_NOTES.md §2
}

} // namespace sluice::validate
