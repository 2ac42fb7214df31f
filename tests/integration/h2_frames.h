// SPDX-License-Identifier: Apache-2.0
#pragma once

// Raw HTTP/2 frames for hostile-input tests: what no well-behaved client library would send.

#include <QByteArray>
#include <QList>

namespace sluice::test::h2 {

inline const QByteArray kPreface("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

enum Type : char { Data = 0, Headers = 1, RstStream = 3, Settings = 4, GoAway = 7, Continuation = 9 };
enum Flag : char { EndStream = 0x1, EndHeaders = 0x4 };

inline QByteArray be32(quint32 v) {
    QByteArray out(4, '\0');
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<char>(v >> (24 - 8 * i));
    return out;
}

inline QByteArray frame(char type, char flags, quint32 stream, const QByteArray& payload) {
    QByteArray out = be32(static_cast<quint32>(payload.size())).mid(1); // 24-bit length
    out += type;
    out += flags;
    return out + be32(stream) + payload;
}

/// HPACK integer with a 7-bit prefix (string lengths, no Huffman).
inline QByteArray length(int n) {
    if (n < 127)
        return QByteArray(1, static_cast<char>(n));
    QByteArray out(1, '\x7f');
    n -= 127;
    while (n >= 128) {
        out += static_cast<char>((n % 128) + 128);
        n /= 128;
    }
    return out + static_cast<char>(n);
}

/// A literal header field without indexing, new name.
inline QByteArray literal(const QByteArray& name, const QByteArray& value) {
    return QByteArray(1, '\0') + length(static_cast<int>(name.size())) + name +
           length(static_cast<int>(value.size())) + value;
}

/// GET http://`authority``path` as an HPACK block (:method GET and :scheme http from the static table).
inline QByteArray requestBlock(const QByteArray& authority, const QByteArray& path = "/") {
    return QByteArray("\x82\x86") + literal(":path", path) + literal(":authority", authority);
}

struct Frame {
    char type = 0;
    char flags = 0;
    quint32 stream = 0;
    QByteArray payload;
};

/// The frames in `bytes` (a trailing partial frame is left out).
inline QList<Frame> parse(const QByteArray& bytes) {
    QList<Frame> out;
    qsizetype at = 0;
    while (at + 9 <= bytes.size()) {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.constData() + at);
        const qsizetype n = (p[0] << 16) | (p[1] << 8) | p[2];
        if (at + 9 + n > bytes.size())
            break;
        const quint32 stream = ((p[5] & 0x7fu) << 24) | (p[6] << 16) | (p[7] << 8) | p[8];
        out.push_back({static_cast<char>(p[3]), static_cast<char>(p[4]), stream, bytes.mid(at + 9, n)});
        at += 9 + n;
    }
    return out;
}

inline quint32 word(const QByteArray& bytes, qsizetype at) {
    if (bytes.size() < at + 4)
        return 0xffffffffu;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.constData() + at);
    return (quint32(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

/// The last stream id of a GOAWAY frame.
inline quint32 lastStreamId(const Frame& f) {
    return word(f.payload, 0) & 0x7fffffffu;
}

/// The error code of a GOAWAY or RST_STREAM frame.
inline quint32 errorCode(const Frame& f) {
    return word(f.payload, f.type == GoAway ? 4 : 0);
}

} // namespace sluice::test::h2
