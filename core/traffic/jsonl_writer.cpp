// SPDX-License-Identifier: Apache-2.0
#include "jsonl_writer.h"

#include "model/base64.h"

#include <set>

#include <nlohmann/json.hpp>

namespace sluice::traffic {
namespace {

using Json = nlohmann::ordered_json;

bool isValidUtf8(const std::string& text) {
    try {
        (void)Json(text).dump();
        return true;
    } catch (const Json::type_error&) {
        return false;
    }
}

/// Whole milliseconds as an integer, else with the microseconds as a fraction.
Json millis(std::chrono::microseconds us) {
    if (us.count() % 1000 == 0)
        return us.count() / 1000;
    return static_cast<double>(us.count()) / 1000.0;
}

} // namespace

std::string formatJsonlLine(const RecordedRequest& r) {
    Json line = Json::object();
    line["t_ms"] = millis(r.offset);
    line["method"] = r.method;
    if (!r.scheme.empty())
        line["scheme"] = r.scheme;
    if (!r.authority.empty())
        line["authority"] = r.authority;
    line["path"] = r.path;
    if (!r.headers.empty()) {
        std::set<std::string> names;
        bool repeats = false;
        for (const auto& header : r.headers)
            repeats = repeats || !names.insert(header.first).second;
        Json headers = repeats ? Json::array() : Json::object();
        for (const auto& [name, value] : r.headers) {
            if (repeats)
                headers.push_back(Json::array({name, value}));
            else
                headers[name] = value;
        }
        line["headers"] = std::move(headers);
    }
    if (!r.body.empty()) {
        if (isValidUtf8(r.body))
            line["body"] = r.body;
        else
            line["body_base64"] = model::encodeBase64(r.body);
    }
    if (!r.protocol.empty())
        line["protocol"] = r.protocol;
    if (r.status)
        line["status"] = *r.status;
    if (r.duration)
        line["duration_ms"] = millis(*r.duration);
    if (!r.responseFlags.empty())
        line["response_flags"] = r.responseFlags;
    if (!r.upstreamCluster.empty())
        line["upstream_cluster"] = r.upstreamCluster;
    return line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace sluice::traffic
