// SPDX-License-Identifier: Apache-2.0
#include "decode_context.h"

namespace sluice::config {

void DecodeContext::report(model::Level level, std::string code, std::string message, model::SourceSpan at) {
    m_out.push_back(model::Diagnostic{std::move(code), level, std::move(message), at, m_resource, m_path});
}

bool DecodeContext::spend(model::SourceSpan at) {
    if (m_budget == 0)
        return false;
    if (--m_budget == 0) {
        report(model::Level::Error, "SLU0004",
               "document is too complex: its aliases expand past the node limit; loading stopped here", at);
        return false;
    }
    return true;
}

} // namespace sluice::config
