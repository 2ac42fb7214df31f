// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/traffic (includes Asio and OpenSSL through Asio's ssl): the load engine's
// client connections and what they share: opening a plain or TLS stream with a deadline.

#include "load_worker.h"
#include "proxy/asio_executor.h"

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

namespace sluice::traffic {

using TcpStream = proxy::TcpSocket;
using TlsStream = boost::asio::ssl::stream<proxy::TcpSocket>;

inline TcpStream& lowestLayer(TcpStream& s) {
    return s;
}
inline TcpStream& lowestLayer(TlsStream& s) {
    return s.next_layer();
}

/// Starts one HTTP/1.1 keep-alive connection on `worker` (plain or TLS as the target says).
void spawnHttp1Connection(LoadWorker& worker);
/// Starts one HTTP/2 connection on `worker` carrying up to LoadOptions::streams requests at once.
void spawnH2Connection(LoadWorker& worker);

/// A deadline the worker's ticker enforces: once it passes, `timedOut` is set and the stream's
/// socket closed, so whatever operation is pending fails.
struct StreamDeadline {
    Clock::time_point at = Clock::time_point::max();
    bool timedOut = false;
};

/// Connects `stream` (emplaced anew) to the target: TCP (no delay), then for TLS the handshake
/// with SNI and ALPN ("h2" when `h2`, else "http/1.1"). Empty on success, else why ("connection
/// refused", "connect timeout", "TLS handshake: ...", "the server did not agree to h2 (ALPN)").
proxy::Awaitable<std::string> openStream(LoadWorker& worker, std::optional<TcpStream>& stream,
                                         StreamDeadline& deadline);
proxy::Awaitable<std::string> openStream(LoadWorker& worker, std::optional<TlsStream>& stream,
                                         StreamDeadline& deadline);

/// Closes the socket under `stream` (pending operations fail); nothing when it is not open.
void closeStream(std::optional<TcpStream>& stream);
void closeStream(std::optional<TlsStream>& stream);

/// A failed operation in words: "connection refused", "connection closed by the server",
/// "timeout" (when `timedOut`), else the error's message.
[[nodiscard]] std::string describeFailure(const boost::system::error_code& ec, bool timedOut);

} // namespace sluice::traffic
