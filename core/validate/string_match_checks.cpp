// SPDX-License-Identifier: Apache-2.0
// StringMatch and regex checks (validateStringMatch, validateStringMatchRegexp, validateStringRegexp
// in pkg/config/validation/validation.go). Istio compiles regexes with Go's regexp, which is RE2.

#include "string_match_checks.h"

#include "vs_checks.h"

#include <re2/re2.h>

namespace sluice::validate::vs {
namespace {

constexpr std::size_t kMaxRegexLength = 1024;

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

} // namespace sluice::validate::vs
