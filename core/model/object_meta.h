// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schema.h"

#include <string>

namespace sluice::model {

/// Kubernetes metadata. A resource with no namespace is in `default` (as `istioctl -n default`):
/// `namespace_.value` then holds "default" while `present` stays false, so export keeps it absent.
struct ObjectMeta {
    Located<std::string> name;
    Located<std::string> namespace_;
    Located<std::string> generateName;
    Located<std::string> creationTimestamp;
    StringMap labels;
    StringMap annotations;
    SourceSpan span;
};

/// Where a resource's document sits in its file.
struct DocumentInfo {
    std::uint32_t file = 0;      ///< index into ResourceSet::files()
    std::uint32_t index = 0;     ///< 0-based document number in the file
    std::uint32_t firstLine = 0; ///< first non-blank, non-`---` line (comments count)
    std::size_t begin = 0;       ///< byte range of the document text in the file
    std::size_t end = 0;
};

/// What every resource kind carries besides its spec.
struct ResourceHeader {
    Located<std::string> apiVersion;
    Located<std::string> kind;
    ObjectMeta metadata;
    DocumentInfo doc;
    SourceSpan span; ///< the document's top-level mapping

    [[nodiscard]] const std::string& name() const { return metadata.name.value; }
    [[nodiscard]] const std::string& ns() const { return metadata.namespace_.value; }
};

namespace schema {
template <>
struct Message<ObjectMeta> {
    static constexpr std::string_view name = "ObjectMeta";
    static constexpr auto fields = std::tuple{
        Field{"name", &ObjectMeta::name},
        Field{"namespace", &ObjectMeta::namespace_},
        Field{"generateName", &ObjectMeta::generateName},
        Field{"creationTimestamp", &ObjectMeta::creationTimestamp},
        Field{"labels", &ObjectMeta::labels},
        Field{"annotations", &ObjectMeta::annotations},
    };
    static constexpr std::array<std::string_view, 9> ignored{
        "uid",      "resourceVersion", "generation",      "selfLink",   "deletionTimestamp",
        "finalizers", "ownerReferences", "managedFields", "deletionGracePeriodSeconds"};
};
} // namespace schema

} // namespace sluice::model
