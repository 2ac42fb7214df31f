// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private keys are read, never written (ARCHITECTURE.md "Ports and safety defaults"). These checks
// decide what the exporter must leave out.

#include "model/secret.h"

#include <string>
#include <string_view>

namespace sluice::config {

/// Why `secret` must not be exported ("holds tls.key"), or an empty string. A Secret holds a
/// private key when `data` or `stringData` has an entry named `tls.key`, `key`, `*.key` or
/// `ssh-privatekey`, or any value (base64-decoded for `data`) that contains a PEM private key.
[[nodiscard]] std::string privateKeyReason(const model::Secret& secret);

/// The same decision for a YAML document the model does not cover (a foreign kind, a List item,
/// a document that failed to load): any `kind: Secret` map with such an entry, or any scalar that
/// holds a PEM private key, plainly or base64-encoded. Text that is not YAML is checked for a
/// PEM marker only. Never throws.
[[nodiscard]] std::string privateKeyReasonInText(std::string_view documentText);

} // namespace sluice::config
