// SPDX-License-Identifier: Apache-2.0
#include "format_detector.h"

#include "envoy_json_reader.h"
#include "envoy_text_reader.h"
#include "field_scanner.h"
#include "json_line.h"
#include "nginx_reader.h"

namespace sluice::traffic {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kBlank = " \t\r\n\f\v";

/// `"log"` is the first key of the object that starts `text` (at its '{').
bool startsWithLogKey(std::string_view text) {
    const std::size_t key = text.find_first_not_of(kBlank, 1);
    return key != std::string_view::npos && text.substr(key, 5) == "\"log\"";
}

} // namespace

Detection detectFormat(std::string_view head) {
    if (head.substr(0, kBom.size()) == kBom)
        head.remove_prefix(kBom.size());
    bool comments = false;
    while (true) {
        const std::size_t start = head.find_first_not_of(kBlank);
        if (start == std::string_view::npos)
            return {std::nullopt, comments ? "the file holds only '#' comment lines" : "the file is empty",
                    !comments};
        head.remove_prefix(start);
        if (head.front() != '#')
            break;
        comments = true;
        const std::size_t newline = head.find('\n');
        head = newline == std::string_view::npos ? std::string_view() : head.substr(newline + 1);
    }
    const std::size_t newline = head.find('\n');
    std::string_view line = head.substr(0, newline);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);

    if (line.front() == '{') {
        if (startsWithLogKey(head))
            return {RecordingFormat::Har, {}, false};
        const JsonLine parsed = parseJsonLine(line);
        if (!parsed.value || !parsed.value->is_object())
            return {RecordingFormat::Har, {}, false}; // a JSON document over several lines
        if (parsed.value->contains("log"))
            return {RecordingFormat::Har, {}, false};
        if (parsed.value->contains("t_ms") || parsed.value->contains("headers"))
            return {RecordingFormat::Jsonl, {}, false}; // Sluice JSONL's own keys
        if (EnvoyJsonReader::looksLike(line))
            return {RecordingFormat::EnvoyJson, {}, false};
        return {RecordingFormat::Jsonl, {}, false};
    }
    if (comments)
        return {std::nullopt, "after its '#' comments the first line is not a JSON object: " + excerpt(line),
                false};
    if (EnvoyTextReader::looksLike(line))
        return {RecordingFormat::EnvoyText, {}, false};
    if (NginxReader::looksLike(line))
        return {RecordingFormat::Nginx, {}, false};
    return {std::nullopt,
            "the first line is neither JSON, an Envoy access log line nor an nginx one: " + excerpt(line),
            false};
}

} // namespace sluice::traffic
