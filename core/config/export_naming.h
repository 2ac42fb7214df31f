// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>

namespace sluice::config {

/// What a document is, for naming split files and for notes.
struct ResourceIdentity {
    std::string kind; ///< empty when unknown
    std::string ns;
    std::string name;
};

/// Names split export files `kind-namespace-name.yaml`: kind lower-cased; every character outside
/// [A-Za-z0-9._-] becomes '_', so a name can never leave the output directory; a missing part
/// becomes "unnamed"; a name already handed out gets "-2", "-3", ... before the extension.
class FileNamer {
public:
    [[nodiscard]] std::string name(const ResourceIdentity& id);

private:
    std::map<std::string, int> m_used;
};

} // namespace sluice::config
