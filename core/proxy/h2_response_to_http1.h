// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_response_parser.h"
#include "http2_header_block.h"

#include <cstdint>

namespace sluice::proxy {

/// How the body of a response goes on to an HTTP/1.x client.
enum class Http1BodyFraming : std::uint8_t {
    None,       ///< no body (HEAD, 1xx, 204, 304, a response that ended with its HEADERS)
    Length,     ///< the upstream's content-length, bytes passed as they come
    Chunked,    ///< chunked transfer-encoding (an HTTP/1.1 client, no content-length)
    UntilClose, ///< an HTTP/1.0 client and no content-length: the connection's end ends the body
};

/// The HTTP/1.1 response an HTTP/1.x client gets for the HEADERS of an HTTP/2 upstream (a
/// gRPC / HTTP2 cluster), framed as Envoy's HTTP/1 codec frames it
/// (StreamEncoderImpl::encodeHeadersBase): pseudo-headers and connection-specific fields
/// dropped, the upstream's x-envoy-upstream-service-time too (ResponseHeadWriter writes the
/// gateway's own); a content-length is kept; without one a body is chunked for HTTP/1.1 and
/// ends with the connection for HTTP/1.0; a response that ended with its HEADERS gets
/// `content-length: 0` (not to HEAD); 1xx, 204 and 304 get no framing at all; HEAD keeps the
/// informational `transfer-encoding: chunked` Envoy sends but no body.
struct H2ResponseToHttp1 {
    struct Shape {
        bool toHead = false;    ///< the request was HEAD
        bool endStream = false; ///< the response HEADERS carried END_STREAM
        int clientVersion = 11; ///< 10 or 11: the client's HTTP version
    };

    /// Fills `out` (its field views point into `upstream`, which must outlive it; its vector's
    /// memory is reused) and returns the body's framing. ResponseHeadWriter::write then writes it.
    static Http1BodyFraming convert(const Http2HeaderBlock& upstream, const Shape& shape, ResponseHead& out);
};

} // namespace sluice::proxy
