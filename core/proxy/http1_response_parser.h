// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_request_parser.h"

#include <cstdint>
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
/// bytes can be forwarded. Knows which responses have no body (to HEAD, 1xx, 204, 304). Every
/// body byte given to parseBody() is taken (chunk framing included) until the body ends, so a
/// chunk line split across reads needs nothing kept by the caller. Refuses what a proxy must
/// not guess about: bare LF, obs-fold, bad names or values, conflicting Content-Length, both
/// Content-Length and Transfer-Encoding, codings after chunked.
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
    /// parseHead() past interim answers: each complete 1xx head other than 101 is taken off the
    /// front of the `used` bytes at `data` (`used` shrinks) and the next head is read. A gateway
    /// that answered the client's Expect itself keeps an upstream's 100 Continue to itself.
    Step parseFinalHead(char* data, std::size_t& used);
    Step parseBody(std::string_view data);
    /// The upstream closed: completes a close-delimited body; Failed for any other unfinished one.
    Progress finishAtEof();
    void reset();

    [[nodiscard]] const ResponseHead& head() const { return m_head; }
    [[nodiscard]] const std::string& error() const { return m_error; }
    [[nodiscard]] const std::vector<HeaderField>& trailers() const { return m_trailers; }

private:
    enum class Framing : std::uint8_t { None, Length, Chunked, UntilClose };
    enum class ChunkState : std::uint8_t { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailers };

    Step fail(std::string why);
    bool parseStatusLine(std::string_view line);
    Step parseChunked(std::string_view data);
    /// The fields of the complete trailer section in m_trailerBytes; empty, or what is wrong.
    std::string parseTrailers();

    HeadLimits m_limits;
    ResponseHead m_head;
    std::vector<HeaderField> m_trailers; ///< views into m_trailerBytes
    std::string m_trailerBytes;
    std::string m_error;
    bool m_toHead = false;
    bool m_headDone = false;
    bool m_transferEncoded = false;
    Framing m_framing = Framing::None;
    std::uint64_t m_remaining = 0; ///< of the body (Length) or of the chunk (Chunked)
    ChunkState m_chunk = ChunkState::Size;
    bool m_sizeDigits = false;
    std::size_t m_extensionBytes = 0;
    bool m_bodyDone = false;
};

} // namespace sluice::proxy
