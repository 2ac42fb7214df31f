// SPDX-License-Identifier: Apache-2.0
#include "dev_certs.h"

#include "proxy/dev_certificate_authority.h"

#include <filesystem>
#include <iostream>

namespace sluice::cli {

std::unique_ptr<proxy::DevCertificateAuthority> openDevCa(const char* command) {
    auto ca = std::make_unique<proxy::DevCertificateAuthority>();
    const auto directory = proxy::DevCertificateAuthority::defaultDirectory();
    if (std::string error = ca->open(directory); !error.empty()) {
        std::cerr << "sluice " << command << ": --dev-certs: " << error << '\n';
        return nullptr;
    }
    return ca;
}

std::string trustDevCa(const proxy::DevCertificateAuthority& ca, bool mutual, traffic::ClientTls& tls) {
    if (tls.caFile.empty())
        tls.caFile = ca.certificatePath().string();
    if (mutual && tls.certFile.empty() && tls.keyFile.empty()) {
        std::filesystem::path certificate, key;
        if (std::string error = ca.ensureClientCertificate(certificate, key); !error.empty())
            return "no development client certificate for the MUTUAL servers: " + error;
        tls.certFile = certificate.string();
        tls.keyFile = key.string();
    }
    return {};
}

} // namespace sluice::cli
