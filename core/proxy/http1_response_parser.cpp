// SPDX-License-Identifier: Apache-2.0
#include "http1_response_parser.h"

#include <limits>
#include <memory>
#include <utility>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace sluice::proxy {
namespace {

namespace http = boost::beast::http;
using boost::beast::error_code;
using boost::beast::string_view;

std::string_view sv(string_view s) {
    return {s.data(), s.size()};
}

} // namespace

class Http1ResponseParser::Engine final : public http::basic_parser<false> {
public:
    explicit Engine(Http1ResponseParser& owner)
        : m_owner(owner) {
        header_limit(owner.m_limits.maxHeaderBytes);
        body_limit(std::numeric_limits<std::uint64_t>::max()); // streamed, never held
        eager(false);
        skip(owner.m_toHead);
    }

    void startBody() {
        if (!m_bodyStarted) {
            m_bodyStarted = true;
            eager(true);
        }
    }

    std::string_view input;
    bool tooManyFields = false;

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
        if (!v.empty() && (v.data() < input.data() || v.data() + v.size() > input.data() + input.size())) {
            ec = http::error::bad_value; // obs-fold: RFC 9112 lets a proxy refuse it
            return;
        }
        if (m_owner.m_headDone) {
            m_owner.m_trailers.push_back({sv(name), v});
            return;
        }
        if (m_owner.m_head.fields.size() >= m_owner.m_limits.maxHeaders) {
            tooManyFields = true;
            ec = http::error::header_limit;
            return;
        }
        m_owner.m_head.fields.push_back({sv(name), v});
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

    void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
    std::size_t on_body_impl(string_view body, error_code&) override { return body.size(); }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
        return body.size();
    }
    void on_finish_impl(error_code&) override {}

    Http1ResponseParser& m_owner;
    bool m_bodyStarted = false;
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
    Engine& e = *m_engine;
    e.startBody();
    std::size_t total = 0;
    while (!e.is_done()) {
        const std::string_view rest = data.substr(total);
        if (rest.empty())
            return {Progress::NeedMore, total};
        e.input = rest;
        error_code ec;
        const std::size_t used = e.put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
        total += used;
        if (ec == http::error::need_more || (!ec && used == 0))
            return {Progress::NeedMore, total};
        if (ec) {
            m_error = "malformed response body: " + ec.message();
            return {Progress::Failed, total};
        }
    }
    return {Progress::Done, total};
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
