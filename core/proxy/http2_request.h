// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_request_parser.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::proxy {

/// One HTTP/2 request's header block as nghttp2 delivers it (names lowercase, validated by
/// nghttp2's HTTP messaging rules), turned into the RequestHead the routing engine and the HTTP/1.1
/// upstream writer take: :method, :path as the target, :authority as the host (the host header
/// when :authority is absent, as Envoy's codec does), regular headers in order with the cookie
/// headers joined into one ("; ", RFC 9113 8.2.3) because an HTTP/1.1 upstream expects one.
class Http2Request {
public:
    /// With room for a typical request's fields: a stream's request is built once, and growing its
    /// lists took three allocations per request.
    Http2Request();
    /// Adds one field of the request's HEADERS (pseudo-headers included).
    void add(std::string_view name, std::string_view value);
    /// Ends the header block: builds head() (views into this object, stable until reset()).
    void complete();
    void reset();

    [[nodiscard]] const RequestHead& head() const { return m_head; }
    [[nodiscard]] std::string_view scheme() const { return view(m_scheme); }
    /// Bytes the header block took, as SETTINGS_MAX_HEADER_LIST_SIZE counts them (name + value + 32).
    [[nodiscard]] std::size_t listSize() const { return m_listSize; }
    [[nodiscard]] std::size_t fieldCount() const { return m_fields.size(); }
    /// The first value of a regular header (`name` lowercase); empty when absent.
    [[nodiscard]] std::string_view header(std::string_view name) const;

private:
    struct Span {
        std::uint32_t at = 0;
        std::uint32_t size = 0;
    };
    struct Field {
        Span name;
        Span value;
    };
    [[nodiscard]] std::string_view view(Span s) const { return {m_text.data() + s.at, s.size}; }
    Span store(std::string_view s);

    std::string m_text; ///< every name and value, back to back
    std::vector<Field> m_fields;
    Span m_method, m_scheme, m_authority, m_path;
    std::size_t m_listSize = 0;
    RequestHead m_head;
};

} // namespace sluice::proxy
