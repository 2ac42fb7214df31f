// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the load engine sends: one request per slot, as HTTP/1.1 bytes or as HTTP/2 parts.

#include "routing/request.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::traffic {

/// One request ready to send. Views into its source's storage: valid until the source renders
/// the next request (one in flight per render call; the engine copies nothing).
struct RenderedRequest {
    std::string_view http1; ///< the whole HTTP/1.1 request (head and body)
    std::string_view method;
    std::string_view scheme; ///< "http" / "https" (HTTP/2 :scheme)
    std::string_view authority;
    std::string_view path;
    const std::vector<std::pair<std::string, std::string>>* headers = nullptr; ///< lowercase names
    std::string_view body;
    bool head = false;             ///< HEAD: the response has no body whatever it says
    std::uint32_t sourceIndex = 0; ///< profile template / recorded request
};

/// Renders the request of a slot. One instance per connection (never shared between threads or
/// connections), so a rendered request stays valid while it is in flight on that connection.
class RequestSource {
public:
    virtual ~RequestSource() = default;
    /// The request of slot `slot` (the run's sequence number: 0, 1, 2...).
    virtual const RenderedRequest& render(std::uint64_t slot) = 0;
};

/// Makes one RequestSource per connection; `seed` differs per connection.
class RequestSourceFactory {
public:
    virtual ~RequestSourceFactory() = default;
    [[nodiscard]] virtual std::unique_ptr<RequestSource> make(std::uint64_t seed) const = 0;
};

/// Builds an HTTP/1.1 request: request line, Host, `headers`, content-length when there is a body
/// (or the method is POST, PUT or PATCH), the body.
void appendHttp1Request(std::string& out, std::string_view method, std::string_view path,
                        std::string_view authority,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        std::string_view body);

/// The request the gateway routes when `rendered` arrives on Gateway port `gatewayPort` (TLS when
/// `tls`): its method, authority, path and headers. Fills `out`, reusing its storage. What
/// `sluice load` sends and what `sluice simulate` and the expected split route are the same
/// rendering (ProfileSource) turned into a routing request here, in one place.
void fillRoutingRequest(const RenderedRequest& rendered, std::uint32_t gatewayPort, bool tls,
                        routing::Request& out);

} // namespace sluice::traffic
