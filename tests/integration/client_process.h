// SPDX-License-Identifier: Apache-2.0
#pragma once

// Real clients (curl, openssl s_client) run as processes for the integration tests, with their
// exit code and both outputs, always within a timeout.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace sluice::test {

struct ClientRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool timedOut = false;
    [[nodiscard]] QByteArray all() const { return out + err; }
};

/// Runs `program` with `args`, feeding `input` on stdin (then closing it), `timeoutMs` at most.
inline ClientRun runClient(const QString& program, const QStringList& args, const QByteArray& input = {},
                           int timeoutMs = 20000) {
    QProcess p;
    p.start(program, args);
    ClientRun r;
    if (!p.waitForStarted(10000)) {
        r.err = "cannot start " + program.toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        r.timedOut = true;
        p.kill();
        p.waitForFinished(5000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// curl -sS with a 10 s limit and `args`.
inline ClientRun curlRun(const QStringList& args) {
    return runClient(QStringLiteral("curl"),
                     QStringList{QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("10")} +
                         args);
}

} // namespace sluice::test
