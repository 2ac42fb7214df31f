// SPDX-License-Identifier: Apache-2.0
#include "loader.h"

#include <map>
#include <string>
#include <utility>

namespace sluice::config {
namespace {

template <class R>
void dropRedefined(std::vector<R>& resources, const model::ResourceSet& set, model::Diagnostics& out) {
    std::map<std::pair<std::string, std::string>, std::size_t> last;
    for (std::size_t i = 0; i < resources.size(); ++i)
        last[{resources[i].header.ns(), resources[i].header.name()}] = i;
    if (last.size() == resources.size())
        return;
    std::vector<R> kept;
    kept.reserve(last.size());
    for (std::size_t i = 0; i < resources.size(); ++i) {
        const R& r = resources[i];
        const std::size_t winner = last[{r.header.ns(), r.header.name()}];
        if (winner == i) {
            kept.push_back(std::move(resources[i]));
            continue;
        }
        const auto& w = resources[winner].header;
        out.push_back({"SLU0009",
                       model::Level::Warning,
                       std::string(R::kKind) + " " + r.header.ns() + "/" + r.header.name() +
                           " is defined again at " + std::string(set.fileName(w.doc.file)) + ":" +
                           std::to_string(w.doc.firstLine) +
                           "; the later definition replaces this one, as kubectl apply would",
                       {r.header.doc.file, r.header.doc.firstLine, 1},
                       model::resourceName(r),
                       {}});
    }
    resources = std::move(kept);
}

} // namespace

void dropRedefinedResources(LoadResult& result) {
    auto& s = result.resources;
    auto& out = result.diagnostics;
    dropRedefined(s.gateways, s, out);
    dropRedefined(s.virtualServices, s, out);
    dropRedefined(s.destinationRules, s, out);
    dropRedefined(s.serviceEntries, s, out);
    dropRedefined(s.services, s, out);
    dropRedefined(s.secrets, s, out);
    dropRedefined(s.pods, s, out);
    dropRedefined(s.deployments, s, out);
    dropRedefined(s.workloads, s, out);
}

} // namespace sluice::config
