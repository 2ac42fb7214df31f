// SPDX-License-Identifier: Apache-2.0
#include "request_matcher.h"

namespace sluice::routing {
namespace {

std::string headerLabel(const std::string& name) {
    if (name == ":method")
        return "method";
    if (name == ":authority")
        return "authority";
    if (name == ":scheme")
        return "scheme";
    return "header " + name;
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Istio's canBeConvertedToPresentMatch: an empty StringMatch, or the regex "*" (not valid RE2),
// becomes an Envoy presence match. A prefix "*" stays a literal prefix.
bool isPresenceMatch(const model::StringMatch& m) {
    if (!m.exact.present && !m.prefix.present && !m.regex.present)
        return true;
    return m.regex.present && m.regex.value == "*";
}

} // namespace

RequestMatcher RequestMatcher::matchAll() {
    return RequestMatcher(StringMatcher::prefix("/"));
}

std::optional<RequestMatcher> RequestMatcher::compile(const model::HTTPMatchRequest& match,
                                                      std::string* error) {
    const bool ignoreCase = match.ignoreUriCase.valueOr(false);
    std::optional<StringMatcher> uri = StringMatcher::prefix("/", ignoreCase);
    if (match.uri) {
        uri = StringMatcher::compile(*match.uri, ignoreCase, error);
        if (!uri)
            return std::nullopt;
        if (uri->kind() == StringMatcher::Kind::Present)
            uri = StringMatcher::prefix("/", ignoreCase);
    }
    RequestMatcher out(std::move(*uri));

    auto addHeader = [&](std::string name, const model::StringMatch& m, bool invert) -> bool {
        if (isPresenceMatch(m)) {
            out.m_headers.push_back({std::move(name), StringMatcher::present(), invert});
            return true;
        }
        auto compiled = StringMatcher::compile(m, false, error);
        if (!compiled)
            return false;
        out.m_headers.push_back({std::move(name), std::move(*compiled), invert});
        return true;
    };
    if (match.method && !addHeader(":method", *match.method, false))
        return std::nullopt;
    if (match.authority && !addHeader(":authority", *match.authority, false))
        return std::nullopt;
    if (match.scheme && !addHeader(":scheme", *match.scheme, false))
        return std::nullopt;
    for (const auto& [name, m] : match.headers) {
        const std::string key = lower(name);
        // Documented: these keys inside `headers` are ignored; use the dedicated fields.
        if (key == "uri" || key == "scheme" || key == "method" || key == "authority")
            continue;
        if (key.starts_with("@request.auth.claims")) {
            constexpr std::string_view prefix = "@request.auth.claims.";
            const std::string claim = key.size() > prefix.size() ? name.substr(prefix.size()) : name;
            out.m_unsupported.push_back(
                "JWT claim " + claim +
                " needs a verified token (RequestAuthentication), which Sluice cannot present");
            continue;
        }
        if (!addHeader(key, m, false))
            return std::nullopt;
    }
    for (const auto& [name, m] : match.withoutHeaders)
        if (!addHeader(lower(name), m, true))
            return std::nullopt;
    for (const auto& [name, m] : match.queryParams) {
        if (isPresenceMatch(m) && !m.exact.present) {
            out.m_query.push_back({name, StringMatcher::present()});
            continue;
        }
        auto compiled = StringMatcher::compile(m, false, error);
        if (!compiled)
            return std::nullopt;
        out.m_query.push_back({name, std::move(*compiled)});
    }
    return out;
}

std::optional<std::string> RequestMatcher::mismatch(const MatchInput& input, bool explain) const {
    if (!m_uri.matches(input.path()))
        return explain ? std::optional<std::string>("path " + input.path() + " is not " + m_uri.describe())
                       : std::optional<std::string>(std::string());
    for (const auto& h : m_headers) {
        const auto value = input.header(h.name);
        bool ok;
        if (value)
            ok = h.matcher.matches(*value) != h.invert;
        else if (!h.invert || h.matcher.kind() == StringMatcher::Kind::Present)
            ok = h.invert; // absent: fails a match, satisfies "without" a presence test
        else
            ok = !h.matcher.matches(""); // withoutHeaders: treat_missing_header_as_empty
        if (ok)
            continue;
        if (!explain)
            return std::string();
        if (!value && h.invert)
            return headerLabel(h.name) + " is absent, which counts as \"\" and withoutHeaders excludes " +
                   h.matcher.describe();
        if (!value)
            return headerLabel(h.name) + " is absent";
        if (h.invert)
            return headerLabel(h.name) + " is \"" + std::string(*value) +
                   "\", which withoutHeaders excludes (" + h.matcher.describe() + ")";
        return headerLabel(h.name) + " is \"" + std::string(*value) + "\", not " + h.matcher.describe();
    }
    for (const auto& q : m_query) {
        const auto value = input.queryParam(q.name);
        if (value && q.matcher.matches(*value))
            continue;
        if (!explain)
            return std::string();
        if (!value)
            return "query parameter " + q.name + " is absent";
        return "query parameter " + q.name + " is \"" + std::string(*value) + "\", not " +
               q.matcher.describe();
    }
    if (!m_unsupported.empty())
        return explain ? m_unsupported.front() : std::string();
    return std::nullopt;
}

bool RequestMatcher::isCatchAll() const {
    const bool allPaths = (m_uri.kind() == StringMatcher::Kind::Prefix && m_uri.value() == "/") ||
                          (m_uri.kind() == StringMatcher::Kind::Regex && m_uri.value() == ".*");
    return allPaths && m_headers.empty() && m_query.empty() && m_unsupported.empty();
}

std::string RequestMatcher::describe() const {
    std::string out = "uri " + m_uri.describe();
    for (const auto& h : m_headers)
        out += std::string(h.invert ? ", without " : ", ") + headerLabel(h.name) + " " + h.matcher.describe();
    for (const auto& q : m_query)
        out += ", query " + q.name + " " + q.matcher.describe();
    return out;
}

} // namespace sluice::routing
