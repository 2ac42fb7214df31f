// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs the built `sluice` binary (SLUICE_CLI) as users do, for the CLI tests: exit status, stdout
// and stderr, with a timeout that kills it.

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace sluice_cli_test {

struct Run {
    int exitCode = -1; ///< -1: did not start, crashed or timed out
    QByteArray out;
    QByteArray err; ///< "timeout" when it was killed
};

/// Waits (the event loop running) up to `timeoutMs` for `p`, started, to end; kills it after.
inline Run finish(QProcess& p, int timeoutMs) {
    Run r;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "timeout";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// Runs sluice with `args` in `environment`. The test's event loop keeps running meanwhile (a
/// server the test runs answers), for at most `timeoutMs`.
inline Run sluice(const QStringList& args, int timeoutMs = 60000,
                  const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(environment);
    p.start(QStringLiteral(SLUICE_CLI), args);
    if (!p.waitForStarted(10000))
        return {};
    return finish(p, timeoutMs);
}

/// Writes `text` to `name` in `dir`; returns its path.
inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return path;
}

} // namespace sluice_cli_test
