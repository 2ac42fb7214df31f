// SPDX-License-Identifier: Apache-2.0
#include "string_matcher.h"

#include "host_name.h"

#include <re2/re2.h>

namespace sluice::routing {
std::optional<StringMatcher> StringMatcher::compile(const model::StringMatch& match, bool ignoreCase,
                                                    std::string* error) {
    if (match.exact.present)
        return StringMatcher(Kind::Exact, match.exact.value, ignoreCase);
    if (match.prefix.present)
        return StringMatcher(Kind::Prefix, match.prefix.value, ignoreCase);
    if (match.regex.present) {
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_shared<const RE2>(match.regex.value, options);
        if (!re->ok()) {
            if (error)
                *error = "regex \"" + match.regex.value + "\" does not compile as RE2: " + re->error();
            return std::nullopt;
        }
        StringMatcher m(Kind::Regex, match.regex.value, false); // ignoreUriCase never applies to regex
        m.m_regexRanged = re->PossibleMatchRange(&m.m_regexMin, &m.m_regexMax, 16);
        m.m_regex = std::move(re);
        return m;
    }
    return present();
}

StringMatcher StringMatcher::exact(std::string value, bool ignoreCase) {
    return StringMatcher(Kind::Exact, std::move(value), ignoreCase);
}

StringMatcher StringMatcher::prefix(std::string value, bool ignoreCase) {
    return StringMatcher(Kind::Prefix, std::move(value), ignoreCase);
}

StringMatcher StringMatcher::present() {
    return StringMatcher(Kind::Present, {}, false);
}

bool StringMatcher::matches(std::string_view value) const {
    switch (m_kind) {
    case Kind::Exact:
        return m_ignoreCase ? equalsIgnoreCaseAscii(value, m_value) : value == m_value;
    case Kind::Prefix:
        if (value.size() < m_value.size())
            return false;
        return m_ignoreCase ? equalsIgnoreCaseAscii(value.substr(0, m_value.size()), m_value)
                            : value.starts_with(m_value);
    case Kind::Regex:
        if (m_regexRanged && (value < m_regexMin || value > m_regexMax))
            return false;
        return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *m_regex);
    case Kind::Present:
        return true;
    }
    return false;
}

std::string StringMatcher::describe() const {
    switch (m_kind) {
    case Kind::Exact:
        return "exact \"" + m_value + "\"" + (m_ignoreCase ? " (any case)" : "");
    case Kind::Prefix:
        return "prefix \"" + m_value + "\"" + (m_ignoreCase ? " (any case)" : "");
    case Kind::Regex:
        return "regex \"" + m_value + "\"";
    case Kind::Present:
        return "present";
    }
    return {};
}

} // namespace sluice::routing
