// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Beast): what the request and response parsers share. Beast's
// basic_parser only finds boundaries here; bodies are measured, never copied.

#include "http1_request_parser.h"

#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace sluice::proxy {

template <bool isRequest> class Http1BoundaryEngine : public boost::beast::http::basic_parser<isRequest> {
public:
    using Step = Http1RequestParser::Step;
    using Progress = Http1RequestParser::Progress;

    explicit Http1BoundaryEngine(std::uint32_t maxHeaderBytes) {
        this->header_limit(maxHeaderBytes);
        // Boost 1.74's body_limit(none) refuses every body; bodies are streamed, never held.
        this->body_limit(std::numeric_limits<std::uint64_t>::max());
        this->eager(false); // stop after the head: its length must not include body bytes
    }

    /// The bytes handed to the current put(): field values outside them come from Beast's
    /// obs-fold buffer, which does not outlive the call.
    std::string_view input;

    [[nodiscard]] bool inInput(std::string_view value) const {
        return value.empty() ||
               (value.data() >= input.data() && value.data() + value.size() <= input.data() + input.size());
    }

    /// Where a parsed field belongs. Refused sets `ec` (and says why in obsFold / tooManyFields).
    enum class FieldFate { Head, Trailer, Refused };
    FieldFate admitField(std::string_view value, bool headDone, std::size_t fieldsSoFar,
                         std::size_t maxFields, boost::beast::error_code& ec) {
        if (!inInput(value)) { // obs-fold: RFC 9112 lets a server or proxy refuse it
            obsFold = true;
            ec = boost::beast::http::error::bad_value;
            return FieldFate::Refused;
        }
        if (headDone)
            return FieldFate::Trailer;
        if (fieldsSoFar >= maxFields) {
            tooManyFields = true;
            ec = boost::beast::http::error::header_limit;
            return FieldFate::Refused;
        }
        return FieldFate::Head;
    }

    bool obsFold = false;
    bool tooManyFields = false;

    /// Measures body bytes at the start of `data`; on a malformed body `error` says why.
    Step measureBody(std::string_view data, std::string_view what, std::string& error) {
        if (!m_bodyStarted) {
            m_bodyStarted = true;
            this->eager(true);
        }
        std::size_t total = 0;
        while (!this->is_done()) {
            const std::string_view rest = data.substr(total);
            if (rest.empty())
                return {Progress::NeedMore, total};
            input = rest;
            boost::beast::error_code ec;
            const std::size_t used = this->put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
            total += used;
            if (ec == boost::beast::http::error::need_more || (!ec && used == 0))
                return {Progress::NeedMore, total};
            if (ec) {
                error = "malformed " + std::string(what) + " body: " + ec.message();
                return {Progress::Failed, total};
            }
        }
        return {Progress::Done, total};
    }

protected:
    using string_view = boost::beast::string_view;
    using error_code = boost::beast::error_code;

private:
    void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
    std::size_t on_body_impl(string_view body, error_code&) override { return body.size(); }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
        return body.size();
    }
    void on_finish_impl(error_code&) override {}

    bool m_bodyStarted = false;
};

} // namespace sluice::proxy
