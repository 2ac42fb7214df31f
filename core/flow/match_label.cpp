// SPDX-License-Identifier: Apache-2.0
#include "match_label.h"

#include <cstdio>

namespace sluice::flow {
namespace {

void append(std::string& out, const std::string& part) {
    if (!part.empty())
        out += (out.empty() ? "" : ", ") + part;
}

// `prefix /a`, `exact /a`, `regex ^/a.*`; `present` for an empty StringMatch (header presence).
std::string stringMatch(const model::StringMatch& m) {
    if (m.exact.present)
        return "exact " + m.exact.value;
    if (m.prefix.present)
        return "prefix " + m.prefix.value;
    if (m.regex.present)
        return "regex " + m.regex.value;
    return "present";
}

// `end-user=jason` for exact values, `end-user prefix qa-` otherwise.
std::string keyed(const std::string& key, const model::StringMatch& m) {
    if (m.exact.present)
        return key + "=" + m.exact.value;
    return key + " " + stringMatch(m);
}

std::string keyedList(std::string_view title, const model::MessageMap<model::StringMatch>& map) {
    std::string out;
    for (const auto& [key, m] : map)
        out += (out.empty() ? std::string(title) + " " : std::string(", ")) + keyed(key, m);
    return out;
}

template <class Strings> std::string joined(std::string_view title, const Strings& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? std::string(title) + " " : std::string(",")) + i.value;
    return out;
}

std::string labels(const model::StringMap& map) {
    std::string out;
    for (const auto& [k, v] : map)
        out += (out.empty() ? "sourceLabels " : ",") + k + "=" + v.value;
    return out;
}

} // namespace

std::string matchLabel(const model::HTTPMatchRequest& m) {
    std::string out;
    if (m.method)
        append(out, m.method->exact.present ? m.method->exact.value : "method " + stringMatch(*m.method));
    if (m.uri)
        append(out, stringMatch(*m.uri) + (m.ignoreUriCase.valueOr(false) ? " (any case)" : ""));
    if (m.authority)
        append(out, "authority " + stringMatch(*m.authority));
    if (m.scheme)
        append(out, "scheme " + stringMatch(*m.scheme));
    append(out, keyedList("headers", m.headers));
    append(out, keyedList("without headers", m.withoutHeaders));
    append(out, keyedList("query", m.queryParams));
    if (m.port.present)
        append(out, "port " + std::to_string(m.port.value));
    append(out, labels(m.sourceLabels));
    if (m.sourceNamespace.present)
        append(out, "sourceNamespace " + m.sourceNamespace.value);
    append(out, joined("gateways", m.gateways));
    return out.empty() ? "any request" : out;
}

std::string matchLabel(const model::TLSMatchAttributes& m) {
    std::string out = joined("sni", m.sniHosts);
    if (m.port.present)
        append(out, "port " + std::to_string(m.port.value));
    append(out, joined("subnet", m.destinationSubnets));
    append(out, labels(m.sourceLabels));
    append(out, joined("gateways", m.gateways));
    return out.empty() ? "any connection" : out;
}

std::string matchLabel(const model::L4MatchAttributes& m) {
    std::string out;
    if (m.port.present)
        append(out, "port " + std::to_string(m.port.value));
    append(out, joined("subnet", m.destinationSubnets));
    append(out, labels(m.sourceLabels));
    append(out, joined("gateways", m.gateways));
    return out.empty() ? "any connection" : out;
}

std::string weightLabel(std::uint64_t weight, std::uint64_t total) {
    if (total == 0)
        return "0%";
    if ((weight * 100) % total == 0)
        return std::to_string(weight * 100 / total) + "%";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%",
                  static_cast<double>(weight) * 100.0 / static_cast<double>(total));
    return buffer;
}

} // namespace sluice::flow
