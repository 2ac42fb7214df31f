// SPDX-License-Identifier: Apache-2.0
#include "diagnostic_formatter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace sluice::cli {
namespace {

using model::Level;

std::string lowerLevel(Level level) {
    switch (level) {
    case Level::Info:
        return "info";
    case Level::Warning:
        return "warning";
    case Level::Error:
        return "error";
    }
    return "error";
}

const char* colourOf(Level level) {
    switch (level) {
    case Level::Info:
        return "\x1b[36m";
    case Level::Warning:
        return "\x1b[33m";
    case Level::Error:
        return "\x1b[31m";
    }
    return "";
}

} // namespace

std::string documentationUrl(const std::string& code) {
    if (!code.starts_with("IST"))
        return {};
    std::string lower = code;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return "https://istio.io/latest/docs/reference/config/analysis/" + lower + "/";
}

void DiagnosticFormatter::write(const model::Diagnostics& diagnostics, std::ostream& out) const {
    switch (m_format) {
    case OutputFormat::Text:
        writeText(diagnostics, out);
        break;
    case OutputFormat::Json:
        writeJson(diagnostics, out);
        break;
    case OutputFormat::Sarif:
        writeSarif(diagnostics, out);
        break;
    }
}

void DiagnosticFormatter::writeText(const model::Diagnostics& diagnostics, std::ostream& out) const {
    const char* bold = m_colour ? "\x1b[1m" : "";
    const char* reset = m_colour ? "\x1b[0m" : "";
    for (const auto& d : diagnostics) {
        out << bold << m_resources.fileName(d.span.file) << ':' << d.span.line << ':' << d.span.column << ":" << reset
            << ' ' << (m_colour ? colourOf(d.level) : "") << lowerLevel(d.level) << ' ' << d.code << reset << ": "
            << d.message;
        if (!d.resource.empty())
            out << " [" << d.resource << ']';
        out << '\n';
    }
}

void DiagnosticFormatter::writeJson(const model::Diagnostics& diagnostics, std::ostream& out) const {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const auto& d : diagnostics) {
        nlohmann::ordered_json j;
        j["code"] = d.code;
        j["level"] = std::string(model::levelName(d.level));
        j["resource"] = d.resource;
        j["file"] = std::string(m_resources.fileName(d.span.file));
        j["line"] = d.span.line;
        j["column"] = d.span.column;
        j["field"] = d.field;
        j["message"] = d.message;
        if (const std::string url = documentationUrl(d.code); !url.empty())
            j["documentationUrl"] = url;
        array.push_back(std::move(j));
    }
    out << array.dump(2) << '\n';
}

void DiagnosticFormatter::writeSarif(const model::Diagnostics& diagnostics, std::ostream& out) const {
    using nlohmann::ordered_json;
    std::map<std::string, Level> rules;
    for (const auto& d : diagnostics)
        rules.emplace(d.code, d.level);
    ordered_json ruleArray = ordered_json::array();
    std::map<std::string, std::size_t> ruleIndex;
    for (const auto& [code, level] : rules) {
        ordered_json rule;
        rule["id"] = code;
        if (const std::string url = documentationUrl(code); !url.empty())
            rule["helpUri"] = url;
        rule["defaultConfiguration"] = {{"level", level == Level::Info ? "note" : lowerLevel(level)}};
        ruleIndex[code] = ruleArray.size();
        ruleArray.push_back(std::move(rule));
    }
    ordered_json results = ordered_json::array();
    for (const auto& d : diagnostics) {
        ordered_json r;
        r["ruleId"] = d.code;
        r["ruleIndex"] = ruleIndex[d.code];
        r["level"] = d.level == Level::Info ? "note" : lowerLevel(d.level);
        r["message"] = {{"text", d.resource.empty() ? d.message : d.message + " [" + d.resource + "]"}};
        ordered_json region = {{"startLine", std::max<std::uint32_t>(1, d.span.line)},
                               {"startColumn", std::max<std::uint32_t>(1, d.span.column)}};
        r["locations"] = ordered_json::array(
            {{{"physicalLocation",
               {{"artifactLocation", {{"uri", std::string(m_resources.fileName(d.span.file))}}}, {"region", region}}}}});
        if (!d.resource.empty())
            r["properties"] = {{"resource", d.resource}, {"field", d.field}};
        results.push_back(std::move(r));
    }
    ordered_json log;
    log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    log["version"] = "2.1.0";
    log["runs"] = ordered_json::array(
        {{{"tool",
           {{"driver",
             {{"name", "sluice"},
              {"version", SLUICE_VERSION},
              {"informationUri", "https://istio.io/latest/docs/reference/config/analysis/"},
              {"rules", ruleArray}}}}},
          {"results", results}}});
    out << log.dump(2) << '\n';
}

} // namespace sluice::cli
