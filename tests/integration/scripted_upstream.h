// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpServer>

/// An HTTP/1.1 upstream on the test's Qt event loop that answers every request the way a gRPC
/// server behind an HTTP/1.1 hop would: 200, content-type application/grpc, a chunked body naming
/// the request body's length, and trailers (grpc-status: 0, grpc-message: ok). It keeps every
/// request as received (head and framed body), so tests see exactly what the proxy sent.
class ScriptedUpstream : public QObject {
    Q_OBJECT

public:
    explicit ScriptedUpstream(QObject* parent = nullptr);

    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] const QList<QByteArray>& requests() const { return m_requests; }

private:
    void serve(class QTcpSocket* socket);
    /// The length of the request at the start of `buffer` and its payload size; -1 when incomplete.
    static qsizetype requestEnd(const QByteArray& buffer, qsizetype& payload);

    QTcpServer m_server;
    QList<QByteArray> m_requests;
};
