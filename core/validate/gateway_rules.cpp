// SPDX-License-Identifier: Apache-2.0
#include "rules.h"

namespace sluice::validate {

void checkGatewaySchema(const model::Gateway& gateway, model::Diagnostics& out) {
    (void)gateway;
    (void)out; // TODO(foundation): rules of VALIDATION_NOTES.md §2
}

} // namespace sluice::validate
