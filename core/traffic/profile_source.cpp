// SPDX-License-Identifier: Apache-2.0
#include "profile_source.h"

#include <algorithm>
#include <charconv>

namespace sluice::traffic {

void appendHttp1Request(std::string& out, std::string_view method, std::string_view path,
                        std::string_view authority,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        std::string_view body) {
    out.append(method)
        .append(" ")
        .append(path)
        .append(" HTTP/1.1\r\nhost: ")
        .append(authority)
        .append("\r\n");
    for (const auto& [name, value] : headers)
        out.append(name).append(": ").append(value).append("\r\n");
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        char digits[24];
        const auto done = std::to_chars(digits, digits + sizeof digits, body.size());
        out.append("content-length: ").append(digits, done.ptr).append("\r\n");
    }
    out.append("\r\n").append(body);
}

void fillRoutingRequest(const RenderedRequest& rendered, std::uint32_t gatewayPort, bool tls,
                        routing::Request& out) {
    out.port = gatewayPort;
    out.tls = tls;
    out.sni.reset();
    out.mesh = false;
    out.authority.assign(rendered.authority);
    out.method.assign(rendered.method);
    out.target.assign(rendered.path);
    if (rendered.headers)
        out.headers.assign(rendered.headers->begin(), rendered.headers->end());
    else
        out.headers.clear();
}

ProfileSource::ProfileSource(std::shared_ptr<const RequestProfile> profile, std::string defaultAuthority,
                             std::string scheme, std::uint64_t seed)
    : m_profile(std::move(profile))
    , m_defaultAuthority(std::move(defaultAuthority))
    , m_scheme(std::move(scheme))
    , m_rng(seed) {
    const double total = m_profile->totalWeight();
    double sum = 0;
    m_prepared.resize(m_profile->requests.size());
    for (std::size_t i = 0; i < m_profile->requests.size(); ++i) {
        const ProfileRequest& t = m_profile->requests[i];
        sum += t.weight;
        m_cumulative.push_back(total > 0 ? sum / total : 1.0);
        m_prepared[i].dynamic = t.host.hasVariables() || t.path.hasVariables() || t.body.hasVariables() ||
                                std::any_of(t.headers.begin(), t.headers.end(),
                                            [](const auto& h) { return h.second.hasVariables(); });
        if (!m_prepared[i].dynamic)
            prepare(t, m_prepared[i], nullptr);
    }
    if (!m_cumulative.empty())
        m_cumulative.back() = 1.0;
}

std::size_t ProfileSource::pick(double u) const {
    if (m_cumulative.size() <= 1)
        return 0;
    const auto it = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), u);
    std::size_t i = it == m_cumulative.end() ? m_cumulative.size() - 1
                                             : static_cast<std::size_t>(it - m_cumulative.begin());
    // Weight-0 templates have an empty interval: upper_bound never lands on them.
    return i;
}

void ProfileSource::prepare(const ProfileRequest& t, Prepared& p, RenderState* state) {
    RenderState none;
    RenderState& s = state ? *state : none;
    const TemplateLists& lists = m_profile->lists;
    p.authority.clear();
    if (t.host.segments().empty())
        p.authority = m_defaultAuthority;
    else
        t.host.render(p.authority, lists, s);
    p.path.clear();
    t.path.render(p.path, lists, s);
    p.headers.resize(t.headers.size());
    for (std::size_t i = 0; i < t.headers.size(); ++i) {
        p.headers[i].first = t.headers[i].first;
        p.headers[i].second.clear();
        t.headers[i].second.render(p.headers[i].second, lists, s);
    }
    p.body.clear();
    t.body.render(p.body, lists, s);
    p.http1.clear();
    appendHttp1Request(p.http1, t.method, p.path, p.authority, p.headers, p.body);
}

const RenderedRequest& ProfileSource::render(std::uint64_t slot) {
    const double u = static_cast<double>(m_rng.next() >> 11) * (1.0 / 9007199254740992.0);
    return renderTemplate(pick(u), slot);
}

const RenderedRequest& ProfileSource::renderTemplate(std::size_t index, std::uint64_t slot) {
    const ProfileRequest& t = m_profile->requests[index];
    const Prepared* p = &m_prepared[index];
    if (p->dynamic) {
        RenderState state{slot, &m_rng};
        prepare(t, m_scratch, &state);
        p = &m_scratch;
    }
    m_out.http1 = p->http1;
    m_out.method = t.method;
    m_out.scheme = m_scheme;
    m_out.authority = p->authority;
    m_out.path = p->path;
    m_out.headers = &p->headers;
    m_out.body = p->body;
    m_out.head = t.method == "HEAD";
    m_out.sourceIndex = static_cast<std::uint32_t>(index);
    return m_out;
}

} // namespace sluice::traffic
