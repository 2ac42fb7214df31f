// SPDX-License-Identifier: Apache-2.0
#pragma once

// Clients (curl, nghttp, h2load) and raw sockets for integration tests whose upstream lives on the
// test's own event loop: nothing here blocks the loop.

#include <QByteArray>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QStringList>
#include <QTcpSocket>
#include <QTimer>

namespace sluice::test {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs a client without blocking the event loop (the scripted upstream lives on it), 20 s at most.
inline Run run(const QString& program, const QStringList& args) {
    QProcess process;
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    process.start(program, args);
    if (!process.waitForStarted(5000))
        return {-1, {}, "did not start"};
    loop.exec();
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

/// Reads from `socket` until the peer closes or `ms` pass; returns everything received.
inline QByteArray readUntilClosed(QTcpSocket& socket, int ms) {
    QByteArray got;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(100);
        got += socket.readAll();
    }
    return got + socket.readAll();
}

} // namespace sluice::test
