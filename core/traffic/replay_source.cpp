// SPDX-License-Identifier: Apache-2.0
#include "replay_source.h"

#include <algorithm>
#include <cmath>

namespace sluice::traffic {
namespace {

/// Hop-by-hop and framing headers: the replayer sets its own (RFC 9110 7.6.1, and HTTP/2's).
bool dropped(std::string_view name) {
    static constexpr std::string_view kDropped[] = {
        "connection",     "keep-alive", "proxy-connection", "te",    "transfer-encoding", "upgrade",
        "content-length", "host",       "http2-settings",   "expect"};
    return std::find(std::begin(kDropped), std::end(kDropped), name) != std::end(kDropped) ||
           name.starts_with(':');
}

bool isToken(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

bool hasLineBreak(std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

class ReplaySource final : public RequestSource {
public:
    ReplaySource(std::shared_ptr<const std::vector<PreparedRequest>> requests,
                 std::shared_ptr<const std::vector<std::size_t>> slots)
        : m_requests(std::move(requests))
        , m_slots(std::move(slots)) {}

    const RenderedRequest& render(std::uint64_t slot) override {
        const std::size_t index = slot < m_slots->size() ? (*m_slots)[slot] : 0;
        const PreparedRequest& p = (*m_requests)[index];
        m_out.http1 = p.http1;
        m_out.method = p.method;
        m_out.scheme = p.scheme.empty() ? std::string_view("http") : std::string_view(p.scheme);
        m_out.authority = p.authority;
        m_out.path = p.path;
        m_out.headers = &p.headers;
        m_out.body = p.body;
        m_out.head = p.method == "HEAD";
        m_out.sourceIndex = static_cast<std::uint32_t>(index);
        return m_out;
    }

private:
    std::shared_ptr<const std::vector<PreparedRequest>> m_requests;
    std::shared_ptr<const std::vector<std::size_t>> m_slots;
    RenderedRequest m_out;
};

} // namespace

ReplayPreparation prepareReplay(const Recording& recording, const std::string& fallbackAuthority) {
    ReplayPreparation out;
    for (std::size_t i = 0; i < recording.requests.size(); ++i) {
        const RecordedRequest& r = recording.requests[i];
        const auto skip = [&](std::string why) {
            out.unsendable.push_back(
                {r.source.line, 0,
                 (r.source.entry ? "log.entries[" + std::to_string(*r.source.entry) + "]: " : "") +
                     std::move(why)});
        };
        if (!isToken(r.method)) {
            skip("method `" + r.method + "` is not an HTTP token: not sent");
            continue;
        }
        if (r.path.empty() || !(r.path.front() == '/' || r.path == "*") || hasLineBreak(r.path) ||
            r.path.find(' ') != std::string::npos) {
            skip("request target `" + r.path + "` is not a path: not sent");
            continue;
        }
        PreparedRequest p;
        p.record = i;
        p.method = r.method;
        p.scheme = r.scheme;
        p.authority = r.authority.empty() ? fallbackAuthority : r.authority;
        if (p.authority.empty()) {
            skip("no Host recorded (this format does not record it): give --host to send it");
            continue;
        }
        if (hasLineBreak(p.authority) || p.authority.find(' ') != std::string::npos) {
            skip("Host `" + p.authority + "` is not a host[:port]: not sent");
            continue;
        }
        p.path = r.path;
        bool bad = false;
        for (const auto& [name, value] : r.headers) {
            if (dropped(name))
                continue;
            if (!isToken(name) || hasLineBreak(value)) {
                bad = true;
                break;
            }
            p.headers.emplace_back(name, value);
        }
        if (bad) {
            skip("a header name is not a token or a value holds a line break: not sent");
            continue;
        }
        p.body = r.body;
        appendHttp1Request(p.http1, p.method, p.path, p.authority, p.headers, p.body);
        out.requests.push_back(std::move(p));
    }
    return out;
}

std::vector<std::chrono::microseconds> replayOffsets(const Recording& recording,
                                                     const std::vector<PreparedRequest>& requests,
                                                     const ReplayTiming& timing) {
    std::vector<std::chrono::microseconds> out;
    out.reserve(requests.size());
    if (requests.empty())
        return out;
    const std::chrono::microseconds first = recording.requests[requests.front().record].offset;
    for (std::size_t k = 0; k < requests.size(); ++k) {
        double micros = 0;
        if (timing.rate && *timing.rate > 0) {
            micros = static_cast<double>(k) * 1e6 / *timing.rate;
        } else {
            const auto recorded = recording.requests[requests[k].record].offset - first;
            micros = static_cast<double>(std::max<std::int64_t>(recorded.count(), 0)) /
                     (timing.speed > 0 ? timing.speed : 1.0);
        }
        out.emplace_back(static_cast<std::int64_t>(std::llround(micros)));
    }
    // Recordings are in time order; keep the schedule monotonic whatever rounding did.
    for (std::size_t k = 1; k < out.size(); ++k)
        out[k] = std::max(out[k], out[k - 1]);
    return out;
}

std::unique_ptr<RequestSource> ReplaySourceFactory::make(std::uint64_t) const {
    return std::make_unique<ReplaySource>(m_requests, m_slots);
}

} // namespace sluice::traffic
