// SPDX-License-Identifier: Apache-2.0
#include "rules.h"

namespace sluice::validate {

void checkVirtualServiceSchema(const model::VirtualService& vs, model::Diagnostics& out) {
    (void)vs;
    (void)out; // TODO(foundation): rules of VALIDATION_NOTES.md §2
}

} // namespace sluice::validate
