// SPDX-License-Identifier: Apache-2.0
#pragma once

// An HTTP/2 (h2c, prior knowledge) upstream on the test's Qt event loop, written with raw frames
// so that it can misbehave the way no server library would: reset a stream, never answer one, or
// break one off after its head.

#include "h2_frames.h"

#include <QByteArray>
#include <QTcpServer>
#include <QTcpSocket>

namespace sluice::test {

class RawH2Upstream {
public:
    enum class Mode {
        ResetFirst,   ///< RST_STREAM on the first stream; the others get 200 and "ok\n"
        RefuseFirst,  ///< the same with REFUSED_STREAM (a server at its stream limit, say)
        Silent,       ///< never answers a stream
        CutAfterHead, ///< 200 HEADERS, some DATA, then RST_STREAM
    };

    explicit RawH2Upstream(Mode mode)
        : m_mode(mode) {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection())
                serve(socket);
        });
    }

    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    /// Request streams (HEADERS frames) received so far, on every connection.
    [[nodiscard]] int streams() const { return m_streams; }

private:
    void serve(QTcpSocket* socket) {
        auto* buffer = new QByteArray;
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [socket, buffer] {
            delete buffer;
            socket->deleteLater();
        });
        socket->write(h2::frame(h2::Settings, 0, 0, {})); // the server's preface
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            *buffer += socket->readAll();
            if (buffer->startsWith(h2::kPreface))
                buffer->remove(0, h2::kPreface.size());
            while (buffer->size() >= 9) {
                const auto* p = reinterpret_cast<const unsigned char*>(buffer->constData());
                const qsizetype length = (p[0] << 16) | (p[1] << 8) | p[2];
                if (buffer->size() < 9 + length)
                    return;
                const h2::Frame f = h2::parse(buffer->left(9 + length)).first();
                buffer->remove(0, 9 + length);
                if (f.type == h2::Settings && (f.flags & 0x1) == 0)
                    socket->write(h2::frame(h2::Settings, 0x1, 0, {})); // ACK
                else if (f.type == h2::Headers)
                    answer(*socket, f.stream);
            }
        });
    }

    void answer(QTcpSocket& socket, quint32 stream) {
        ++m_streams;
        const QByteArray status200("\x88"); // :status 200, from HPACK's static table
        switch (m_mode) {
        case Mode::ResetFirst:
        case Mode::RefuseFirst:
            if (m_streams == 1) { // INTERNAL_ERROR or REFUSED_STREAM
                socket.write(
                    h2::frame(h2::RstStream, 0, stream, h2::be32(m_mode == Mode::ResetFirst ? 2 : 7)));
                return;
            }
            socket.write(h2::frame(h2::Headers, h2::EndHeaders, stream,
                                   status200 + h2::literal("x-answered-stream", QByteArray::number(stream))));
            socket.write(h2::frame(h2::Data, h2::EndStream, stream, "ok\n"));
            return;
        case Mode::Silent:
            return;
        case Mode::CutAfterHead:
            socket.write(h2::frame(h2::Headers, h2::EndHeaders, stream, status200));
            socket.write(h2::frame(h2::Data, 0, stream, "partial"));
            socket.write(h2::frame(h2::RstStream, 0, stream, h2::be32(2)));
            return;
        }
    }

    Mode m_mode;
    QTcpServer m_server;
    int m_streams = 0;
};

} // namespace sluice::test
