// SPDX-License-Identifier: Apache-2.0
#include "vs_checks.h"

#include "names.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

#include <re2/re2.h>

namespace sluice::validate::vs {
namespace {

constexpr std::int64_t kMillisecond = 1'000'000;
constexpr std::size_t kMaxRegexLength = 1024;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

bool isInternalHeader(std::string_view name) {
    return name.starts_with(':') || equalsIgnoreCase(name, "host");
}

// RFC 7230 token characters (validHeaderNameRegex in validation.go).
bool isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isHeaderToken(std::string_view name) {
    if (name.empty())
        return false;
    for (char c : name)
        if (!isTokenChar(c))
            return false;
    return true;
}

// strconv.Atoi succeeds: optional sign, then only digits.
bool goAtoiOk(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    const std::uint64_t limit = negative ? (1ULL << 63) : (1ULL << 63) - 1;
    return ec == std::errc() && ptr == s.data() + s.size() && v <= limit;
}

// agent.ValidateDNS1123Labels (no length preconditions; a trailing empty label is allowed).
std::string checkDnsLabels(std::string_view domain) {
    const auto lastDot = domain.rfind('.');
    const std::string_view tld = lastDot == std::string_view::npos ? domain : domain.substr(lastDot + 1);
    if (goAtoiOk(tld))
        return "domain name " + goQuote(domain) + " invalid (top level domain " + goQuote(tld) +
               " cannot be all-numeric)";
    std::size_t start = 0;
    while (true) {
        const auto dot = domain.find('.', start);
        const bool last = dot == std::string_view::npos;
        const std::string_view label = domain.substr(start, last ? std::string_view::npos : dot - start);
        if (last && label.empty())
            return {};
        if (!isDns1123Label(label))
            return "domain name " + goQuote(domain) + " invalid (label " + goQuote(label) + " invalid)";
        if (last)
            return {};
        start = dot + 1;
    }
}

std::string checkPreconditions(std::string_view domain) {
    if (domain.size() > 255)
        return "domain name " + goQuote(domain) + " too long (max 255)";
    if (domain.empty())
        return "empty domain name not allowed";
    return {};
}

// validateHeaderValue: Envoy's header formatter grammar (header_value_validator.go).
std::string checkHeaderFormatter(std::string_view v) {
    enum class S {
        Literal,
        VarName,
        ExpectArray,
        ExpectString,
        String,
        ExpectDelimOrEnd,
        ExpectArgsEnd,
        ExpectVarEnd
    };
    S state = S::Literal;
    for (std::size_t pos = 0; pos < v.size(); ++pos) {
        const char ch = v[pos];
        const bool hasNext = pos + 1 < v.size();
        switch (state) {
        case S::Literal:
            if (ch != '%')
                break;
            if (!hasNext)
                return "invalid header configuration. Un-escaped %";
            if (v[pos + 1] == '%') {
                ++pos;
                break;
            }
            state = S::VarName;
            break;
        case S::VarName:
            if (ch == '%')
                state = S::Literal;
            else if (ch == '(')
                state = S::ExpectArray;
            break;
        case S::ExpectArray:
            if (ch == '[')
                state = S::ExpectString;
            else if (ch != ' ')
                state = S::String;
            break;
        case S::ExpectDelimOrEnd:
            if (ch == ',')
                state = S::ExpectString;
            else if (ch == ']')
                state = S::ExpectArgsEnd;
            else if (ch != ' ')
                return "invalid header configuration. Expecting ',', ']', or whitespace";
            break;
        case S::ExpectString:
            if (ch == '"')
                state = S::String;
            else if (ch != ' ')
                return "invalid header configuration. Expecting '\"'";
            break;
        case S::String:
            if (ch == '\\') {
                if (!hasNext)
                    return "invalid header configuration. Un-terminated backslash in JSON string";
                ++pos;
            } else if (ch == ')') {
                state = S::ExpectVarEnd;
            } else if (ch == '"') {
                state = S::ExpectDelimOrEnd;
            }
            break;
        case S::ExpectArgsEnd:
            if (ch == ')')
                state = S::ExpectVarEnd;
            else if (ch != ' ')
                return "invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'";
            break;
        case S::ExpectVarEnd:
            if (ch == '%')
                state = S::Literal;
            else if (ch != ' ')
                return "invalid header configuration. Expecting '%' or whitespace after";
            break;
        }
    }
    if (state != S::Literal)
        return "invalid header configuration. Un-terminated variable expression '" + std::string(v) + "'";
    return {};
}

// Go's regexp/syntax error text for an RE2 error code (Istio compiles with Go's regexp).
std::string_view goRegexpError(RE2::ErrorCode code) {
    switch (code) {
    case RE2::ErrorBadEscape:
        return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
        return "invalid character class";
    case RE2::ErrorBadCharRange:
        return "invalid character class range";
    case RE2::ErrorMissingBracket:
        return "missing closing ]";
    case RE2::ErrorMissingParen:
        return "missing closing )";
    case RE2::ErrorUnexpectedParen:
        return "unexpected )";
    case RE2::ErrorTrailingBackslash:
        return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
        return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
        return "invalid repeat count";
    case RE2::ErrorRepeatOp:
        return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
        return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
        return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
        return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
        return "expression too large";
    default:
        return {};
    }
}

} // namespace

std::string goQuote(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string goFloat(double value) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    if (ec != std::errc())
        return std::to_string(value);
    const std::string sci(buf, end);
    const auto e = sci.find('e');
    int exp = 0;
    if (e != std::string::npos)
        std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp);
    // strconv.FormatFloat(v, 'g', -1, 64): exponent form when exp < -4 || exp >= 6 (shortest precision).
    if (value != 0 && (exp < -4 || exp >= 6))
        return sci;
    const auto fixed = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    return fixed.ec == std::errc() ? std::string(buf, fixed.ptr) : sci;
}

std::string goFixed(double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%f", value);
    return buf;
}

bool isWildcardDns1123Label(std::string_view label) {
    if (label.size() > 63)
        return false;
    if (label == "*")
        return true;
    if (label.starts_with("*-"))
        label.remove_prefix(2);
    else if (label.starts_with('*'))
        label.remove_prefix(1);
    return isDns1123Label(label);
}

std::string checkIstioWildcardDomain(std::string_view domain) {
    if (auto e = checkPreconditions(domain); !e.empty())
        return e;
    const auto dot = domain.find('.');
    const std::string_view first = domain.substr(0, dot);
    if (!isWildcardDns1123Label(first))
        return "domain name " + goQuote(domain) + " invalid (label " + goQuote(first) + " invalid)";
    if (dot != std::string_view::npos)
        return checkDnsLabels(domain.substr(dot + 1));
    return {};
}

std::string checkGatewayBoundDomain(bool sni, std::string_view domain) {
    if (auto e = checkPreconditions(domain); !e.empty())
        return e;
    const auto dot = domain.find('.');
    const std::string_view first = domain.substr(0, dot);
    if (sni && first == "outbound_") {
        // regexp.MatchString("outbound_.([0-8].*).*", domain): unanchored, as in Istio.
        static const RE2 kOutbound("outbound_.([0-8].*).*");
        if (!RE2::PartialMatch(domain, kOutbound))
            return "domain name " + goQuote(domain) + " invalid (label " + goQuote(first) + " invalid)";
        return {};
    }
    if (!isWildcardDns1123Label(first))
        return "domain name " + goQuote(domain) + " invalid (label " + goQuote(first) + " invalid)";
    if (dot != std::string_view::npos)
        return checkDnsLabels(domain.substr(dot + 1));
    return {};
}

std::string checkIstioFqdn(std::string_view fqdn) {
    if (auto e = checkPreconditions(fqdn); !e.empty())
        return e;
    return checkDnsLabels(fqdn);
}

std::string checkPort(std::int64_t port) {
    if (port >= 1 && port <= 65535)
        return {};
    return "port number " + std::to_string(port) + " must be in the range 1..65535";
}

std::string checkDuration(const model::Duration& d) {
    if (d.nanos < kMillisecond)
        return "duration must be greater than 1ms";
    if (d.nanos % kMillisecond != 0)
        return "only durations to ms precision are supported";
    return {};
}

std::string checkIpSubnet(std::string_view subnet) {
    if (std::count(subnet.begin(), subnet.end(), '/') == 1) {
        if (!isCidr(subnet))
            return std::string(subnet) + " is not a valid CIDR block";
        return {};
    }
    if (!isIpAddress(subnet))
        return std::string(subnet) + " is not a valid IP";
    return {};
}

std::vector<std::string> checkLabel(std::string_view key, std::string_view value) {
    // pkg/config/labels/instance.go
    static const RE2 kTag(
        "([a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*/)?"
        "((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])");
    static const RE2 kValue("((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    std::vector<std::string> out;
    std::string prefix, name;
    if (!RE2::FullMatch(key, kTag, &prefix, &name))
        out.push_back("invalid tag key: " + goQuote(key));
    else if (!prefix.empty() && prefix.size() - 1 > 253)
        out.push_back("invalid tag key: " + goQuote(key) + " (DNS prefix is too long)");
    else if (name.size() > 63)
        out.push_back("invalid tag key: " + goQuote(key) + " (name is too long)");
    if (!RE2::FullMatch(value, kValue))
        out.push_back("invalid tag value: " + goQuote(value));
    return out;
}

bool isJwtClaimRoute(std::string_view name) {
    constexpr std::string_view kClaim = "@request.auth.claims";
    if (name.size() < kClaim.size() || !equalsIgnoreCase(name.substr(0, kClaim.size()), kClaim))
        return false;
    const std::string_view rest = name.substr(kClaim.size());
    if (rest.starts_with('.') && rest.size() > 1)
        return true;
    return rest.starts_with('[') && rest.ends_with(']') && rest.size() > 2;
}

bool isAuthorityHeader(std::string_view name) {
    return equalsIgnoreCase(name, ":authority") || equalsIgnoreCase(name, "host");
}

std::string checkMatchHeaderName(std::string_view name) {
    if (name.empty())
        return "header name cannot be empty";
    if (isJwtClaimRoute(name))
        return {};
    for (std::string_view pseudo : {":method", ":scheme", ":authority", ":path", ":status"})
        if (name == pseudo)
            return {};
    if (!isHeaderToken(name))
        return "header name " + std::string(name) + " is not a valid header name";
    return {};
}

std::string checkCorsHeaderName(std::string_view name) {
    if (name.empty())
        return "header name cannot be empty";
    if (name == "*" || isHeaderToken(name))
        return {};
    return "header name " + std::string(name) + " is not a valid header name";
}

std::string checkRequestHeaderSetName(std::string_view name) {
    if (name.empty())
        return "header name cannot be empty";
    if (isInternalHeader(name) && !isAuthorityHeader(name))
        return "invalid header " + goQuote(name) + ": header cannot have \":\" prefix";
    return {};
}

std::string checkHeaderOperationName(std::string_view name) {
    if (name.empty())
        return "header name cannot be empty";
    if (equalsIgnoreCase(name, "host"))
        return "invalid header " + goQuote(name) + ": cannot set Host header";
    if (isInternalHeader(name))
        return "invalid header " + goQuote(name) + ": header cannot have \":\" prefix";
    return {};
}

std::string checkHeaderValue(std::string_view value) {
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u <= 0x08) || (u >= 0x0a && u <= 0x1f) || u == 0x7f)
            return "header value configuration " + std::string(value) + " is invalid";
    }
    if (auto e = checkHeaderFormatter(value); !e.empty())
        return "header value configuration: " + e;
    return {};
}

std::string checkRegex(std::string_view re, std::string_view where) {
    if (re.size() > kMaxRegexLength)
        return goQuote(where) + ": regex is too large, max length allowed is 1024";
    RE2::Options options;
    options.set_log_errors(false);
    const RE2 compiled(re, options);
    if (compiled.ok())
        return {};
    const std::string_view goText = goRegexpError(compiled.error_code());
    const std::string detail =
        goText.empty() ? compiled.error() : std::string(goText) + ": `" + compiled.error_arg() + "`";
    return goQuote(where) + ": error parsing regexp: " + detail +
           "; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)";
}

MatchKind matchKind(const model::StringMatch& sm) {
    if (sm.exact.present)
        return MatchKind::Exact;
    if (sm.prefix.present)
        return MatchKind::Prefix;
    if (sm.regex.present)
        return MatchKind::Regex;
    return MatchKind::None;
}

const model::Located<std::string>* matchValue(const model::StringMatch& sm) {
    switch (matchKind(sm)) {
    case MatchKind::Exact:
        return &sm.exact;
    case MatchKind::Prefix:
        return &sm.prefix;
    case MatchKind::Regex:
        return &sm.regex;
    case MatchKind::None:
        break;
    }
    return nullptr;
}

std::string checkStringMatchRegexp(const model::StringMatch& sm, std::string_view where) {
    if (matchKind(sm) != MatchKind::Regex)
        return {};
    if (sm.regex.value.empty())
        return goQuote(where) + ": regex string match should not be empty";
    return checkRegex(sm.regex.value, where);
}

std::string checkStringMatch(const model::StringMatch& sm, std::string_view where) {
    if (matchKind(sm) == MatchKind::Prefix && sm.prefix.value.empty())
        return goQuote(where) + ": prefix string match should not be empty";
    return checkStringMatchRegexp(sm, where);
}

std::string indexed(std::string_view prefix, std::size_t i) {
    return std::string(prefix) + "[" + std::to_string(i) + "]";
}

} // namespace sluice::validate::vs
