// SPDX-License-Identifier: Apache-2.0
#pragma once

// `--dev-certs`, shared by `sluice serve`, `sluice load -f` and `sluice replay -f`: TLS servers
// without a usable certificate get one from a local development CA, and the load generator
// trusts that CA.

#include "traffic/load_options.h"

#include <cstddef>
#include <memory>
#include <string>

namespace sluice::proxy {
class DevCertificateAuthority;
}

namespace sluice::cli {

/// The development CA, opened (or made, once) in DevCertificateAuthority::defaultDirectory();
/// null with the reason printed ("sluice COMMAND: --dev-certs: ...") when it cannot be.
[[nodiscard]] std::unique_ptr<proxy::DevCertificateAuthority> openDevCa(const char* command);

/// Makes the load generator trust `ca`: its certificate as the CA file unless `tls` names one,
/// and when `mutual` (a MUTUAL server was given a development certificate) the CA's client
/// certificate unless `tls` names one. Empty, or why not.
[[nodiscard]] std::string trustDevCa(const proxy::DevCertificateAuthority& ca, bool mutual,
                                     traffic::ClientTls& tls);

} // namespace sluice::cli
