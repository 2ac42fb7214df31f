// SPDX-License-Identifier: Apache-2.0
#include "suppression.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace sluice::validate {
namespace {

constexpr std::string_view kSuppressAnnotation = "galley.istio.io/analyze-suppress";

/// resource name -> codes its `galley.istio.io/analyze-suppress` annotation silences ("*" = all).
std::map<std::string, std::set<std::string>> annotationSuppressions(const model::ResourceSet& resources) {
    std::map<std::string, std::set<std::string>> out;
    resources.forEachResource([&](const auto& r) {
        const auto it = r.header.metadata.annotations.find(kSuppressAnnotation);
        if (it == r.header.metadata.annotations.end())
            return;
        std::set<std::string>& codes = out[model::resourceName(r)];
        std::stringstream list(it->second.value);
        for (std::string code; std::getline(list, code, ',');) {
            code.erase(0, code.find_first_not_of(" \t"));
            code.erase(code.find_last_not_of(" \t") + 1);
            if (!code.empty())
                codes.insert(code);
        }
    });
    return out;
}

} // namespace

void removeSuppressed(model::Diagnostics& diagnostics, const model::ResourceSet& resources,
                      const std::vector<Suppression>& suppressions) {
    const auto silenced = annotationSuppressions(resources);
    std::erase_if(diagnostics, [&](const model::Diagnostic& d) {
        if (const auto it = silenced.find(d.resource); it != silenced.end())
            if (it->second.contains("*") || it->second.contains(d.code))
                return true;
        return std::any_of(suppressions.begin(), suppressions.end(),
                           [&](const Suppression& s) { return s.matches(d); });
    });
}

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
        s.ns = std::string(1, '*'); // not `= "*"`: GCC 12 reports a false -Wrestrict (PR 105329)
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
