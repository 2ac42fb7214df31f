// SPDX-License-Identifier: Apache-2.0
// A response-head and body-framing parser of our own: Beast's basic_parser validated every byte
// through several layers and looked every field name up twice, which made reading an upstream's
// head the largest single cost of a proxied request. This one reads a head in one pass (a name
// by table lookups up to its colon, a value by the scan that finds its CR), and consumes every
// body byte it is given (chunk framing included), keeping its own state between calls.

#include "http1_response_parser.h"

#include "header_names.h"
#include "http_chars.h"

#include <array>
#include <charconv>
#include <cstring>

namespace sluice::proxy {
namespace {

bool allOf(std::string_view s, const std::array<bool, 256>& table) {
    for (const char c : s)
        if (!table[static_cast<unsigned char>(c)])
            return false;
    return true;
}

bool validValue(std::string_view value) {
    return fieldTextEnd<true>(value, 0) == value.size();
}

/// The comma-separated elements of a list-valued field, trimmed, empty ones skipped.
template <class F> void forEachElement(std::string_view value, F&& f) {
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        const std::string_view element = trimOws(value.substr(0, comma));
        if (!element.empty())
            f(element);
        value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
    }
}

} // namespace

Http1ResponseParser::Http1ResponseParser(HeadLimits limits)
    : m_limits(limits) {
    // A parser often lives for one response (an HTTP/2 stream's exchange): room for a typical
    // head at once, not four allocations as the field list grows.
    m_head.fields.reserve(16);
}

Http1ResponseParser::~Http1ResponseParser() = default;

void Http1ResponseParser::reset() {
    m_head.fields.clear();
    m_head = ResponseHead{0, {}, 11, std::move(m_head.fields), {}, false, true, false};
    m_trailers.clear();
    m_trailerBytes.clear();
    m_error.clear();
    m_headDone = false;
    m_transferEncoded = false;
    m_framing = Framing::None;
    m_remaining = 0;
    m_chunk = ChunkState::Size;
    m_sizeDigits = false;
    m_extensionBytes = 0;
    m_bodyDone = false;
}

Http1ResponseParser::Step Http1ResponseParser::fail(std::string why) {
    m_error = std::move(why);
    return {Progress::Failed, 0};
}

Http1ResponseParser::Step Http1ResponseParser::parseHead(std::string_view data) {
    // One pass: each line's end is found by the scan that validates its text (fieldTextEnd). A
    // head not complete yet is parsed again from its start when more has arrived (heads usually
    // come in one read).
    m_head.fields.clear();
    m_head.contentLength.reset();
    m_head.chunked = false;
    m_transferEncoded = false;
    const std::size_t size = data.size();
    const auto incomplete = [&] {
        if (size > m_limits.maxHeaderBytes)
            return fail("response headers too large");
        return Step{Progress::NeedMore, 0};
    };
    const auto badLineEnding = [&] {
        return fail("malformed response: bad line ending");
    };
    // The CR ending the text that starts at `from`, checked: npos with `step` set when there is
    // none yet (more to come) or the line is malformed (`what` names the text).
    Step step{};
    const auto lineEnd = [&](std::size_t from, const char* what) {
        const std::size_t end = fieldTextEnd<true>(data, from);
        if (end == size || (data[end] == '\r' && end + 1 == size))
            step = incomplete();
        else if (data[end] == '\n')
            step = badLineEnding();
        else if (data[end] != '\r' || data[end + 1] != '\n')
            step = fail(what);
        else
            return end;
        return std::string_view::npos;
    };
    std::size_t at = lineEnd(0, "malformed response: bad status line");
    if (at == std::string_view::npos)
        return step;
    if (!parseStatusLine(data.substr(0, at)))
        return fail("malformed response: bad status line");
    at += 2;
    bool close = false, keepAliveToken = false;
    for (;;) {
        if (at > m_limits.maxHeaderBytes) // checked after every line, as after the blank one
            return fail("response headers too large");
        if (at == size)
            return incomplete();
        const char first = data[at];
        if (first == '\r') { // the blank line: the end of the head
            if (at + 1 == size)
                return incomplete();
            if (data[at + 1] != '\n')
                return badLineEnding();
            at += 2;
            break;
        }
        if (first == ' ' || first == '\t') // obs-fold: RFC 9112 lets a proxy refuse it
            return fail("malformed response: obsolete line folding");
        std::size_t colon = at; // the name's bytes are checked on the way to the colon
        while (colon < size && kTokenChar[static_cast<unsigned char>(data[colon])])
            ++colon;
        if (colon == size)
            return incomplete();
        if (data[colon] == '\n')
            return badLineEnding();
        if (colon == at || data[colon] != ':')
            return fail("malformed response: bad field name");
        std::size_t valueStart = colon + 1;
        while (valueStart < size && (data[valueStart] == ' ' || data[valueStart] == '\t'))
            ++valueStart;
        const std::size_t cr = lineEnd(valueStart, "malformed response: bad field value");
        if (cr == std::string_view::npos)
            return step;
        std::size_t valueEnd = cr;
        while (valueEnd > valueStart && (data[valueEnd - 1] == ' ' || data[valueEnd - 1] == '\t'))
            --valueEnd;
        const std::string_view name = data.substr(at, colon - at);
        const std::string_view value = data.substr(valueStart, valueEnd - valueStart);
        at = cr + 2;
        if (m_head.fields.size() >= m_limits.maxHeaders)
            return fail("too many response headers");
        const KnownHeader known = classifyHeader(name);
        m_head.fields.push_back({name, value, known});
        if (known == KnownHeader::ContentLength) {
            std::uint64_t length = 0;
            const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
            if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size() ||
                (m_head.contentLength && *m_head.contentLength != length))
                return fail("malformed response: bad Content-Length");
            m_head.contentLength = length;
        } else if (known == KnownHeader::TransferEncoding) {
            bool last = false;
            bool bad = false;
            forEachElement(value, [&](std::string_view coding) {
                bad = bad || m_head.chunked; // nothing may follow chunked
                last = headerNameIs(coding, "chunked");
                bad = bad || !allOf(coding.substr(0, coding.find(';')), kTokenChar);
                m_head.chunked = m_head.chunked || last;
            });
            if (bad)
                return fail("malformed response: bad Transfer-Encoding");
            m_transferEncoded = true;
        } else if (known == KnownHeader::Connection) {
            forEachElement(value, [&](std::string_view token) {
                close = close || headerNameIs(token, "close");
                keepAliveToken = keepAliveToken || headerNameIs(token, "keep-alive");
            });
        }
    }
    if (at > m_limits.maxHeaderBytes)
        return fail("response headers too large");
    if (m_transferEncoded && m_head.contentLength) // a smuggling shape: never guess which one wins
        return fail("malformed response: both Content-Length and Transfer-Encoding");
    const int status = m_head.status;
    const bool bodyless = m_toHead || (status >= 100 && status < 200) || status == 204 || status == 304;
    if (bodyless) {
        m_framing = Framing::None;
        m_head.chunked = false;
    } else if (m_head.chunked) {
        m_framing = Framing::Chunked;
    } else if (m_transferEncoded) {
        m_framing = Framing::UntilClose; // a coding other than chunked last: the body ends at close
    } else if (m_head.contentLength) {
        m_framing = Framing::Length;
        m_remaining = *m_head.contentLength;
    } else {
        m_framing = Framing::UntilClose;
    }
    m_head.closeDelimited = m_framing == Framing::UntilClose;
    m_head.keepAlive = !m_head.closeDelimited && (m_head.version == 11 ? !close : keepAliveToken && !close);
    m_bodyDone = m_framing == Framing::None || (m_framing == Framing::Length && m_remaining == 0);
    m_headDone = true;
    return {Progress::Done, at};
}

Http1ResponseParser::Step Http1ResponseParser::parseFinalHead(char* data, std::size_t& used) {
    Step step = parseHead({data, used});
    while (step.progress == Progress::Done && m_head.informational() && m_head.status != 101) {
        std::memmove(data, data + step.consumed, used - step.consumed);
        used -= step.consumed;
        reset();
        step = parseHead({data, used});
    }
    return step;
}

bool Http1ResponseParser::parseStatusLine(std::string_view line) {
    // HTTP-version SP status-code [SP reason-phrase]; a missing SP before an empty reason is
    // accepted, as Envoy's parser does.
    if (line.size() < 12 || !line.starts_with("HTTP/1.") || (line[7] != '0' && line[7] != '1') ||
        line[8] != ' ')
        return false;
    m_head.version = line[7] == '1' ? 11 : 10;
    int status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9')
            return false;
        status = status * 10 + (line[i] - '0');
    }
    if (status < 100)
        return false;
    m_head.status = status;
    if (line.size() == 12) {
        m_head.reason = {};
        return true;
    }
    if (line[12] != ' ') // the reason's bytes were checked with the line's
        return false;
    m_head.reason = line.substr(13);
    return true;
}

Http1ResponseParser::Step Http1ResponseParser::parseBody(std::string_view data) {
    if (!m_headDone)
        return fail("response body before its head");
    switch (m_framing) {
    case Framing::None:
        return {Progress::Done, 0};
    case Framing::UntilClose:
        return {Progress::NeedMore, data.size()};
    case Framing::Length: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, data.size()));
        m_remaining -= n;
        m_bodyDone = m_remaining == 0;
        return {m_bodyDone ? Progress::Done : Progress::NeedMore, n};
    }
    case Framing::Chunked:
        break;
    }
    return parseChunked(data);
}

Http1ResponseParser::Step Http1ResponseParser::parseChunked(std::string_view data) {
    std::size_t i = 0;
    while (i < data.size() && !m_bodyDone) {
        const char c = data[i];
        switch (m_chunk) {
        case ChunkState::Size: {
            const int digit = c >= '0' && c <= '9'   ? c - '0'
                              : c >= 'a' && c <= 'f' ? c - 'a' + 10
                              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                     : -1;
            if (digit >= 0) {
                if (m_remaining >> 56) // past 2^60 bytes: no real chunk, an overflow attempt
                    return fail("malformed response body: chunk size too large");
                m_remaining = m_remaining * 16 + static_cast<std::uint64_t>(digit);
                m_sizeDigits = true;
            } else if (m_sizeDigits && (c == ';' || c == ' ' || c == '\t')) {
                m_chunk = ChunkState::Extension;
            } else if (m_sizeDigits && c == '\r') {
                m_chunk = ChunkState::SizeLf;
            } else {
                return fail("malformed response body: bad chunk size");
            }
            ++i;
            break;
        }
        case ChunkState::Extension:
            if (c == '\r')
                m_chunk = ChunkState::SizeLf;
            else if (!kFieldValueChar[static_cast<unsigned char>(c)] ||
                     ++m_extensionBytes > m_limits.maxHeaderBytes)
                return fail("malformed response body: bad chunk extension");
            ++i;
            break;
        case ChunkState::SizeLf:
            if (c != '\n')
                return fail("malformed response body: bad chunk line ending");
            ++i;
            m_sizeDigits = false;
            m_chunk = m_remaining == 0 ? ChunkState::Trailers : ChunkState::Data;
            break;
        case ChunkState::Data: {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, data.size() - i));
            i += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_chunk = ChunkState::DataCr;
            break;
        }
        case ChunkState::DataCr:
        case ChunkState::DataLf:
            if (c != (m_chunk == ChunkState::DataCr ? '\r' : '\n'))
                return fail("malformed response body: chunk data not followed by CRLF");
            ++i;
            m_chunk = m_chunk == ChunkState::DataCr ? ChunkState::DataLf : ChunkState::Size;
            break;
        case ChunkState::Trailers:
            // The trailer section, kept until its empty line: its fields are views into it.
            m_trailerBytes += c;
            ++i;
            if (m_trailerBytes.size() > m_limits.maxHeaderBytes)
                return fail("response trailers too large");
            if (m_trailerBytes == "\r\n" || m_trailerBytes.ends_with("\r\n\r\n")) {
                if (std::string error = parseTrailers(); !error.empty())
                    return fail(std::move(error));
                m_bodyDone = true;
            } else if (c == '\n' && (m_trailerBytes.size() < 2 || m_trailerBytes.end()[-2] != '\r')) {
                return fail("malformed response body: bad trailer line ending");
            }
            break;
        }
    }
    return {m_bodyDone ? Progress::Done : Progress::NeedMore, i};
}

std::string Http1ResponseParser::parseTrailers() {
    std::string_view rest(m_trailerBytes);
    rest.remove_suffix(2); // the empty line
    while (!rest.empty()) {
        const std::size_t lf = rest.find('\n');
        const std::string_view line = rest.substr(0, lf - 1);
        rest.remove_prefix(lf + 1);
        const std::size_t colon = line.find(':');
        const std::string_view name = line.substr(0, colon);
        if (colon == std::string_view::npos || name.empty() || !allOf(name, kTokenChar) ||
            !validValue(line.substr(colon + 1)))
            return "malformed response body: bad trailer field";
        if (m_trailers.size() >= m_limits.maxHeaders)
            return "too many response trailers";
        m_trailers.push_back({name, trimOws(line.substr(colon + 1)), classifyHeader(name)});
    }
    return {};
}

Http1ResponseParser::Progress Http1ResponseParser::finishAtEof() {
    if (m_bodyDone)
        return Progress::Done;
    if (m_headDone && m_framing == Framing::UntilClose) {
        m_bodyDone = true;
        return Progress::Done;
    }
    m_error =
        m_headDone ? "upstream closed mid-response: partial message" : "upstream closed before a response";
    return Progress::Failed;
}

} // namespace sluice::proxy
