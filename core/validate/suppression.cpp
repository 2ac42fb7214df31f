// SPDX-License-Identifier: Apache-2.0
#include "suppression.h"

namespace sluice::validate {

bool globMatch(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

std::optional<Suppression> Suppression::parse(std::string_view text, std::string* error) {
    auto fail = [&](const char* why) -> std::optional<Suppression> {
        if (error)
            *error = std::string("invalid suppression \"") + std::string(text) + "\": " + why;
        return std::nullopt;
    };
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return fail("expected CODE=Kind name.namespace, e.g. IST0102=Namespace frod");
    Suppression s;
    s.code = std::string(text.substr(0, eq));
    std::string_view rest = text.substr(eq + 1);
    const auto space = rest.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 >= rest.size())
        return fail("expected a resource as \"Kind name.namespace\" after '='");
    s.kind = std::string(rest.substr(0, space));
    std::string_view nameNs = rest.substr(space + 1);
    const auto dot = nameNs.rfind('.');
    if (dot == std::string_view::npos) {
        s.name = std::string(nameNs);
        s.ns = "*";
    } else {
        s.name = std::string(nameNs.substr(0, dot));
        s.ns = std::string(nameNs.substr(dot + 1));
    }
    return s;
}

bool Suppression::matches(const model::Diagnostic& d) const {
    if (!globMatch(code, d.code))
        return false;
    // resource is "Kind ns/name"
    const auto space = d.resource.find(' ');
    const auto slash = d.resource.find('/', space == std::string::npos ? 0 : space);
    if (space == std::string::npos || slash == std::string::npos)
        return false;
    const std::string_view res(d.resource);
    return globMatch(kind, res.substr(0, space)) && globMatch(ns, res.substr(space + 1, slash - space - 1)) &&
           globMatch(name, res.substr(slash + 1));
}

} // namespace sluice::validate
