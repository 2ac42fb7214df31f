// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server_credentials.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::proxy {

/// A local certificate authority for `sluice serve --dev-certs`, in the spirit of mkcert: one
/// EC P-256 CA kept on disk (ca.crt, and ca.key with mode 0600) and reused across runs, so that a
/// user trusts it once; leaf certificates are issued in memory for the Gateway hosts each run.
/// The private keys are never printed or logged.
class DevCertificateAuthority {
public:
    enum class Usage { Server, Client };

    DevCertificateAuthority();
    ~DevCertificateAuthority();
    DevCertificateAuthority(const DevCertificateAuthority&) = delete;
    DevCertificateAuthority& operator=(const DevCertificateAuthority&) = delete;

    /// $XDG_DATA_HOME/sluice/dev-ca, else ~/.local/share/sluice/dev-ca.
    [[nodiscard]] static std::filesystem::path defaultDirectory();

    /// Loads the CA kept in `directory`, or makes one there when it holds none. Empty on
    /// success, else why (unreadable or mismatched files are reported, never overwritten).
    [[nodiscard]] std::string open(const std::filesystem::path& directory);

    /// True when open() made the CA rather than loading it.
    [[nodiscard]] bool created() const;
    [[nodiscard]] std::filesystem::path certificatePath() const;
    [[nodiscard]] const std::string& certificatePem() const;

    /// A certificate for `names` (DNS subject alternative names; "*.example.com" stays a wildcard
    /// name, "127.0.0.1" an IP address) with a fresh P-256 key, signed by the CA, valid 30 days.
    /// nullopt with `problem` set when OpenSSL fails or there are no names.
    [[nodiscard]] std::optional<CertificatePair> issue(const std::vector<std::string>& names, Usage usage,
                                                       std::string& problem) const;

    /// client.crt / client.key beside the CA (made on first use, key 0600): a certificate that
    /// MUTUAL servers served with development certificates accept. Empty on success, else why.
    [[nodiscard]] std::string ensureClientCertificate(std::filesystem::path& certificate,
                                                      std::filesystem::path& key) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sluice::proxy
