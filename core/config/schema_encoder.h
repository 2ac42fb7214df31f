// SPDX-License-Identifier: Apache-2.0
#pragma once

// Canonical YAML for model resources, from the same schema tables the loader decodes with.
//
// Canonical form: apiVersion, kind and metadata first, then the kind's fields in the order of its
// schema table; only fields the user wrote (present scalars, non-empty lists and maps, messages
// that were written); JSON (camelCase) names even when the input used proto (snake_case) names;
// enums by name; durations in Go syntax ("1m30s"); strings quoted whenever YAML 1.1 would read them
// as something else ("on", "80"). Guarantee: loading the output gives a resource structurally
// equal to the input (schema_equal.h), so `load(encode(x)) == x`. Comments are not kept; the
// exporter keeps unchanged documents byte for byte instead.
//
// Pure functions, never throw, safe from any thread.

#include "model/resource_set.h"

#include <string>

namespace sluice::config {

/// One resource as a YAML document: no `---` marker, ends with a newline.
[[nodiscard]] std::string encodeResource(const model::Gateway& resource);
[[nodiscard]] std::string encodeResource(const model::VirtualService& resource);
[[nodiscard]] std::string encodeResource(const model::DestinationRule& resource);
[[nodiscard]] std::string encodeResource(const model::ServiceEntry& resource);
[[nodiscard]] std::string encodeResource(const model::Service& resource);
[[nodiscard]] std::string encodeResource(const model::Secret& resource);
[[nodiscard]] std::string encodeResource(const model::Pod& resource);
[[nodiscard]] std::string encodeResource(const model::Deployment& resource);
[[nodiscard]] std::string encodeResource(const model::Workload& resource);

} // namespace sluice::config
