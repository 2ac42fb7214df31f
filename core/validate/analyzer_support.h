// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "go_format.h"

// Small pieces Istio's analyzers share (pkg/config/host, pkg/config/analysis/analyzers/util, the
// k8s label selector) and the Go formatting of their messages. Pure functions, no state.

#include "model/schema.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::validate {

/// Labels of a workload, as a selector sees them.
using Labels = std::map<std::string, std::string, std::less<>>;

/// Kubernetes equality selector built from a map: every key present with the same value.
/// An empty selector selects everything (labels.SelectorFromSet semantics).
[[nodiscard]] bool selectorMatches(const model::StringMap& selector, const Labels& labels);
[[nodiscard]] bool selectorMatches(const Labels& selector, const Labels& labels);
/// `k1=v1,k2=v2` with keys sorted, as k8s labels.Selector.String() prints it ("" when empty).
[[nodiscard]] std::string selectorString(const model::StringMap& selector);
[[nodiscard]] Labels toLabels(const model::StringMap& map);

/// Istio host.Name.Matches: exact match, or either side a `*` wildcard covering the other.
[[nodiscard]] bool hostMatches(std::string_view a, std::string_view b);
/// util.ConvertHostToFQDN: a short name `x` becomes `x.<ns>.svc.cluster.local`; wildcards and
/// dotted names are left alone.
[[nodiscard]] std::string convertHostToFqdn(std::string_view ns, std::string_view host);

struct FullName {
    std::string ns;
    std::string name;
    friend auto operator<=>(const FullName&, const FullName&) = default;
};
/// util.GetResourceNameFromHost: `name.ns.svc.cluster.local` names a Service; anything else is a
/// short name in `defaultNs`.
[[nodiscard]] FullName resourceNameFromHost(std::string_view defaultNs, std::string_view host);
/// resource.NewShortOrFullName: `ns/name`, or `name` in `defaultNs`.
[[nodiscard]] FullName shortOrFullName(std::string_view defaultNs, std::string_view text);
/// A `<scope>/<fqdn>` key of util.ScopedFqdn.
[[nodiscard]] std::string scopedFqdn(std::string_view scope, std::string_view ns, std::string_view host);

/// Istio's util.IsExportToAllNamespaces: empty or containing `*`.
[[nodiscard]] bool exportsToAll(const std::vector<model::Located<std::string>>& exportTo);

/// Lower-case ASCII copy.
[[nodiscard]] std::string lower(std::string_view s);

} // namespace sluice::validate
