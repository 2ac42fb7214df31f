// SPDX-License-Identifier: Apache-2.0
#include "echo_upstream.h"

#include <QTcpSocket>

EchoUpstream::EchoUpstream(QObject* parent)
    : QObject(parent) {
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server.nextPendingConnection())
            serve(socket, ++m_connections);
    });
}

void EchoUpstream::serve(QTcpSocket* socket, int connection) {
    auto* buffer = new QByteArray;
    connect(socket, &QTcpSocket::disconnected, socket, [socket, buffer] {
        delete buffer;
        socket->deleteLater();
    });
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer, connection] {
        *buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer->left(end);
            qsizetype bodyLength = 0;
            qsizetype consumed = end + 4;
            const QByteArray lower = head.toLower();
            if (lower.contains("\r\ntransfer-encoding: chunked")) {
                // Decode just enough to find the end and count the payload.
                qsizetype at = consumed;
                for (;;) {
                    const qsizetype eol = buffer->indexOf("\r\n", at);
                    if (eol < 0)
                        return;
                    bool ok = false;
                    const qsizetype size = buffer->mid(at, eol - at).toLongLong(&ok, 16);
                    if (!ok)
                        return;
                    if (size == 0) {
                        if (buffer->size() < eol + 4)
                            return;
                        consumed = eol + 4;
                        break;
                    }
                    if (buffer->size() < eol + 2 + size + 2)
                        return;
                    bodyLength += size;
                    at = eol + 2 + size + 2;
                }
            } else if (const qsizetype cl = lower.indexOf("\r\ncontent-length: "); cl >= 0) {
                const qsizetype eol = lower.indexOf("\r\n", cl + 2);
                bodyLength = lower.mid(cl + 18, (eol < 0 ? lower.size() : eol) - cl - 18).toLongLong();
                if (buffer->size() < consumed + bodyLength)
                    return;
                consumed += bodyLength;
            }
            buffer->remove(0, consumed);
            m_heads << head;
            const QByteArray body = head + "\r\nbody-length: " + QByteArray::number(bodyLength) +
                                    "\r\nupstream-connection: " + QByteArray::number(connection) + "\n";
            socket->write("HTTP/1.1 " + QByteArray::number(status) +
                          " Echo\r\nContent-Type: text/plain\r\n"
                          "Server: echo\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            if (closeAfterResponse) {
                socket->disconnectFromHost();
                return;
            }
        }
    });
}
