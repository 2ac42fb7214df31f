// SPDX-License-Identifier: Apache-2.0
#include "http1_request_parser.h"

// Beast stays in the .cpp files: only the boundary-finding basic_parser is used, never Beast's
// message containers (they copy every header; see issue 5's measurements).
#include "http1_boundary_engine.h"
#include "http_chars.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

namespace sluice::proxy {
namespace {

namespace http = boost::beast::http;
using boost::beast::error_code;
using boost::beast::string_view;

std::string_view sv(string_view s) {
    return {s.data(), s.size()};
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] | 0x20) != (b[i] | 0x20))
            return false;
    return true;
}

/// The authority of an absolute-form target ("http://host:8080/p" -> "host:8080"), else empty.
std::string_view absoluteFormAuthority(std::string_view target) {
    const auto scheme = target.find("://");
    if (scheme == std::string_view::npos || target.front() == '/')
        return {};
    const std::string_view rest = target.substr(scheme + 3);
    return rest.substr(0, rest.find_first_of("/?#"));
}

/// Beast refuses every version but 1.0 and 1.1 as malformed. A well-formed "HTTP/d.d" that is
/// not one of them is a version we do not speak (505); anything else is a bad request line (400).
bool requestLineHasOtherVersion(std::string_view data) {
    const auto eol = data.find("\r\n");
    if (eol == std::string_view::npos || eol < 9)
        return false;
    const std::string_view v = data.substr(eol - 8, 8);
    const auto digit = [](char c) {
        return c >= '0' && c <= '9';
    };
    return data[eol - 9] == ' ' && v.starts_with("HTTP/") && digit(v[5]) && v[6] == '.' && digit(v[7]);
}

/// The end of a field value: the CR of its line when every byte before it is visible ASCII, a
/// space or a tab; npos for anything else (obs-text, a control byte, a bare LF, the data's end),
/// which the full parser judges.
std::size_t plainValueEnd(std::string_view data, std::size_t at) {
    const std::size_t end = fieldTextEnd<false>(data, at);
    return end < data.size() && data[end] == '\r' ? end : std::string_view::npos;
}

} // namespace

class Http1RequestParser::Engine final : public Http1BoundaryEngine<true> {
public:
    explicit Engine(Http1RequestParser& owner)
        : Http1BoundaryEngine<true>(owner.m_limits.maxHeaderBytes)
        , m_owner(owner) {}

    bool duplicateHost = false;
    std::string_view transferEncoding;

private:
    void on_request_impl(http::verb, string_view method, string_view target, int version,
                         error_code&) override {
        RequestHead& h = m_owner.m_head;
        h.method = sv(method);
        h.target = sv(target);
        h.version = version;
    }

    void on_response_impl(int, string_view, int, error_code&) override {}

    void on_field_impl(http::field f, string_view name, string_view value, error_code& ec) override {
        const std::string_view v = sv(value);
        RequestHead& h = m_owner.m_head;
        const FieldFate fate =
            admitField(v, m_owner.m_headDone, h.fields.size(), m_owner.m_limits.maxHeaders, ec);
        if (fate == FieldFate::Trailer)
            m_owner.m_trailers.push_back({sv(name), v});
        if (fate != FieldFate::Head)
            return;
        switch (f) {
        case http::field::host:
            if (!h.host.empty()) {
                duplicateHost = true;
                ec = http::error::bad_value;
                return;
            }
            h.host = v;
            break;
        case http::field::transfer_encoding:
            transferEncoding = v;
            break;
        case http::field::expect:
            h.expectContinue = equalsIgnoreCase(v, "100-continue");
            break;
        default:
            break;
        }
        h.fields.push_back({sv(name), v, classifyHeader(sv(name))});
    }

    void on_header_impl(error_code&) override {
        RequestHead& h = m_owner.m_head;
        h.keepAlive = keep_alive();
        h.upgrade = upgrade();
        h.chunked = chunked();
        if (const auto length = content_length())
            h.contentLength = *length;
        m_owner.m_headDone = true;
    }

    Http1RequestParser& m_owner;
};

Http1RequestParser::Http1RequestParser(HeadLimits limits)
    : m_limits(limits)
    , m_engine(std::make_unique<Engine>(*this)) {}

Http1RequestParser::~Http1RequestParser() = default;

void Http1RequestParser::reset() {
    if (m_engineUsed) {
        // Same type in the same storage: no allocation per request on a keep-alive connection.
        Engine* engine = m_engine.get();
        std::destroy_at(engine);
        std::construct_at(engine, *this);
        m_engineUsed = false;
    }
    clearHead();
    m_trailers.clear();
    m_error = {};
    m_headDone = false;
}

void Http1RequestParser::clearHead() {
    m_head.fields.clear(); // keeps its capacity through the move below
    m_head = RequestHead{{}, {}, 11, std::move(m_head.fields), {}, {}, false, true, false, false};
}

void Http1RequestParser::fail(int status, std::string reason) {
    m_error = {status, std::move(reason)};
}

bool Http1RequestParser::parsePlainHead(std::string_view data, std::size_t& used) {
    // One pass: a line at a time up to the blank one; any doubt returns false.
    const std::size_t size = std::min<std::size_t>(data.size(), m_limits.maxHeaderBytes);
    data = data.substr(0, size);
    RequestHead& h = m_head;
    const auto token = [&](std::size_t at) {
        while (at < size && kTokenChar[static_cast<unsigned char>(data[at])])
            ++at;
        return at;
    };
    // request-line = method SP request-target SP "HTTP/1." ("0" / "1") CRLF
    std::size_t at = token(0);
    if (at == 0 || at == size || data[at] != ' ')
        return false;
    h.method = data.substr(0, at);
    const std::size_t targetStart = ++at;
    while (at < size && data[at] > ' ' && data[at] < 0x7f)
        ++at;
    if (at == targetStart || size - at < 11 || data[at] != ' ' || data.compare(at + 1, 7, "HTTP/1.") != 0 ||
        (data[at + 8] != '0' && data[at + 8] != '1') || data[at + 9] != '\r' || data[at + 10] != '\n')
        return false;
    h.target = data.substr(targetStart, at - targetStart);
    h.version = data[at + 8] == '1' ? 11 : 10;
    at += 11;
    bool close = false, keepAliveToken = false;
    for (;;) { // each field line, up to the blank one
        if (size - at < 2)
            return false;
        if (data[at] == '\r') {
            if (data[at + 1] != '\n')
                return false;
            break;
        }
        const std::size_t colon = token(at);
        if (colon == at || colon == size || data[colon] != ':' || h.fields.size() >= m_limits.maxHeaders)
            return false;
        std::size_t valueStart = colon + 1;
        while (valueStart < size && (data[valueStart] == ' ' || data[valueStart] == '\t'))
            ++valueStart;
        const std::size_t cr = plainValueEnd(data, valueStart);
        if (cr == std::string_view::npos || cr + 1 == size || data[cr + 1] != '\n')
            return false;
        std::size_t valueEnd = cr;
        while (valueEnd > valueStart && (data[valueEnd - 1] == ' ' || data[valueEnd - 1] == '\t'))
            --valueEnd;
        const std::string_view name = data.substr(at, colon - at);
        const std::string_view value = data.substr(valueStart, valueEnd - valueStart);
        const KnownHeader known = classifyHeader(name);
        switch (known) {
        case KnownHeader::Host:
            if (!h.host.empty())
                return false;
            h.host = value;
            break;
        case KnownHeader::Connection:
            if (equalsIgnoreCase(value, "close"))
                close = true;
            else if (equalsIgnoreCase(value, "keep-alive"))
                keepAliveToken = true;
            else
                return false; // a list, or upgrade: the full parser's reading
            break;
        case KnownHeader::ContentLength:
        case KnownHeader::TransferEncoding:
        case KnownHeader::Expect:
        case KnownHeader::Upgrade:
            return false; // a body, an interim answer or an upgrade: the full parser's business
        default:
            break;
        }
        h.fields.push_back({name, value, known});
        at = cr + 2;
    }
    h.keepAlive = h.version == 11 ? !close : keepAliveToken;
    used = at + 2;
    return true;
}

Http1RequestParser::Step Http1RequestParser::parseHead(std::string_view data) {
    if (!m_engineUsed) {
        // Most requests are a request line and plain fields without a body: read here in one pass.
        // Anything else (a body, an upgrade, obs-text, a malformed byte, an incomplete head) goes
        // to the full parser below, which starts again from the first byte.
        std::size_t used = 0;
        if (parsePlainHead(data, used)) {
            m_headDone = true;
            return checkHead(used);
        }
        clearHead(); // the engine reads the head as if the plain reading had never started
        m_engineUsed = true;
    }
    Engine& e = *m_engine;
    e.input = data;
    error_code ec;
    const std::size_t used = e.put(boost::asio::const_buffer(data.data(), data.size()), ec);
    if (ec == http::error::need_more && !m_headDone)
        return {Progress::NeedMore, 0};
    if (ec && ec != http::error::need_more) {
        if (ec == http::error::header_limit)
            fail(431, e.tooManyFields
                          ? "more than " + std::to_string(m_limits.maxHeaders) + " request headers"
                          : "request headers larger than " + std::to_string(m_limits.maxHeaderBytes / 1024) +
                                " KiB");
        else if (e.obsFold)
            fail(400, "obsolete line folding in a header value");
        else if (e.duplicateHost)
            fail(400, "more than one Host header");
        else if (ec == http::error::bad_version && requestLineHasOtherVersion(data))
            fail(505, "HTTP version not supported");
        else if (ec == http::error::bad_content_length || ec == http::error::bad_transfer_encoding)
            fail(400, "conflicting Content-Length / Transfer-Encoding (" + ec.message() + ")");
        else
            fail(400, "malformed request: " + ec.message());
        return {Progress::Failed, used};
    }
    RequestHead& h = m_head;
    if (h.version != 10 && h.version != 11) {
        fail(505, "HTTP version not supported");
        return {Progress::Failed, used};
    }
    if (!e.transferEncoding.empty() && !h.chunked) {
        // RFC 9112 6.3: a request whose final coding is not chunked has no reliable length.
        fail(400, "Transfer-Encoding without chunked as the final coding");
        return {Progress::Failed, used};
    }
    if (h.chunked && !equalsIgnoreCase(e.transferEncoding, "chunked")) {
        fail(501, "transfer coding \"" + std::string(e.transferEncoding) + "\" is not implemented");
        return {Progress::Failed, used};
    }
    return checkHead(used);
}

Http1RequestParser::Step Http1RequestParser::checkHead(std::size_t used) {
    RequestHead& h = m_head;
    if (const std::string_view authority = absoluteFormAuthority(h.target); !authority.empty())
        h.host = authority; // RFC 9112 3.2.2: the target's authority wins over Host
    if (h.host.empty() && h.version == 11) {
        fail(400, "HTTP/1.1 request without a Host header");
        return {Progress::Failed, used};
    }
    return {Progress::Done, used};
}

Http1RequestParser::Step Http1RequestParser::parseBody(std::string_view data) {
    if (!m_engineUsed)
        return {Progress::Done, 0}; // a plain head declares no body: it has none
    std::string why;
    const Step step = m_engine->measureBody(data, "request", why);
    if (step.progress == Progress::Failed)
        fail(400, why);
    return step;
}

} // namespace sluice::proxy
