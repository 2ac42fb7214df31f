// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asio_executor.h"

// Internal to core/proxy: includes Asio's socket and OpenSSL.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <openssl/ssl.h>

namespace sluice::proxy {

/// The server side of a TLS connection over a TCP socket, driven one step at a time: OpenSSL
/// reads and writes the socket itself (through a BIO of ours that calls recv and send on the
/// descriptor without blocking), and a step that cannot finish says which readiness it waits for.
/// ClientStream waits for that readiness with the socket's async_wait and tries again.
///
/// Why not Asio's ssl::stream: its engine moves every record through a BIO pair and buffers of
/// its own, and clears OpenSSL's error queue around every call. Measured on HTTP/1.1 over TLS
/// (callgrind, 20,000 requests): about 6,000 of the 46,000 instructions a request cost were
/// that engine, not OpenSSL; HAProxy's whole TLS request took 45,900.
///
/// OpenSSL's error queue: a step that fails leaves it empty (SSL_get_error reads it, and a stale
/// entry would turn the next connection's "want read" into a failure).
class TlsConnection {
public:
    using Socket = TcpSocket;

    enum class Want : std::uint8_t { Nothing, Readable, Writable };
    /// What a step did: `bytes` moved, or the readiness to wait for before trying it again, or
    /// the error that ended it (boost::asio::error::eof for the peer's close_notify,
    /// boost::asio::ssl::error::stream_truncated for a connection closed without one).
    struct Step {
        std::size_t bytes = 0;
        Want want = Want::Nothing;
        boost::system::error_code error;
    };

    /// TLS with `context` over `socket`; `alreadyRead` (the ClientHello the proxy read to pick the
    /// filter chain) is handed to the handshake before anything read from the socket. Null when
    /// OpenSSL cannot make the connection (out of memory).
    [[nodiscard]] static std::unique_ptr<TlsConnection> make(Socket socket, SSL_CTX* context,
                                                             std::string alreadyRead);
    ~TlsConnection();
    TlsConnection(const TlsConnection&) = delete;
    TlsConnection& operator=(const TlsConnection&) = delete;

    [[nodiscard]] Socket& socket() { return m_socket; }
    [[nodiscard]] SSL* native_handle() { return m_ssl; }

    Step handshake();
    Step read(void* data, std::size_t size);
    /// One record at most per call (partial writes are on): `bytes` says how much of `data` went.
    /// After Want::Writable, the same bytes must be offered again.
    Step write(const void* data, std::size_t size);
    /// Sends close_notify, then waits for the peer's.
    Step shutdown();

private:
    TlsConnection(Socket socket, SSL* ssl, std::string alreadyRead);
    Step result(int ret, std::size_t bytes);

    friend struct TlsSocketBio;
    Socket m_socket;
    SSL* m_ssl;
    std::string m_replay;       ///< bytes read before the handshake, handed to it first
    std::size_t m_replayed = 0; ///< how many of them OpenSSL has taken
    int m_socketError = 0;      ///< errno of the recv or send that failed
    bool m_peerEnded = false;   ///< a recv saw the peer's FIN
};

} // namespace sluice::proxy
