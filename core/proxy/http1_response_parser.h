// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_request_parser.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::proxy {

/// A response head as views into the upstream connection's read buffer.
struct ResponseHead {
    int status = 0;
    std::string_view reason;
    int version = 11;
    std::vector<HeaderField> fields;
    std::optional<std::uint64_t> contentLength;
    bool chunked = false;
    bool keepAlive = true;
    /// The body ends when the upstream closes (no length, not chunked): the connection cannot be
    /// reused and the downstream must be told the same way.
    bool closeDelimited = false;

    [[nodiscard]] bool informational() const { return status >= 100 && status < 200; }
};

/// Finds message boundaries in an upstream's byte stream, as Http1RequestParser does for
/// clients: the head as views, then the body measured (sized, chunked or until close) so the raw
/// bytes can be forwarded. Knows which responses have no body (to HEAD, 1xx, 204, 304).
class Http1ResponseParser {
public:
    explicit Http1ResponseParser(HeadLimits limits = {});
    ~Http1ResponseParser();
    Http1ResponseParser(const Http1ResponseParser&) = delete;
    Http1ResponseParser& operator=(const Http1ResponseParser&) = delete;

    using Progress = Http1RequestParser::Progress;
    using Step = Http1RequestParser::Step;

    /// `toHead`: the request was HEAD, so the response has no body whatever its headers say.
    void expect(bool toHead) { m_toHead = toHead; }
    Step parseHead(std::string_view data);
    Step parseBody(std::string_view data);
    /// The upstream closed: completes a close-delimited body; Failed for any other unfinished one.
    Progress finishAtEof();
    void reset();

    [[nodiscard]] const ResponseHead& head() const { return m_head; }
    [[nodiscard]] const std::string& error() const { return m_error; }
    [[nodiscard]] const std::vector<HeaderField>& trailers() const { return m_trailers; }

private:
    class Engine;

    HeadLimits m_limits;
    std::unique_ptr<Engine> m_engine;
    ResponseHead m_head;
    std::vector<HeaderField> m_trailers;
    std::string m_error;
    bool m_toHead = false;
    bool m_headDone = false;
    friend class Engine;
};

} // namespace sluice::proxy
