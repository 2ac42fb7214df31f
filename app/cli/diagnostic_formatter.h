// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"
#include "model/resource_set.h"

#include <ostream>
#include <string>

namespace sluice::cli {

enum class OutputFormat { Text, Json, Sarif };

/// Writes diagnostics as compiler-style text (`file:line:col: error IST0101: message [Kind ns/name]`),
/// a JSON array of {code, level, resource, file, line, column, field, message}, or SARIF 2.1.0.
class DiagnosticFormatter {
public:
    DiagnosticFormatter(const model::ResourceSet& resources, OutputFormat format, bool colour)
        : m_resources(resources), m_format(format), m_colour(colour) {}

    void write(const model::Diagnostics& diagnostics, std::ostream& out) const;

private:
    void writeText(const model::Diagnostics& diagnostics, std::ostream& out) const;
    void writeJson(const model::Diagnostics& diagnostics, std::ostream& out) const;
    void writeSarif(const model::Diagnostics& diagnostics, std::ostream& out) const;

    const model::ResourceSet& m_resources;
    OutputFormat m_format;
    bool m_colour;
};

/// istio.io documentation page for an IST code; empty for our own SLU codes.
[[nodiscard]] std::string documentationUrl(const std::string& code);

} // namespace sluice::cli
