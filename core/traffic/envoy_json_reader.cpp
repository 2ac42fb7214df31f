// SPDX-License-Identifier: Apache-2.0
#include "envoy_json_reader.h"

#include "field_scanner.h"
#include "json_line.h"
#include "timestamp.h"

#include <array>
#include <initializer_list>
#include <utility>
#include <vector>

namespace sluice::traffic {
namespace {

/// "START_TIME", "startTime", "start_time" -> "starttime".
std::string normaliseKey(std::string_view key) {
    std::string out;
    for (const char c : key) {
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out += c;
    }
    return out;
}

constexpr std::array<std::string_view, 9> kEnvoyOnlyKeys{
    "starttime", "responsecode",  "responseflags", "upstreamcluster",    "upstreamclusterraw",
    "bytessent", "bytesreceived", "upstreamhost",  "responsecodedetails"};

class Fields {
public:
    explicit Fields(const Json& object) {
        for (const auto& [key, value] : object.items())
            m_fields.push_back(Field{normaliseKey(key), key, &value});
    }
    /// The first present key of `names`, with the key as the line spells it.
    std::pair<const Json*, std::string_view> find(std::initializer_list<std::string_view> names) const {
        for (const auto name : names)
            for (const auto& field : m_fields)
                if (field.normalised == name)
                    return {field.value, field.key};
        return {nullptr, {}};
    }
    bool hasEnvoyKey() const {
        for (const auto& field : m_fields)
            for (const auto key : kEnvoyOnlyKeys)
                if (field.normalised == key)
                    return true;
        return false;
    }

private:
    struct Field {
        std::string normalised;
        std::string_view key;
        const Json* value;
    };
    std::vector<Field> m_fields;
};

/// The text of the first present key of `names` ("" when absent, null or "-"); false with a
/// reason in `why` on a wrong type. Numbers are text only where `numbers` allows (codes, durations).
bool textField(const Fields& fields, std::initializer_list<std::string_view> names, std::string& out,
               std::string& why, bool numbers = false) {
    const auto [value, name] = fields.find(names);
    out.clear();
    if (!value)
        return true;
    auto text = value->is_string() || value->is_null() || (numbers && value->is_number()) ? jsonText(*value)
                                                                                          : std::nullopt;
    if (!text) {
        why = std::string(name) + " is " + std::string(jsonKind(*value)) +
              (numbers ? ", not a number or a string" : ", not a string");
        return false;
    }
    out = text == "-" ? std::string() : std::move(*text);
    return true;
}

} // namespace

LineOutcome EnvoyJsonReader::parseLine(std::string_view line) {
    const JsonLine parsed = parseJsonLine(line);
    if (!parsed.value)
        return LineOutcome::malformed("not JSON: " + parsed.error, parsed.column);
    if (!parsed.value->is_object())
        return LineOutcome::malformed("expected a JSON object, found " + std::string(jsonKind(*parsed.value)),
                                      1);
    const Fields fields(*parsed.value);

    LineOutcome out;
    RecordedRequest& r = out.request;
    std::string why;
    std::string start, status, duration, protocol, agent, forwarded, requestId;
    if (!textField(fields, {"method", "reqmethod", "requestmethod", "httpmethod"}, r.method, why) ||
        !textField(fields,
                   {"path", "reqxenvoyoriginalpathpath", "reqpath", "requestpath", "xenvoyoriginalpath",
                    "xenvoyoriginpath"},
                   r.path, why) ||
        !textField(fields, {"authority", "reqauthority", "host", "requestauthority"}, r.authority, why) ||
        !textField(fields, {"starttime", "timestamp"}, start, why) ||
        !textField(fields, {"responsecode", "status", "statuscode"}, status, why, true) ||
        !textField(fields, {"responseflags"}, r.responseFlags, why) ||
        !textField(fields, {"duration"}, duration, why, true) ||
        !textField(fields, {"upstreamcluster", "upstreamclusterraw"}, r.upstreamCluster, why) ||
        !textField(fields, {"protocol"}, protocol, why) ||
        !textField(fields, {"useragent", "requseragent"}, agent, why) ||
        !textField(fields, {"xforwardedfor", "reqxforwardedfor"}, forwarded, why) ||
        !textField(fields, {"requestid", "xrequestid", "reqxrequestid"}, requestId, why))
        return LineOutcome::malformed(why);
    if (r.method.empty()) {
        if (fields.hasEnvoyKey())
            return LineOutcome::notARequest(
                "no HTTP method (a TCP connection, or a request Envoy could not parse)");
        return LineOutcome::malformed("no \"method\" key: not an Envoy JSON access log entry");
    }
    if (!isHttpToken(r.method))
        return LineOutcome::malformed("method " + excerpt(r.method) + " is not an HTTP token");
    if (r.path.empty())
        return LineOutcome::malformed("no \"path\" for " + r.method);
    if (!start.empty()) {
        const auto at = parseIso8601(start);
        if (!at)
            return LineOutcome::malformed("start_time " + excerpt(start) + " is not an ISO 8601 time");
        r.startedAt = *at;
        out.stamp = sinceEpoch(*at);
    }
    if (!status.empty()) {
        if (!isDigits(status) || status.size() > 3)
            return LineOutcome::malformed("response_code " + excerpt(status) + " is not a status code");
        r.status = std::stoi(status);
    }
    if (!duration.empty()) {
        r.duration = parseMilliseconds(duration);
        if (!r.duration)
            return LineOutcome::malformed("duration " + excerpt(duration) +
                                          " is not a number of milliseconds");
    }
    r.protocol = normaliseProtocol(protocol);
    if (!agent.empty())
        r.addHeader("user-agent", agent);
    if (!forwarded.empty())
        r.addHeader("x-forwarded-for", forwarded);
    if (!requestId.empty())
        r.addHeader("x-request-id", requestId);
    out.detail = fields.find({"responsecodedetails"}).first ? "Istio JSON" : "Envoy JSON";
    out.kind = LineOutcome::Kind::Request;
    return out;
}

bool EnvoyJsonReader::looksLike(std::string_view line) {
    const JsonLine parsed = parseJsonLine(line);
    return parsed.value && parsed.value->is_object() && Fields(*parsed.value).hasEnvoyKey();
}

ReadResult EnvoyJsonReader::read(std::istream& in, const std::string& file) {
    RecordingBuilder builder(file, RecordingFormat::EnvoyJson);
    return readLineRecords(in, builder, &EnvoyJsonReader::parseLine);
}

} // namespace sluice::traffic
