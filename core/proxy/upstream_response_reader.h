// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "http1_response_parser.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

/// Reads one HTTP/1.1 response to its end from an upstream connection, as an HTTP client (the
/// sidecar of a simulated workload) does: the head, skipping interim 1xx answers, then the body,
/// framed by Http1ResponseParser and kept up to a limit.
class UpstreamResponseReader {
public:
    static constexpr std::size_t kMaxKeptBody = 1024 * 1024;

    struct Response {
        bool received = false; ///< any byte arrived (none: a stale keep-alive connection, maybe)
        bool head = false;     ///< a final response head arrived
        bool complete = false; ///< and its body to the end
        bool reusable = false; ///< the connection may carry another request
        int status = 0;
        std::string workload; ///< x-sluice-workload
        bool json = false;    ///< content-type says JSON
        bool chunked = false; ///< the kept body is the chunked framing, not the document
        std::string body;     ///< up to kMaxKeptBody bytes; empty past it
    };

    /// Reads from `socket` until the response ended, the connection broke, or its operations were
    /// cancelled (a timeout).
    [[nodiscard]] Awaitable<Response> read(TcpSocket& socket);

private:
    Http1ResponseParser m_parser;
    std::string m_in = std::string(16 * 1024, '\0');
};

} // namespace sluice::proxy
