// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "analyzer_support.h"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::validate {

/// Inverted index from `key=value` to the label sets carrying it, so that "which workloads does
/// this selector select" costs the size of the rarest posting list, not the number of workloads.
/// The label sets are borrowed: they must outlive the index.
class LabelIndex {
public:
    LabelIndex() = default;
    explicit LabelIndex(std::vector<const Labels*> sets);

    /// Positions (into the constructor's vector, ascending) of every set `selector` selects.
    /// An empty selector selects every set.
    [[nodiscard]] std::vector<std::size_t> select(const Labels& selector) const;
    /// True when at least one set is selected.
    [[nodiscard]] bool any(const Labels& selector) const;

private:
    [[nodiscard]] const std::vector<std::size_t>* rarest(const Labels& selector) const;

    std::vector<const Labels*> m_sets;
    std::unordered_map<std::string, std::vector<std::size_t>> m_postings;
};

} // namespace sluice::validate
