// SPDX-License-Identifier: Apache-2.0
#include "http2_request.h"

#include <charconv>

namespace sluice::proxy {

Http2Request::Span Http2Request::store(std::string_view s) {
    const Span span{static_cast<std::uint32_t>(m_text.size()), static_cast<std::uint32_t>(s.size())};
    m_text.append(s);
    return span;
}

Http2Request::Http2Request() {
    m_text.reserve(512);
    m_fields.reserve(16);
}

void Http2Request::add(std::string_view name, std::string_view value) {
    m_listSize += name.size() + value.size() + 32;
    if (!name.empty() && name.front() == ':') {
        Span* pseudo = name == ":method"      ? &m_method
                       : name == ":scheme"    ? &m_scheme
                       : name == ":authority" ? &m_authority
                       : name == ":path"      ? &m_path
                                              : nullptr;
        if (pseudo)
            *pseudo = store(value);
        return;
    }
    const Span n = store(name);
    m_fields.push_back({n, store(value)});
}

std::string_view Http2Request::header(std::string_view name) const {
    for (const Field& f : m_fields)
        if (view(f.name) == name)
            return view(f.value);
    return {};
}

void Http2Request::complete() {
    // Cookies first: joining them appends to m_text, which must not move under the views below.
    Span cookies{};
    std::size_t cookieCount = 0;
    for (const Field& f : m_fields)
        if (view(f.name) == "cookie")
            ++cookieCount;
    if (cookieCount > 1) {
        std::string joined;
        for (const Field& f : m_fields) {
            if (view(f.name) != "cookie")
                continue;
            if (!joined.empty())
                joined += "; ";
            joined += view(f.value);
        }
        cookies = store(joined);
    }

    RequestHead& h = m_head;
    h.method = view(m_method);
    h.target = view(m_path);
    h.version = 11; // what the upstream gets: the writers speak HTTP/1.1
    h.keepAlive = true;
    h.fields.clear();
    h.fields.reserve(m_fields.size());
    bool cookieDone = false;
    std::string_view hostHeader;
    for (const Field& f : m_fields) {
        const std::string_view name = view(f.name);
        std::string_view value = view(f.value);
        const KnownHeader known = classifyHeader(name);
        if (name == "cookie" && cookieCount > 1) {
            if (cookieDone)
                continue;
            cookieDone = true;
            value = view(cookies);
        }
        if (known == KnownHeader::Host && hostHeader.empty())
            hostHeader = value;
        if (known == KnownHeader::ContentLength) {
            std::uint64_t length = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
            if (ec == std::errc() && end == value.data() + value.size())
                h.contentLength = length;
        }
        if (known == KnownHeader::Expect && value == "100-continue")
            h.expectContinue = true;
        h.fields.push_back({name, value, known});
    }
    h.host = m_authority.size ? view(m_authority) : hostHeader;
}

void Http2Request::reset() {
    m_text.clear();
    m_fields.clear();
    m_method = m_scheme = m_authority = m_path = Span{};
    m_listSize = 0;
    // Field by field: a fresh RequestHead would free the field list's room.
    std::vector<HeaderField> fields = std::move(m_head.fields);
    fields.clear();
    m_head = RequestHead{};
    m_head.fields = std::move(fields);
}

} // namespace sluice::proxy
