// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::proxy {

/// Finds the SNI (and ALPN list) of a TLS ClientHello in the first bytes a client sends, before
/// any TLS library sees them, the way Envoy's tls_inspector listener filter does: the proxy must
/// know the server name to pick a filter chain (terminate here, or pass the bytes through).
///
/// Fed everything received so far, it reassembles the handshake message across TLS records and
/// parses only what it needs, checking every length against its bounds: truncated, oversized,
/// fragmented or hostile input ends in NeedMore, Malformed, TooLarge or NotTls, never in a read
/// past the data. Work is proportional to the new bytes of each call (a client trickling one byte
/// at a time does not make it quadratic). Plain C++, no TLS library.
class ClientHelloReader {
public:
    /// Envoy's tls_inspector default for max_client_hello_size.
    static constexpr std::size_t kDefaultMaxHelloBytes = 64 * 1024;

    enum class Verdict : std::uint8_t {
        NeedMore,  ///< a ClientHello so far: call again with more bytes
        Hello,     ///< a complete ClientHello: serverName() and alpn() are set
        NotTls,    ///< the client does not start a TLS handshake (plaintext, SSLv2...)
        Malformed, ///< TLS records, but not a well-formed ClientHello
        TooLarge,  ///< the ClientHello exceeds the size limit
    };

    explicit ClientHelloReader(std::size_t maxHelloBytes = kDefaultMaxHelloBytes);

    /// Examines `received`: every byte of the connection so far (the previous call's bytes
    /// followed by new ones). Once a verdict other than NeedMore is given it stays.
    Verdict read(std::string_view received);

    /// The host_name of the server_name extension, lower-cased; empty when the client sent none.
    [[nodiscard]] const std::string& serverName() const { return m_serverName; }
    /// The ALPN protocol names the client offers, in its order.
    [[nodiscard]] const std::vector<std::string>& alpn() const { return m_alpn; }
    /// Why the verdict is Malformed / NotTls / TooLarge (for logs and tests).
    [[nodiscard]] const std::string& problem() const { return m_problem; }

private:
    Verdict fail(Verdict verdict, std::string problem);
    /// Appends the next whole record's payload; false when it is not all there yet (the verdict
    /// stays NeedMore) or is not a handshake record (the verdict says why).
    bool takeRecord(std::string_view received);
    Verdict parseHello(std::string_view body);
    bool parseExtensions(std::string_view extensions);

    std::size_t m_maxHelloBytes;
    std::size_t m_recordsEnd = 0; ///< bytes of `received` already taken as whole records
    std::string m_handshake;      ///< handshake-layer bytes reassembled from the records
    Verdict m_verdict = Verdict::NeedMore;
    std::string m_serverName;
    std::vector<std::string> m_alpn;
    std::string m_problem;
};

} // namespace sluice::proxy
