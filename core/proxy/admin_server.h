// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "admin_pages.h"
#include "http1_request_parser.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sluice::proxy {

struct AdminOptions {
    std::string address = "127.0.0.1";                ///< loopback unless the user asks for more
    std::uint16_t port = 15000;                       ///< 0: an ephemeral port (tests); port() tells which
    HeadLimits limits;                                ///< as the proxy's: 60 KiB, 100 headers
    std::chrono::milliseconds requestTimeout{10'000}; ///< a whole request must arrive within it
    std::size_t maxConnections = 64;
};

/// The admin endpoint (`sluice serve --admin 127.0.0.1:15000`): a small HTTP/1.1 server on its
/// own thread and event loop, answering with AdminPages. The same request parser and limits as the
/// proxy (oversized or malformed requests get 431/400 and the connection closes); keep-alive; no
/// request bodies (a request with one is answered, then the connection closes).
class AdminServer {
public:
    /// `pages` must outlive the server.
    AdminServer(AdminOptions options, const AdminPages& pages);
    ~AdminServer(); ///< stops
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    /// Binds and starts the thread. Empty on success, else why (address in use...).
    [[nodiscard]] std::string start();
    void stop();
    [[nodiscard]] std::uint16_t port() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

/// "127.0.0.1:15000" -> {address, port}; false when it is not host:port with an IP address.
[[nodiscard]] bool parseAdminAddress(std::string_view text, AdminOptions& options);

} // namespace sluice::proxy
