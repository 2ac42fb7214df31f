// SPDX-License-Identifier: Apache-2.0
// Header name and value checks of pkg/config/validation/validation.go (Validate*HTTPHeader*,
// ValidateHTTPHeaderValue) and header_value_validator.go, plus jwt.ToRoutingClaim.

#include "vs_header_checks.h"

#include "vs_checks.h"

namespace sluice::validate::vs {
namespace {

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

} // namespace

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

} // namespace sluice::validate::vs
