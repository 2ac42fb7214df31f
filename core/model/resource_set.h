// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "deployment.h"
#include "destination_rule.h"
#include "gateway.h"
#include "pod.h"
#include "secret.h"
#include "service.h"
#include "service_entry.h"
#include "virtual_service.h"
#include "workload.h"

#include <string>
#include <string_view>
#include <vector>

namespace sluice::model {

/// A file as read: its path as given and its full text (after a UTF-8 byte-order mark is dropped).
struct SourceFile {
    std::string path;
    std::string text;
    std::vector<DocumentInfo> documents; ///< every non-empty document, in file order
};

/// A document of a kind outside the model (Rollout, Gateway API, CRDs...): kept aside, not lost.
struct SkippedDocument {
    DocumentInfo doc;
    std::string apiVersion;
    std::string kind;
    std::string name;
    std::string ns;
};

/// Everything loaded from a set of files, by kind, in load order (files in the order given,
/// directories sorted, documents in file order). A plain value: copy it, diff it, hand it off.
struct ResourceSet {
    std::vector<SourceFile> files;
    std::vector<Gateway> gateways;
    std::vector<VirtualService> virtualServices;
    std::vector<DestinationRule> destinationRules;
    std::vector<ServiceEntry> serviceEntries;
    std::vector<Service> services;
    std::vector<Secret> secrets;
    std::vector<Pod> pods;
    std::vector<Deployment> deployments;
    std::vector<Workload> workloads;
    std::vector<SkippedDocument> skipped;

    [[nodiscard]] std::string_view fileName(std::uint32_t file) const {
        return file < files.size() ? std::string_view(files[file].path) : std::string_view();
    }

    /// Calls `f(resource)` for every modelled resource, kind by kind.
    template <class F>
    void forEachResource(F&& f) const {
        for (const auto& r : gateways) f(r);
        for (const auto& r : virtualServices) f(r);
        for (const auto& r : destinationRules) f(r);
        for (const auto& r : serviceEntries) f(r);
        for (const auto& r : services) f(r);
        for (const auto& r : secrets) f(r);
        for (const auto& r : pods) f(r);
        for (const auto& r : deployments) f(r);
        for (const auto& r : workloads) f(r);
    }

    [[nodiscard]] std::size_t resourceCount() const {
        return gateways.size() + virtualServices.size() + destinationRules.size() + serviceEntries.size() +
               services.size() + secrets.size() + pods.size() + deployments.size() + workloads.size();
    }
};

/// "Kind namespace/name", the way istioctl names a resource in its messages.
template <class R>
[[nodiscard]] std::string resourceName(const R& r) {
    return std::string(R::kKind) + " " + r.header.ns() + "/" + r.header.name();
}

} // namespace sluice::model
