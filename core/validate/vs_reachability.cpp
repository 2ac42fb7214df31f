// SPDX-License-Identifier: Apache-2.0
// Rule reachability of a VirtualService, as Istio's analyzeUnreachableHTTPRules,
// analyzeUnreachableTCPRules and analyzeUnreachableTLSRules (pkg/config/validation/validation.go)
// compute it. Istio compares matches by their JSON encoding (asJSON, the HTTP match name removed);
// `canonical*` below build an equivalent key: zero values omitted, maps sorted, lists in order.

#include "vs_checks.h"
#include "vs_rules.h"

#include <map>

namespace sluice::validate::vs {
namespace {

constexpr std::string_view kMatchExact = "exact:";
constexpr std::string_view kMatchPrefix = "prefix:";

void addString(std::string& out, std::string_view key, std::string_view value) {
    if (!value.empty())
        out += std::string(key) + "=" + goQuote(value) + ";";
}

void addStrings(std::string& out, std::string_view key,
                const std::vector<model::Located<std::string>>& values) {
    if (values.empty())
        return;
    out += std::string(key) + "=[";
    for (const auto& v : values)
        out += goQuote(v.value) + ",";
    out += "];";
}

void addStringMap(std::string& out, std::string_view key, const model::StringMap& map) {
    if (map.empty())
        return;
    out += std::string(key) + "={";
    for (const auto& [k, v] : map)
        out += goQuote(k) + ":" + goQuote(v.value) + ",";
    out += "};";
}

std::string canonicalStringMatch(const model::StringMatch& sm) {
    switch (matchKind(sm)) {
    case MatchKind::Exact:
        return "{exact:" + goQuote(sm.exact.value) + "}";
    case MatchKind::Prefix:
        return "{prefix:" + goQuote(sm.prefix.value) + "}";
    case MatchKind::Regex:
        return "{regex:" + goQuote(sm.regex.value) + "}";
    case MatchKind::None:
        break;
    }
    return "{}";
}

void addMatch(std::string& out, std::string_view key, const std::optional<model::StringMatch>& sm) {
    if (sm)
        out += std::string(key) + "=" + canonicalStringMatch(*sm) + ";";
}

void addMatchMap(std::string& out, std::string_view key, const model::MessageMap<model::StringMatch>& map) {
    if (map.empty())
        return;
    out += std::string(key) + "={";
    for (const auto& [k, v] : map)
        out += goQuote(k) + ":" + canonicalStringMatch(v) + ",";
    out += "};";
}

void addPort(std::string& out, std::uint32_t port) {
    if (port != 0)
        out += "port=" + std::to_string(port) + ";";
}

// asJSON(HTTPMatchRequest) with the name cleared.
std::string canonical(const model::HTTPMatchRequest& m) {
    std::string out;
    addMatch(out, "uri", m.uri);
    addMatch(out, "scheme", m.scheme);
    addMatch(out, "method", m.method);
    addMatch(out, "authority", m.authority);
    addMatchMap(out, "headers", m.headers);
    addPort(out, m.port.value);
    addStringMap(out, "sourceLabels", m.sourceLabels);
    addStrings(out, "gateways", m.gateways);
    addMatchMap(out, "queryParams", m.queryParams);
    if (m.ignoreUriCase.value)
        out += "ignoreUriCase;";
    addMatchMap(out, "withoutHeaders", m.withoutHeaders);
    addString(out, "sourceNamespace", m.sourceNamespace.value);
    addString(out, "statPrefix", m.statPrefix.value);
    return out;
}

std::string canonical(const model::L4MatchAttributes& m) {
    std::string out;
    addStrings(out, "destinationSubnets", m.destinationSubnets);
    addPort(out, m.port.value);
    addStringMap(out, "sourceLabels", m.sourceLabels);
    addStrings(out, "gateways", m.gateways);
    addString(out, "sourceNamespace", m.sourceNamespace.value);
    return out;
}

std::string canonical(const model::TLSMatchAttributes& m) {
    std::string out;
    addStrings(out, "sniHosts", m.sniHosts);
    addStrings(out, "destinationSubnets", m.destinationSubnets);
    addPort(out, m.port.value);
    addStringMap(out, "sourceLabels", m.sourceLabels);
    addStrings(out, "gateways", m.gateways);
    addString(out, "sourceNamespace", m.sourceNamespace.value);
    return out;
}

// "#3". (Built with append: GCC 12 warns falsely on `"#" + std::to_string(n)`.)
std::string numbered(std::size_t n) {
    return std::string("#").append(std::to_string(n));
}

std::string ruleName(const model::HTTPRoute& route, std::size_t n) {
    return route.name.value.empty() ? numbered(n) : goQuote(route.name.value);
}
template <class Route> std::string ruleName(const Route&, std::size_t n) {
    return numbered(n);
}

std::string requestName(const model::HTTPMatchRequest& match, std::size_t n) {
    return match.name.value.empty() ? numbered(n) : goQuote(match.name.value);
}
template <class Match> std::string requestName(const Match&, std::size_t n) {
    return numbered(n);
}

class Reporter {
public:
    Reporter(ResourceReporter& r, std::string_view list)
        : m_r(r)
        , m_list(list) {}

    void unreachable(std::size_t rule, model::SourceSpan at, const std::string& name,
                     std::string_view reason) {
        m_r.report("IST0130", model::Level::Warning, indexed(m_list, rule), at,
                   "VirtualService rule " + name + " not used (" + std::string(reason) + ").");
    }
    void ineffective(std::size_t rule, std::size_t match, model::SourceSpan at, const std::string& name,
                     const std::string& matchName, const std::string& dupName) {
        m_r.report("IST0131", model::Level::Info, indexed(indexed(m_list, rule) + ".match", match), at,
                   "VirtualService rule " + name + " match " + matchName +
                       " is not used (duplicate/overlapping match in rule " + dupName + ").");
    }

private:
    ResourceReporter& m_r;
    std::string m_list;
};

// OverlappingMatchValidationForHTTPRoute: the parts of a prefix match the overlap check compares.
struct PrefixMatch {
    std::size_t rule = 0;
    std::size_t match = 0;
    std::string routeStr;
    std::string matchStr;
    std::string prefix;
    std::uint32_t port = 0;
    std::string method;
    std::string authority;
    std::map<std::string, std::string> headers;
    std::map<std::string, std::string> queryParams;
    std::map<std::string, std::string> withoutHeaders;
};

// assignExactOrPrefix: regex matches count as "".
std::string exactOrPrefix(const std::optional<model::StringMatch>& sm) {
    if (!sm)
        return {};
    if (matchKind(*sm) == MatchKind::Exact && !sm->exact.value.empty())
        return std::string(kMatchExact) + sm->exact.value;
    if (matchKind(*sm) == MatchKind::Prefix && !sm->prefix.value.empty())
        return std::string(kMatchPrefix) + sm->prefix.value;
    return {};
}

std::map<std::string, std::string> exactOrPrefixMap(const model::MessageMap<model::StringMatch>& map) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : map)
        out[k] = exactOrPrefix(std::optional<model::StringMatch>(v));
    return out;
}

// genMatchHTTPRoutes: only matches with a non-empty uri prefix take part.
std::optional<PrefixMatch> prefixMatch(const model::HTTPRoute& route, std::size_t rule,
                                       const model::HTTPMatchRequest& m, std::size_t n) {
    if (!m.uri || matchKind(*m.uri) != MatchKind::Prefix || m.uri->prefix.value.empty())
        return std::nullopt;
    PrefixMatch p;
    p.rule = rule;
    p.match = n;
    p.routeStr = ruleName(route, rule);
    p.matchStr = requestName(m, n);
    p.prefix = m.uri->prefix.value;
    p.port = m.port.value;
    p.method = exactOrPrefix(m.method);
    if (p.method.empty())
        p.method = std::string(kMatchExact) + "GET"; // no method means GET for this comparison
    p.authority = exactOrPrefix(m.authority);
    p.headers = exactOrPrefixMap(m.headers);
    p.queryParams = exactOrPrefixMap(m.queryParams);
    p.withoutHeaders = exactOrPrefixMap(m.withoutHeaders);
    return p;
}

bool sameOrStartsWith(const std::string& a, const std::string& b) {
    return a == b || a.starts_with(b);
}

bool mapCovered(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
    if (a.size() != b.size())
        return false;
    for (const auto& [k, v] : a) {
        const auto it = b.find(k);
        if (it == b.end() || !sameOrStartsWith(v, it->second))
            return false;
    }
    return true;
}

// coveredValidation(vA, vB): does the earlier match A cover the later match B?
bool covered(const PrefixMatch& a, const PrefixMatch& b) {
    return b.prefix.starts_with(a.prefix) && a.port == b.port && sameOrStartsWith(a.method, b.method) &&
           sameOrStartsWith(a.authority, b.authority) && mapCovered(a.headers, b.headers) &&
           mapCovered(a.queryParams, b.queryParams) && mapCovered(a.withoutHeaders, b.withoutHeaders);
}

// The loop shared by the three analyzers. `onFresh(rule, match)` sees every match that is neither
// after a catch-all rule nor a duplicate.
template <class Route, class OnFresh>
void analyzeRules(const std::vector<Route>& routes, Reporter& report, OnFresh&& onFresh) {
    std::map<std::string, std::size_t> seen;
    bool emptyMatchSeen = false;
    for (std::size_t rule = 0; rule < routes.size(); ++rule) {
        const Route& route = routes[rule];
        const std::string name = ruleName(route, rule);
        if (route.match.empty()) {
            if (emptyMatchSeen)
                report.unreachable(rule, route.span, name, "only the last rule can have no matches");
            emptyMatchSeen = true;
            continue;
        }
        std::size_t duplicates = 0;
        for (std::size_t n = 0; n < route.match.size(); ++n) {
            const auto& match = route.match[n];
            if (emptyMatchSeen) {
                report.unreachable(rule, route.span, name, "route without matches defined before");
                continue;
            }
            const std::string key = canonical(match);
            if (const auto it = seen.find(key); it != seen.end()) {
                report.ineffective(rule, n, route.span, name, requestName(match, n),
                                   ruleName(routes[it->second], it->second));
                ++duplicates;
                continue;
            }
            seen.emplace(key, rule);
            onFresh(route, rule, match, n);
        }
        if (duplicates == route.match.size())
            report.unreachable(rule, route.span, name, "all matches used by prior rules");
    }
}

} // namespace

void analyzeReachability(const model::VirtualServiceSpec& spec, ResourceReporter& r) {
    Reporter http(r, "spec.http");
    std::vector<PrefixMatch> prefixes;
    analyzeRules(spec.http, http,
                 [&](const model::HTTPRoute& route, std::size_t rule, const model::HTTPMatchRequest& m,
                     std::size_t n) {
                     if (auto p = prefixMatch(route, rule, m, n))
                         prefixes.push_back(std::move(*p));
                 });
    // A later prefix covered by an earlier, shorter one (never the reverse: most-specific-first is fine).
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
        for (std::size_t j = i + 1; j < prefixes.size(); ++j) {
            const PrefixMatch& a = prefixes[i];
            const PrefixMatch& b = prefixes[j];
            if (a.prefix == b.prefix || !covered(a, b))
                continue;
            http.ineffective(b.rule, b.match, spec.http[b.rule].span, b.routeStr,
                             b.matchStr + " of prefix " + b.prefix,
                             a.matchStr + " of prefix " + a.prefix + " on " + a.routeStr);
        }
    }

    Reporter tcp(r, "spec.tcp");
    analyzeRules(spec.tcp, tcp, [](const auto&, std::size_t, const auto&, std::size_t) {});
    Reporter tls(r, "spec.tls");
    analyzeRules(spec.tls, tls, [](const auto&, std::size_t, const auto&, std::size_t) {});
}

} // namespace sluice::validate::vs
