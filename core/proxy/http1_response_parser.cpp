// SPDX-License-Identifier: Apache-2.0
#include "http1_response_parser.h"

#include "http1_boundary_engine.h"

#include <memory>

namespace sluice::proxy {
namespace {

namespace http = boost::beast::http;
using boost::beast::error_code;
using boost::beast::string_view;

std::string_view sv(string_view s) {
    return {s.data(), s.size()};
}

} // namespace

class Http1ResponseParser::Engine final : public Http1BoundaryEngine<false> {
public:
    explicit Engine(Http1ResponseParser& owner)
        : Http1BoundaryEngine<false>(owner.m_limits.maxHeaderBytes)
        , m_owner(owner) {
        skip(owner.m_toHead);
    }

private:
    void on_request_impl(http::verb, string_view, string_view, int, error_code&) override {}

    void on_response_impl(int status, string_view reason, int version, error_code&) override {
        ResponseHead& h = m_owner.m_head;
        h.status = status;
        h.reason = sv(reason);
        h.version = version;
    }

    void on_field_impl(http::field, string_view name, string_view value, error_code& ec) override {
        const std::string_view v = sv(value);
        switch (admitField(v, m_owner.m_headDone, m_owner.m_head.fields.size(), m_owner.m_limits.maxHeaders,
                           ec)) {
        case FieldFate::Head:
            m_owner.m_head.fields.push_back({sv(name), v, classifyHeader(sv(name))});
            break;
        case FieldFate::Trailer:
            m_owner.m_trailers.push_back({sv(name), v});
            break;
        case FieldFate::Refused:
            break;
        }
    }

    void on_header_impl(error_code&) override {
        ResponseHead& h = m_owner.m_head;
        h.keepAlive = keep_alive();
        h.chunked = chunked();
        if (const auto length = content_length())
            h.contentLength = *length;
        h.closeDelimited = need_eof() && !is_done() && !h.chunked && !h.contentLength;
        m_owner.m_headDone = true;
    }

    Http1ResponseParser& m_owner;
};

Http1ResponseParser::Http1ResponseParser(HeadLimits limits)
    : m_limits(limits)
    , m_engine(std::make_unique<Engine>(*this)) {}

Http1ResponseParser::~Http1ResponseParser() = default;

void Http1ResponseParser::reset() {
    Engine* engine = m_engine.get();
    std::destroy_at(engine);
    m_head.fields.clear();
    m_head = ResponseHead{0, {}, 11, std::move(m_head.fields), {}, false, true, false};
    m_trailers.clear();
    m_error.clear();
    m_headDone = false;
    std::construct_at(engine, *this); // after m_toHead is final: the engine reads it
}

Http1ResponseParser::Step Http1ResponseParser::parseHead(std::string_view data) {
    Engine& e = *m_engine;
    e.skip(m_toHead);
    e.input = data;
    error_code ec;
    const std::size_t used = e.put(boost::asio::const_buffer(data.data(), data.size()), ec);
    if (ec == http::error::need_more && !m_headDone)
        return {Progress::NeedMore, 0};
    if (ec && ec != http::error::need_more) {
        m_error = ec == http::error::header_limit
                      ? (e.tooManyFields ? "too many response headers" : "response headers too large")
                      : "malformed response: " + ec.message();
        return {Progress::Failed, used};
    }
    return {Progress::Done, used};
}

Http1ResponseParser::Step Http1ResponseParser::parseBody(std::string_view data) {
    return m_engine->measureBody(data, "response", m_error);
}

Http1ResponseParser::Progress Http1ResponseParser::finishAtEof() {
    Engine& e = *m_engine;
    if (e.is_done())
        return Progress::Done;
    error_code ec;
    e.put_eof(ec);
    if (ec) {
        m_error = "upstream closed mid-response: " + ec.message();
        return Progress::Failed;
    }
    return e.is_done() ? Progress::Done : Progress::Failed;
}

} // namespace sluice::proxy
