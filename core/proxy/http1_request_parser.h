// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "header_names.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::proxy {

struct HeaderField {
    std::string_view name;
    std::string_view value;
    KnownHeader known = KnownHeader::Other;
};

/// A request head as views into the connection's read buffer: valid until that buffer is
/// compacted or the parser is reset. Nothing is copied on the hot path.
struct RequestHead {
    std::string_view method;
    std::string_view target; ///< origin-form "/p?q", or absolute-form "http://h/p" as sent
    int version = 11;        ///< 10 or 11
    std::vector<HeaderField> fields;
    std::string_view host; ///< the Host header, or the authority of an absolute-form target
    std::optional<std::uint64_t> contentLength;
    bool chunked = false;
    bool keepAlive = true;
    bool upgrade = false;        ///< Connection: upgrade with an Upgrade header (WebSocket)
    bool expectContinue = false; ///< Expect: 100-continue

    [[nodiscard]] bool hasBody() const { return chunked || contentLength.value_or(0) > 0; }
};

/// Bounds on what one request head may hold (Envoy's defaults: 60 KiB, 100 headers).
struct HeadLimits {
    std::uint32_t maxHeaderBytes = 60 * 1024;
    std::size_t maxHeaders = 100;
};

/// Why a request was refused before routing, as the status the client gets.
struct HeadError {
    int status =
        0; ///< 0: none; 400 malformed or smuggling shape, 431 too large, 501 unknown coding, 505 version
    std::string reason;
};

/// Finds HTTP/1.1 message boundaries in a connection's byte stream: the head (as views) and then
/// the body, chunked or sized, which it only measures so the proxy can forward the raw bytes
/// untouched. Rejects what request smuggling relies on: Content-Length with Transfer-Encoding,
/// conflicting lengths, codings other than chunked, bytes that are not HTTP. One per connection;
/// reset() between requests reuses its memory.
class Http1RequestParser {
public:
    explicit Http1RequestParser(HeadLimits limits = {});
    ~Http1RequestParser();
    Http1RequestParser(const Http1RequestParser&) = delete;
    Http1RequestParser& operator=(const Http1RequestParser&) = delete;

    enum class Progress { NeedMore, Done, Failed };

    struct Step {
        Progress progress = Progress::NeedMore;
        std::size_t consumed = 0; ///< bytes of `data` that belong to this message part
    };

    /// Parses the head from the start of `data` (everything the connection has buffered and not
    /// consumed). Done: head() is valid and `consumed` is the head's length.
    Step parseHead(std::string_view data);
    /// After the head: measures body bytes at the start of `data`. Done once the body (with a
    /// chunked body's trailers) is complete; bytes past it belong to the next request.
    Step parseBody(std::string_view data);
    /// Forget the message; the next parseHead starts a new one.
    void reset();

    [[nodiscard]] const RequestHead& head() const { return m_head; }
    [[nodiscard]] const HeadError& error() const { return m_error; }
    /// Trailers of a chunked body (views into the data passed to the last parseBody).
    [[nodiscard]] const std::vector<HeaderField>& trailers() const { return m_trailers; }

private:
    class Engine;
    void fail(int status, std::string reason);
    void clearHead();
    /// The common head (request line, plain fields, no body, no upgrade), read without the
    /// engine: false when it is anything else, for the engine to judge.
    bool parsePlainHead(std::string_view data, std::size_t& used);
    /// Checks shared by both readings once the head is parsed (absolute-form authority, Host).
    Step checkHead(std::size_t used);

    HeadLimits m_limits;
    std::unique_ptr<Engine> m_engine;
    RequestHead m_head;
    std::vector<HeaderField> m_trailers;
    HeadError m_error;
    bool m_transferEncoding = false; ///< a Transfer-Encoding header was present
    bool m_headDone = false;
    bool m_engineUsed = false; ///< the engine has seen this message (else parsePlainHead read it)
    friend class Engine;
};

} // namespace sluice::proxy
