// SPDX-License-Identifier: Apache-2.0
#include "label_index.h"

namespace sluice::validate {
namespace {

std::string postingKey(const std::string& key, const std::string& value) {
    std::string out = key;
    out += '\0';
    out += value;
    return out;
}

const std::vector<std::size_t> kNone;

} // namespace

LabelIndex::LabelIndex(std::vector<const Labels*> sets)
    : m_sets(std::move(sets)) {
    for (std::size_t i = 0; i < m_sets.size(); ++i)
        for (const auto& [key, value] : *m_sets[i])
            m_postings[postingKey(key, value)].push_back(i);
}

const std::vector<std::size_t>* LabelIndex::rarest(const Labels& selector) const {
    const std::vector<std::size_t>* best = nullptr;
    for (const auto& [key, value] : selector) {
        const auto it = m_postings.find(postingKey(key, value));
        if (it == m_postings.end())
            return &kNone;
        if (!best || it->second.size() < best->size())
            best = &it->second;
    }
    return best;
}

std::vector<std::size_t> LabelIndex::select(const Labels& selector) const {
    std::vector<std::size_t> out;
    const auto* candidates = rarest(selector);
    if (!candidates) { // empty selector
        out.reserve(m_sets.size());
        for (std::size_t i = 0; i < m_sets.size(); ++i)
            out.push_back(i);
        return out;
    }
    for (const auto i : *candidates)
        if (selectorMatches(selector, *m_sets[i]))
            out.push_back(i);
    return out;
}

bool LabelIndex::any(const Labels& selector) const {
    const auto* candidates = rarest(selector);
    if (!candidates)
        return !m_sets.empty();
    for (const auto i : *candidates)
        if (selectorMatches(selector, *m_sets[i]))
            return true;
    return false;
}

} // namespace sluice::validate
