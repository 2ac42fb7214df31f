// SPDX-License-Identifier: Apache-2.0
// Istio's annotation analyzers: annotations.K8sAnalyzer (IST0108 unknown, IST0135 deprecated, IST0107
// misplaced, IST0125 invalid value) and maturity.AlphaAnalyzer (IST0136 alpha). Like Istio they look
// at the annotations of Namespaces, Services, Pods and Deployments (Namespaces are not modelled).

#include "annotation_registry.h"
#include "resource_reporter.h"
#include "rules.h"

#include <string>
#include <string_view>

namespace sluice::validate {
namespace {

constexpr std::string_view kSidecarInject = "sidecar.istio.io/inject";

/// Annotations istiod sets on every injected pod; the alpha analyzer stays quiet about them when
/// the pod has no istio-init container (CNI). Pod specs are not modelled, so pods count as CNI.
bool setByDefault(std::string_view name) {
    return name == "sidecar.istio.io/interceptionMode" ||
           name == "traffic.sidecar.istio.io/includeInboundPorts" ||
           name == "traffic.sidecar.istio.io/excludeInboundPorts" ||
           name == "traffic.sidecar.istio.io/includeOutboundIPRanges";
}

template <class R> void checkResource(const R& resource, std::string_view kind, model::Diagnostics& out) {
    const auto& meta = resource.header.metadata;
    if (meta.annotations.empty())
        return;
    ResourceReporter r(out, resource);
    for (const auto& [name, value] : meta.annotations) {
        if (!isIstioAnnotation(name))
            continue;
        const std::string field = "metadata.annotations." + name;
        const AnnotationInfo* info = findAnnotation(name);
        if (info == nullptr) {
            r.report("IST0108", model::Level::Warning, field, value.span, "Unknown annotation: " + name);
            continue;
        }
        // Someone keeping the deprecated inject annotation beside its label knows what they do.
        if (info->deprecated && !(name == kSidecarInject && meta.labels.contains(kSidecarInject))) {
            const std::string extra =
                name == kSidecarInject ? " in favor of the \"sidecar.istio.io/inject\" label" : std::string();
            r.report("IST0135", model::Level::Info, field, value.span,
                     "Annotation \"" + name + "\" has been deprecated" + extra +
                         " and may not work in future Istio versions.");
        }
        if (info->appliesToAnyKind())
            continue;
        if (!info->appliesTo(kind)) {
            r.report("IST0107", model::Level::Warning, field, value.span,
                     "Misplaced annotation: " + name + " can only be applied to " + info->resourceList());
            continue;
        }
        if (auto problem = checkAnnotationValue(name, value.value))
            r.report("IST0125", model::Level::Warning, field, value.span,
                     "Invalid annotation " + name + ": " + *problem);
    }
}

template <class R> void checkMaturity(const R& resource, bool isPod, model::Diagnostics& out) {
    const auto& annotations = resource.header.metadata.annotations;
    if (annotations.empty())
        return;
    ResourceReporter r(out, resource);
    for (const auto& [name, value] : annotations) {
        if (!isIstioAnnotation(name))
            continue;
        const AnnotationInfo* info = findAnnotation(name);
        if (info == nullptr || info->status != FeatureStatus::Alpha || name == "sidecar.istio.io/status")
            continue;
        if (isPod && setByDefault(name))
            continue;
        r.report("IST0136", model::Level::Info, "metadata.annotations." + name, value.span,
                 "Annotation \"" + name +
                     "\" is part of an alpha-phase feature and may be incompletely supported.");
    }
}

} // namespace

void checkAnnotations(const model::ResourceSet& resources, model::Diagnostics& out) {
    for (const auto& s : resources.services)
        checkResource(s, "Service", out);
    for (const auto& p : resources.pods)
        checkResource(p, "Pod", out);
    for (const auto& d : resources.deployments)
        checkResource(d, "Deployment", out);

    for (const auto& s : resources.services)
        checkMaturity(s, false, out);
    for (const auto& p : resources.pods)
        checkMaturity(p, true, out);
    for (const auto& d : resources.deployments)
        checkMaturity(d, false, out);
}

} // namespace sluice::validate
