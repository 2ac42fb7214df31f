// SPDX-License-Identifier: Apache-2.0
#include "rules.h"

namespace sluice::validate {

void checkAnnotations(const model::ResourceSet& resources, model::Diagnostics& out) {
    (void)resources;
    (void)out; // TODO(foundation): IST0107/0108/0125/0135/0136
}

} // namespace sluice::validate
