// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::proxy {

struct ClientRequest {
    std::string method = "GET";
    std::string target = "/";
    std::string host; ///< the Host header
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct ClientResponse {
    enum class Outcome : std::uint8_t {
        Response, ///< a whole response arrived
        Refused,  ///< nothing listens (connection refused)
        Reset,    ///< the connection closed or reset before a whole response
        Timeout,  ///< no whole response in time
        Error,    ///< anything else (see `error`)
    };
    Outcome outcome = Outcome::Error;
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers; ///< names as received
    std::string body;                                         ///< de-chunked
    std::chrono::microseconds elapsed{0};                     ///< from sending to the whole response
    std::string error;

    /// The first value of a header (name case-insensitive).
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

/// A small blocking HTTP/1.1 client for one server (route tests and tools, not the hot path): one
/// keep-alive connection, reopened when the server closed it; every call bounded by `timeout`.
class Http1Client {
public:
    Http1Client(std::string address, std::uint16_t port, std::chrono::milliseconds timeout);
    ~Http1Client();
    Http1Client(const Http1Client&) = delete;
    Http1Client& operator=(const Http1Client&) = delete;

    [[nodiscard]] ClientResponse send(const ClientRequest& request);

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sluice::proxy
