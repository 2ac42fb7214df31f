// SPDX-License-Identifier: Apache-2.0
#include "export_naming.h"

namespace sluice::config {
namespace {

std::string part(std::string_view text, bool lower) {
    std::string out;
    for (char c : text) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (lower && c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        out += alnum || c == '-' || c == '_' || c == '.' ? c : '_';
    }
    if (out.empty())
        return "unnamed";
    if (out.front() == '.')
        out.front() = '_'; // no hidden files, no ".."
    return out;
}

} // namespace

std::string FileNamer::name(const ResourceIdentity& id) {
    const std::string stem = part(id.kind, true) + "-" + part(id.ns, false) + "-" + part(id.name, false);
    const int n = ++m_used[stem];
    std::string candidate = n == 1 ? stem : stem + "-" + std::to_string(n);
    // "a-b" + "-2" could collide with a resource literally named "...-2": keep counting.
    while (n > 1 && m_used.contains(candidate))
        candidate = stem + "-" + std::to_string(++m_used[stem]);
    if (n > 1)
        m_used[candidate] = 1;
    return candidate + ".yaml";
}

} // namespace sluice::config
