// SPDX-License-Identifier: Apache-2.0
#include "rules.h"
#include "validator.h"

namespace sluice::validate {

void runAnalyzers(const model::ResourceSet& resources, const ValidateOptions& options, model::Diagnostics& out) {
    (void)resources;
    (void)options;
    (void)out; // TODO(foundation): cross-resource analyzers
}

} // namespace sluice::validate
