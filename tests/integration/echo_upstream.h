// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpServer>

/// A plain HTTP/1.1 upstream for proxy tests, on the test's Qt event loop: it answers every
/// request with 200 and a body that echoes the request line and headers it received (names as
/// sent), the body length, and which of its connections carried the request.
class EchoUpstream : public QObject {
    Q_OBJECT

public:
    explicit EchoUpstream(QObject* parent = nullptr);

    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] int connectionsAccepted() const { return m_connections; }
    [[nodiscard]] const QList<QByteArray>& heads() const { return m_heads; }
    /// Status to answer with (default 200).
    int status = 200;
    /// Close each connection right after its response, without saying so (an upstream whose idle
    /// timeout is shorter than the proxy's).
    bool closeAfterResponse = false;

private:
    void serve(class QTcpSocket* socket, int connection);

    QTcpServer m_server;
    int m_connections = 0;
    QList<QByteArray> m_heads;
};
