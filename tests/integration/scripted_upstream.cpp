// SPDX-License-Identifier: Apache-2.0
#include "scripted_upstream.h"

#include <QTcpSocket>

ScriptedUpstream::ScriptedUpstream(QObject* parent)
    : QObject(parent) {
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server.nextPendingConnection())
            serve(socket);
    });
}

qsizetype ScriptedUpstream::requestEnd(const QByteArray& buffer, qsizetype& payload) {
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return -1;
    const QByteArray head = buffer.left(headEnd).toLower();
    qsizetype at = headEnd + 4;
    payload = 0;
    if (head.contains("\r\ntransfer-encoding: chunked")) {
        for (;;) {
            const qsizetype eol = buffer.indexOf("\r\n", at);
            if (eol < 0)
                return -1;
            bool ok = false;
            const qsizetype size = buffer.mid(at, eol - at).split(';').first().toLongLong(&ok, 16);
            if (!ok)
                return -1;
            if (size == 0) { // trailers, then an empty line
                const qsizetype end = buffer.indexOf("\r\n\r\n", eol);
                return end < 0 ? -1 : end + 4;
            }
            if (buffer.size() < eol + 2 + size + 2)
                return -1;
            payload += size;
            at = eol + 2 + size + 2;
        }
    }
    if (const qsizetype cl = head.indexOf("\r\ncontent-length: "); cl >= 0) {
        const qsizetype eol = head.indexOf("\r\n", cl + 2);
        payload = head.mid(cl + 18, (eol < 0 ? head.size() : eol) - cl - 18).toLongLong();
    }
    return buffer.size() < at + payload ? -1 : at + payload;
}

void ScriptedUpstream::serve(QTcpSocket* socket) {
    auto* buffer = new QByteArray;
    connect(socket, &QTcpSocket::disconnected, socket, [socket, buffer] {
        delete buffer;
        socket->deleteLater();
    });
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
        *buffer += socket->readAll();
        for (;;) {
            qsizetype payload = 0;
            const qsizetype end = requestEnd(*buffer, payload);
            if (end < 0)
                return;
            m_requests << buffer->left(end);
            buffer->remove(0, end);
            const QByteArray body = "body-length: " + QByteArray::number(payload) + "\n";
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/grpc\r\nTransfer-Encoding: chunked\r\n\r\n" +
                QByteArray::number(body.size(), 16) + "\r\n" + body +
                "\r\n0\r\ngrpc-status: 0\r\ngrpc-message: ok\r\n\r\n");
        }
    });
}
