// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test certificates, made per test run with the --dev-certs CA code in a temporary directory
// (nothing is committed): a CA, server and client certificates as PEM files for curl and
// openssl, and as Secret YAML for the configs under test.

#include "proxy/dev_certificate_authority.h"

#include <string>
#include <vector>

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace sluice::test {

class TestPki {
public:
    struct Issued {
        QString certificateFile;
        QString keyFile;
        std::string certificatePem;
        std::string keyPem;
    };

    /// `name` tells CAs apart in messages only.
    explicit TestPki(const std::string& name = "ca") {
        error = m_ca.open(m_dir.filePath(QString::fromStdString(name)).toStdString());
    }

    [[nodiscard]] QString caFile() const { return QString::fromStdString(m_ca.certificatePath().string()); }
    [[nodiscard]] const std::string& caPem() const { return m_ca.certificatePem(); }

    /// A certificate for `hosts` (server) or a client certificate, written to <dir>/<file>.crt/.key.
    Issued
    issue(const QString& file, const std::vector<std::string>& hosts,
          proxy::DevCertificateAuthority::Usage usage = proxy::DevCertificateAuthority::Usage::Server) {
        std::string problem;
        auto pair = m_ca.issue(hosts, usage, problem);
        if (!pair) {
            error = problem;
            return {};
        }
        Issued out{m_dir.filePath(file + QStringLiteral(".crt")),
                   m_dir.filePath(file + QStringLiteral(".key")), pair->certificateChain,
                   pair->privateKey.reveal()};
        write(out.certificateFile, out.certificatePem);
        write(out.keyFile, out.keyPem);
        return out;
    }

    /// A kubernetes.io/tls Secret holding `issued` (and this CA as ca.crt when `withCa`).
    [[nodiscard]] std::string secret(const std::string& ns, const std::string& name, const Issued& issued,
                                     bool withCa = false) const {
        std::string yaml = "---\napiVersion: v1\nkind: Secret\nmetadata: {name: " + name +
                           ", namespace: " + ns +
                           "}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: " + base64(issued.certificatePem) +
                           "\n  tls.key: " + base64(issued.keyPem) + "\n";
        if (withCa)
            yaml += "  ca.crt: " + base64(caPem()) + "\n";
        return yaml;
    }

    [[nodiscard]] QString path(const QString& file) const { return m_dir.filePath(file); }

    std::string error;

private:
    static std::string base64(const std::string& text) {
        return QByteArray::fromStdString(text).toBase64().toStdString();
    }
    static void write(const QString& path, const std::string& text) {
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(text.data(), static_cast<qint64>(text.size()));
    }

    QTemporaryDir m_dir;
    proxy::DevCertificateAuthority m_ca;
};

} // namespace sluice::test
