// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/virtual_service.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace sluice::routing {

/// A compiled Istio StringMatch as Envoy evaluates it: exact and prefix compare bytes (optionally
/// ASCII case-insensitive), regex is an RE2 *full* match, presence matches any value.
class StringMatcher {
public:
    enum class Kind : std::uint8_t { Exact, Prefix, Regex, Present };

    /// nullopt (and `error`) when the regex does not compile; an empty StringMatch is Present.
    [[nodiscard]] static std::optional<StringMatcher> compile(const model::StringMatch& match,
                                                              bool ignoreCase, std::string* error = nullptr);
    [[nodiscard]] static StringMatcher exact(std::string value, bool ignoreCase = false);
    [[nodiscard]] static StringMatcher prefix(std::string value, bool ignoreCase = false);
    [[nodiscard]] static StringMatcher present();

    [[nodiscard]] bool matches(std::string_view value) const;
    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] const std::string& value() const { return m_value; }
    [[nodiscard]] bool ignoreCase() const { return m_ignoreCase; }
    /// "exact \"/login\"", "prefix \"/api\"", "regex \"/v[0-9]+/.*\"", "present".
    [[nodiscard]] std::string describe() const;

private:
    StringMatcher(Kind kind, std::string value, bool ignoreCase)
        : m_kind(kind)
        , m_value(std::move(value))
        , m_ignoreCase(ignoreCase) {}

    Kind m_kind;
    std::string m_value;
    bool m_ignoreCase = false;
    std::shared_ptr<const re2::RE2> m_regex; // shared: compiled once, read by every worker
    /// Every full match of m_regex lies in [m_regexMin, m_regexMax] (RE2's PossibleMatchRange):
    /// most values fail that comparison long before the automaton would have run.
    std::string m_regexMin, m_regexMax;
    bool m_regexRanged = false;
};

} // namespace sluice::routing
