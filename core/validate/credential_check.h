// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/secret.h"

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::validate {

/// What is wrong with `secret` as a Gateway TLS credential; both empty when nothing is.
struct CredentialProblems {
    /// Istio's IST0161 conditions: kube.ExtractCertInfo (keys cert/key, else tls.crt/tls.key, read
    /// from `data`) and xds.ValidateCertificate (the first PEM block parses as X.509 and every
    /// certificate in it is valid at `now`).
    std::string certificate;
    /// What Envoy enforces when it loads the pair, checked only when the certificate is fine: the
    /// private key parses (PKCS#1, PKCS#8 or SEC1 PEM, unencrypted) and belongs to the first certificate.
    std::string privateKey;
};

/// Checks a Secret referenced by a Gateway credentialName. Key material never appears in the result.
[[nodiscard]] CredentialProblems checkGatewayCredential(const model::Secret& secret, std::time_t now);

} // namespace sluice::validate
