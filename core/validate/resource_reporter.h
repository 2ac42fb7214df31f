// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"
#include "model/resource_set.h"

#include <string>
#include <string_view>

namespace sluice::validate {

/// Reports findings about one resource. A finding without a known field position falls back to
/// the resource's document (first line), as istioctl does when it cannot find the field.
class ResourceReporter {
public:
    template <class R>
    ResourceReporter(model::Diagnostics& out, const R& resource)
        : m_out(out)
        , m_resource(model::resourceName(resource))
        , m_fallback{resource.header.doc.file, resource.header.doc.firstLine, 1} {}

    /// Schema error as the admission webhook would reject it (IST0106, Error).
    void error(std::string field, model::SourceSpan at, std::string message) {
        report("IST0106", model::Level::Error, std::move(field), at, std::move(message));
    }
    /// Schema warning (IST0133, Warning).
    void warning(std::string field, model::SourceSpan at, std::string message) {
        report("IST0133", model::Level::Warning, std::move(field), at, std::move(message));
    }
    void report(std::string code, model::Level level, std::string field, model::SourceSpan at, std::string message) {
        m_out.push_back({std::move(code), level, std::move(message), at.known() ? at : m_fallback, m_resource,
                         std::move(field)});
    }

    [[nodiscard]] const std::string& resource() const { return m_resource; }
    [[nodiscard]] model::SourceSpan documentSpan() const { return m_fallback; }

private:
    model::Diagnostics& m_out;
    std::string m_resource;
    model::SourceSpan m_fallback;
};

} // namespace sluice::validate
