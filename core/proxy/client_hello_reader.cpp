// SPDX-License-Identifier: Apache-2.0
#include "client_hello_reader.h"

#include <algorithm>
#include <array>

namespace sluice::proxy {
namespace {

constexpr std::uint8_t kHandshakeRecord = 22;
constexpr std::uint8_t kClientHello = 1;
constexpr std::size_t kRecordHeader = 5;
constexpr std::size_t kMaxRecordPayload = 16 * 1024; ///< TLSPlaintext.length <= 2^14
constexpr std::size_t kHandshakeHeader = 4;
constexpr std::uint16_t kServerNameExtension = 0;
constexpr std::uint16_t kAlpnExtension = 16;
constexpr std::size_t kMaxHostName = 255; ///< OpenSSL's and BoringSSL's TLSEXT_MAXLEN_host_name

/// Reads big-endian fields from a bounded range; any read past its end sets `failed` and yields 0.
class Cursor {
public:
    explicit Cursor(std::string_view data)
        : m_data(data) {}

    std::uint32_t number(std::size_t bytes) {
        if (!have(bytes))
            return 0;
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < bytes; ++i)
            v = (v << 8) | static_cast<std::uint8_t>(m_data[m_at + i]);
        m_at += bytes;
        return v;
    }
    std::string_view bytes(std::size_t count) {
        if (!have(count))
            return {};
        const std::string_view out = m_data.substr(m_at, count);
        m_at += count;
        return out;
    }
    /// A vector with a `lengthBytes`-long length prefix.
    std::string_view prefixed(std::size_t lengthBytes) { return bytes(number(lengthBytes)); }

    [[nodiscard]] bool failed() const { return m_failed; }
    [[nodiscard]] bool atEnd() const { return m_at == m_data.size(); }

private:
    bool have(std::size_t count) {
        if (m_failed || m_data.size() - m_at < count) {
            m_failed = true;
            return false;
        }
        return true;
    }

    std::string_view m_data;
    std::size_t m_at = 0;
    bool m_failed = false;
};

char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

} // namespace

ClientHelloReader::ClientHelloReader(std::size_t maxHelloBytes)
    : m_maxHelloBytes(maxHelloBytes) {}

ClientHelloReader::Verdict ClientHelloReader::fail(Verdict verdict, std::string problem) {
    m_verdict = verdict;
    m_problem = std::move(problem);
    return verdict;
}

ClientHelloReader::Verdict ClientHelloReader::read(std::string_view received) {
    if (m_verdict != Verdict::NeedMore)
        return m_verdict;
    if (received.size() < m_recordsEnd)
        return fail(Verdict::Malformed, "fewer bytes than before");
    // Records of a few bytes each would let a client send far more than the hello limit.
    if (received.size() > 2 * m_maxHelloBytes + kRecordHeader + kMaxRecordPayload)
        return fail(Verdict::TooLarge, "more than " + std::to_string(2 * m_maxHelloBytes) +
                                           " bytes without a complete ClientHello");
    // The first byte decides whether this is TLS at all (an SSLv2-compatible hello has its high
    // bit set; BoringSSL and Envoy do not take those either).
    if (!received.empty() && static_cast<std::uint8_t>(received[0]) != kHandshakeRecord)
        return fail(Verdict::NotTls, "the first byte is not a TLS handshake record");
    if (received.size() >= 2 && received[1] != 3)
        return fail(Verdict::NotTls, "the record version is not TLS (3.x)");

    for (;;) {
        if (m_handshake.size() >= kHandshakeHeader) {
            Cursor header(std::string_view(m_handshake).substr(0, kHandshakeHeader));
            if (header.number(1) != kClientHello)
                return fail(Verdict::Malformed, "the first handshake message is not a ClientHello");
            const std::size_t length = header.number(3);
            if (length > m_maxHelloBytes)
                return fail(Verdict::TooLarge, "a ClientHello of " + std::to_string(length) +
                                                   " bytes (limit " + std::to_string(m_maxHelloBytes) + ")");
            if (m_handshake.size() >= kHandshakeHeader + length)
                return parseHello(std::string_view(m_handshake).substr(kHandshakeHeader, length));
        }
        if (!takeRecord(received))
            return m_verdict;
    }
}

bool ClientHelloReader::takeRecord(std::string_view received) {
    // Whole records only: each one's handshake bytes are appended once.
    const std::string_view rest = received.substr(m_recordsEnd);
    if (rest.size() < kRecordHeader)
        return false;
    Cursor header(rest.substr(0, kRecordHeader));
    const auto type = header.number(1);
    const auto major = header.number(1);
    header.number(1); // minor: any 3.x as record version (clients send 3.1 for compatibility)
    const std::size_t length = header.number(2);
    if (type != kHandshakeRecord) {
        fail(Verdict::Malformed, "a non-handshake record before the ClientHello ended");
        return false;
    }
    if (major != 3 || length == 0 || length > kMaxRecordPayload) {
        fail(Verdict::Malformed, "a bad handshake record (version " + std::to_string(major) + ", length " +
                                     std::to_string(length) + ")");
        return false;
    }
    if (rest.size() < kRecordHeader + length)
        return false;
    m_handshake.append(rest.substr(kRecordHeader, length));
    m_recordsEnd += kRecordHeader + length;
    return true;
}

ClientHelloReader::Verdict ClientHelloReader::parseHello(std::string_view body) {
    Cursor c(body);
    c.number(2);                          // legacy_version
    c.bytes(32);                          // random
    const auto sessionId = c.prefixed(1); // legacy_session_id
    const auto ciphers = c.prefixed(2);
    const auto compression = c.prefixed(1);
    if (c.failed())
        return fail(Verdict::Malformed, "the ClientHello is truncated");
    if (sessionId.size() > 32)
        return fail(Verdict::Malformed, "a session id longer than 32 bytes");
    if (ciphers.size() < 2 || ciphers.size() % 2 != 0)
        return fail(Verdict::Malformed, "a bad cipher suite list");
    if (compression.empty())
        return fail(Verdict::Malformed, "no compression method");
    if (!c.atEnd()) {
        const auto extensions = c.prefixed(2);
        if (c.failed() || !c.atEnd())
            return fail(Verdict::Malformed, "the extensions do not fill the ClientHello");
        if (!parseExtensions(extensions))
            return m_verdict;
    }
    m_verdict = Verdict::Hello;
    return m_verdict;
}

bool ClientHelloReader::parseExtensions(std::string_view extensions) {
    Cursor c(extensions);
    std::array<std::uint16_t, 64> seen{}; // extension types seen (a hello has a few dozen at most)
    std::size_t seenCount = 0;
    while (!c.atEnd()) {
        const auto type = static_cast<std::uint16_t>(c.number(2));
        const auto data = c.prefixed(2);
        if (c.failed()) {
            fail(Verdict::Malformed, "a truncated extension");
            return false;
        }
        if (std::find(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(seenCount), type) !=
            seen.begin() + static_cast<std::ptrdiff_t>(seenCount)) {
            fail(Verdict::Malformed, "extension " + std::to_string(type) + " appears twice");
            return false;
        }
        if (seenCount == seen.size()) {
            fail(Verdict::Malformed, "more than 64 extensions");
            return false;
        }
        seen[seenCount++] = type;
        if (type == kServerNameExtension) {
            Cursor names(data);
            Cursor list(names.prefixed(2));
            if (names.failed() || !names.atEnd()) {
                fail(Verdict::Malformed, "a bad server_name list");
                return false;
            }
            bool haveHost = false;
            while (!list.atEnd()) {
                const auto nameType = list.number(1);
                const auto name = list.prefixed(2);
                if (list.failed() || name.empty()) {
                    fail(Verdict::Malformed, "a bad server_name entry");
                    return false;
                }
                if (nameType != 0 || haveHost)
                    continue; // RFC 6066: one host_name; other types are not defined
                if (name.size() > kMaxHostName || name.find('\0') != std::string_view::npos) {
                    fail(Verdict::Malformed,
                         "a server name that TLS libraries refuse (NUL or over 255 bytes)");
                    return false;
                }
                haveHost = true;
                m_serverName.resize(name.size());
                std::transform(name.begin(), name.end(), m_serverName.begin(), lowerAscii);
            }
        } else if (type == kAlpnExtension) {
            Cursor outer(data);
            Cursor list(outer.prefixed(2));
            if (outer.failed() || !outer.atEnd()) {
                fail(Verdict::Malformed, "a bad ALPN list");
                return false;
            }
            while (!list.atEnd()) {
                const auto protocol = list.prefixed(1);
                if (list.failed() || protocol.empty()) {
                    fail(Verdict::Malformed, "a bad ALPN protocol name");
                    return false;
                }
                m_alpn.emplace_back(protocol);
            }
        }
    }
    return true;
}

} // namespace sluice::proxy
