// SPDX-License-Identifier: Apache-2.0
#include "jsonl_reader.h"

#include "field_scanner.h"
#include "json_line.h"
#include "model/base64.h"

#include <cmath>

namespace sluice::traffic {
namespace {

constexpr double kMaxTimeMillis = 1e13;

/// `value` must be a string: its text, or a reason.
bool stringValue(const Json& value, std::string_view key, std::string& out, std::string& why) {
    if (!value.is_string()) {
        why = std::string(key) + " is " + std::string(jsonKind(value)) + ", not a string";
        return false;
    }
    out = value.get_ref<const Json::string_t&>();
    return true;
}

/// A finite number in [0, max].
bool numberValue(const Json& value, std::string_view key, double max, double& out, std::string& why) {
    if (!value.is_number()) {
        why = std::string(key) + " is " + std::string(jsonKind(value)) + ", not a number";
        return false;
    }
    out = value.get<double>();
    if (!std::isfinite(out) || out < 0 || out > max) {
        why = std::string(key) + " " + value.dump() + " is out of range (0 to " +
              Json(static_cast<std::int64_t>(max)).dump() + ")";
        return false;
    }
    return true;
}

/// One header into `r`; pseudo-headers and Host handled. Empty on success, else why not.
std::string addHeader(RecordedRequest& r, const std::string& name, const Json& value, bool& authoritySet) {
    if (!value.is_string())
        return "headers." + name + " is " + std::string(jsonKind(value)) + ", not a string";
    const std::string lower = toLowerAscii(name);
    const std::string& text = value.get_ref<const Json::string_t&>();
    if (lower == "host" || lower == ":authority") {
        if (!authoritySet)
            r.authority = text;
        authoritySet = true;
        return {};
    }
    if (!isHttpToken(lower))
        return "header name " + excerpt(name) + " is not an HTTP token" +
               (lower.starts_with(':') ? " (use the method, path and scheme keys)" : "");
    r.headers.emplace_back(lower, text);
    return {};
}

std::string readHeaders(RecordedRequest& r, const Json& headers, bool& authoritySet) {
    if (headers.is_object()) {
        for (const auto& [name, value] : headers.items()) {
            if (value.is_array()) {
                for (const auto& each : value)
                    if (std::string why = addHeader(r, name, each, authoritySet); !why.empty())
                        return why;
            } else if (std::string why = addHeader(r, name, value, authoritySet); !why.empty()) {
                return why;
            }
        }
        return {};
    }
    if (headers.is_array()) {
        for (const auto& pair : headers) {
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string())
                return "headers must be [name, value] pairs of strings";
            if (std::string why = addHeader(r, pair[0].get<std::string>(), pair[1], authoritySet);
                !why.empty())
                return why;
        }
        return {};
    }
    return "headers is " + std::string(jsonKind(headers)) + ", not an object or an array";
}

} // namespace

LineOutcome JsonlReader::parseLine(std::string_view line) {
    if (line.find_first_not_of(" \t") != std::string_view::npos &&
        line[line.find_first_not_of(" \t")] == '#') {
        LineOutcome comment;
        comment.kind = LineOutcome::Kind::Ignored;
        return comment;
    }
    const JsonLine parsed = parseJsonLine(line);
    if (!parsed.value)
        return LineOutcome::malformed("not JSON: " + parsed.error, parsed.column);
    if (!parsed.value->is_object())
        return LineOutcome::malformed("expected a JSON object, found " + std::string(jsonKind(*parsed.value)),
                                      1);

    LineOutcome out;
    RecordedRequest& r = out.request;
    r.method = "GET";
    std::string why;
    std::string scheme;
    std::string body64;
    bool hasPath = false;
    bool hasBody = false;
    bool authoritySet = false;
    const Json* headers = nullptr;
    for (const auto& [key, value] : parsed.value->items()) {
        double number = 0;
        bool ok = true;
        if (key == "t_ms") {
            ok = numberValue(value, key, kMaxTimeMillis, number, why);
            out.stamp = std::chrono::microseconds(std::llround(number * 1000));
        } else if (key == "method") {
            ok = stringValue(value, key, r.method, why);
        } else if (key == "scheme") {
            ok = stringValue(value, key, scheme, why);
        } else if (key == "authority") {
            ok = stringValue(value, key, r.authority, why);
            authoritySet = true;
        } else if (key == "path") {
            ok = stringValue(value, key, r.path, why);
            hasPath = true;
        } else if (key == "headers") {
            headers = &value;
        } else if (key == "body") {
            ok = stringValue(value, key, r.body, why);
            hasBody = true;
        } else if (key == "body_base64") {
            ok = stringValue(value, key, body64, why);
        } else if (key == "protocol") {
            ok = stringValue(value, key, r.protocol, why);
        } else if (key == "status") {
            ok = numberValue(value, key, 999, number, why) && value.is_number_integer();
            if (ok)
                r.status = static_cast<int>(number);
            else if (why.empty())
                why = "status " + value.dump() + " is not an integer";
        } else if (key == "duration_ms") {
            ok = numberValue(value, key, 1e10, number, why);
            r.duration = std::chrono::microseconds(std::llround(number * 1000));
        } else if (key == "response_flags") {
            ok = stringValue(value, key, r.responseFlags, why);
        } else if (key == "upstream_cluster") {
            ok = stringValue(value, key, r.upstreamCluster, why);
        } else {
            ok = false;
            why = "unknown key " + excerpt(key);
        }
        if (!ok)
            return LineOutcome::malformed(why);
    }
    if (!hasPath)
        return LineOutcome::malformed("no \"path\"");
    if (r.path.empty() || (r.path.front() != '/' && r.path != "*"))
        return LineOutcome::malformed("path " + excerpt(r.path) + " does not start with '/'");
    if (!isHttpToken(r.method))
        return LineOutcome::malformed("method " + excerpt(r.method) + " is not an HTTP token");
    r.scheme = toLowerAscii(scheme);
    if (!r.scheme.empty() && r.scheme != "http" && r.scheme != "https")
        return LineOutcome::malformed("scheme " + excerpt(scheme) + " is not http or https");
    if (parsed.value->contains("body_base64")) {
        if (hasBody)
            return LineOutcome::malformed("body and body_base64 both given");
        auto decoded = model::decodeBase64(body64);
        if (!decoded)
            return LineOutcome::malformed("body_base64 is not base64");
        r.body = std::move(*decoded);
    }
    if (headers)
        if (std::string bad = readHeaders(r, *headers, authoritySet); !bad.empty())
            return LineOutcome::malformed(bad);
    out.detail = "Sluice JSONL";
    out.kind = LineOutcome::Kind::Request;
    return out;
}

ReadResult JsonlReader::read(std::istream& in, const std::string& file) {
    RecordingBuilder builder(file, RecordingFormat::Jsonl);
    return readLineRecords(in, builder, &JsonlReader::parseLine);
}

} // namespace sluice::traffic
