// SPDX-License-Identifier: Apache-2.0
#include "har_entry.h"

#include "field_scanner.h"
#include "http_url.h"
#include "json_line.h"
#include "model/base64.h"
#include "timestamp.h"

#include <cmath>

namespace sluice::traffic {
namespace {

using HarJson = nlohmann::json;

/// Member `key` of `object` when present, else nullptr.
const HarJson* member(const HarJson& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

/// application/x-www-form-urlencoded.
void formEncode(std::string& out, const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '*') {
            out += ch;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
}

class EntryReader {
public:
    EntryReader(const HarJson& entry, std::size_t index)
        : m_entry(entry)
        , m_prefix("log.entries[" + std::to_string(index) + "]") {}

    HarEntry read();

private:
    /// `where` of the right type, or a reason.
    const HarJson* need(const HarJson& parent, const char* key, const std::string& path,
                        HarJson::value_t type, const char* kind);
    bool readHeaders(const HarJson& headers, RecordedRequest& r, std::string& host);
    bool readBody(const HarJson& postData, RecordedRequest& r);

    const HarJson& m_entry;
    std::string m_prefix;
    std::string m_reason;
};

const HarJson* EntryReader::need(const HarJson& parent, const char* key, const std::string& path,
                                 HarJson::value_t type, const char* kind) {
    const HarJson* value = member(parent, key);
    if (!value) {
        m_reason = m_prefix + path + " is missing";
        return nullptr;
    }
    const bool ok = type == HarJson::value_t::number_float ? value->is_number() : value->type() == type;
    if (!ok) {
        m_reason = m_prefix + path + " is " + std::string(jsonKind(*value)) + ", not " + kind;
        return nullptr;
    }
    return value;
}

bool EntryReader::readHeaders(const HarJson& headers, RecordedRequest& r, std::string& host) {
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const HarJson& header = headers[i];
        const std::string where = ".request.headers[" + std::to_string(i) + "]";
        if (!header.is_object()) {
            m_reason = m_prefix + where + " is " + std::string(jsonKind(header)) + ", not an object";
            return false;
        }
        const HarJson* name = need(header, "name", where + ".name", HarJson::value_t::string, "a string");
        const HarJson* value =
            name ? need(header, "value", where + ".value", HarJson::value_t::string, "a string") : nullptr;
        if (!value)
            return false;
        const std::string lower = toLowerAscii(name->get_ref<const std::string&>());
        const std::string& text = value->get_ref<const std::string&>();
        if (lower == ":authority")
            r.authority = text;
        else if (lower == "host")
            host = text;
        else if (!lower.starts_with(':')) // :method, :path, :scheme repeat request.method and url
            r.headers.emplace_back(lower, text);
    }
    return true;
}

bool EntryReader::readBody(const HarJson& postData, RecordedRequest& r) {
    const HarJson* text = member(postData, "text");
    if (text && !text->is_string()) {
        m_reason = m_prefix + ".request.postData.text is " + std::string(jsonKind(*text)) + ", not a string";
        return false;
    }
    if (text && !text->get_ref<const std::string&>().empty()) {
        const HarJson* encoding = member(postData, "encoding");
        if (!encoding)
            encoding = member(postData, "_encoding");
        if (encoding && encoding->is_string() &&
            toLowerAscii(encoding->get_ref<const std::string&>()) == "base64") {
            auto decoded = model::decodeBase64(text->get_ref<const std::string&>());
            if (!decoded) {
                m_reason = m_prefix + ".request.postData.text is not valid base64";
                return false;
            }
            r.body = std::move(*decoded);
        } else {
            r.body = text->get_ref<const std::string&>();
        }
        return true;
    }
    const HarJson* params = member(postData, "params");
    if (!params || !params->is_array())
        return true;
    for (const HarJson& param : *params) {
        const HarJson* name = param.is_object() ? member(param, "name") : nullptr;
        const HarJson* value = param.is_object() ? member(param, "value") : nullptr;
        if (!name || !name->is_string() || (value && !value->is_string())) {
            m_reason = m_prefix + ".request.postData.params must be {name, value} strings";
            return false;
        }
        if (!r.body.empty())
            r.body += '&';
        formEncode(r.body, name->get_ref<const std::string&>());
        r.body += '=';
        if (value)
            formEncode(r.body, value->get_ref<const std::string&>());
    }
    return true;
}

HarEntry EntryReader::read() {
    HarEntry out;
    RecordedRequest r;
    const HarJson* request = need(m_entry, "request", ".request", HarJson::value_t::object, "an object");
    const HarJson* method =
        request ? need(*request, "method", ".request.method", HarJson::value_t::string, "a string") : nullptr;
    const HarJson* url =
        method ? need(*request, "url", ".request.url", HarJson::value_t::string, "a string") : nullptr;
    const HarJson* started =
        url ? need(m_entry, "startedDateTime", ".startedDateTime", HarJson::value_t::string, "a string")
            : nullptr;
    if (!started) {
        out.reason = std::move(m_reason);
        return out;
    }
    r.method = method->get<std::string>();
    if (!isHttpToken(r.method)) {
        out.reason = m_prefix + ".request.method " + excerpt(r.method) + " is not an HTTP method";
        return out;
    }
    const auto at = parseIso8601(started->get_ref<const std::string&>());
    if (!at) {
        out.reason = m_prefix + ".startedDateTime " + excerpt(started->get_ref<const std::string&>()) +
                     " is not an ISO 8601 time";
        return out;
    }
    const auto parts = splitHttpUrl(url->get_ref<const std::string&>());
    if (!parts) {
        out.reason = m_prefix + ".request.url " + excerpt(url->get_ref<const std::string&>()) +
                     " is not an http(s) URL";
        return out;
    }
    std::string host;
    if (const HarJson* headers = member(*request, "headers")) {
        if (!headers->is_array()) {
            out.reason =
                m_prefix + ".request.headers is " + std::string(jsonKind(*headers)) + ", not an array";
            return out;
        }
        if (!readHeaders(*headers, r, host)) {
            out.reason = std::move(m_reason);
            return out;
        }
    }
    if (r.authority.empty())
        r.authority = host.empty() ? parts->authority : host;
    r.scheme = parts->scheme;
    r.path = parts->path;
    if (const HarJson* version = member(*request, "httpVersion"); version && version->is_string())
        r.protocol = normaliseProtocol(version->get_ref<const std::string&>());
    if (const HarJson* postData = member(*request, "postData"); postData && postData->is_object())
        if (!readBody(*postData, r)) {
            out.reason = std::move(m_reason);
            return out;
        }
    if (const HarJson* time = member(m_entry, "time")) {
        if (!time->is_number() && !time->is_null()) {
            out.reason = m_prefix + ".time is " + std::string(jsonKind(*time)) + ", not a number";
            return out;
        }
        const double ms = time->is_number() ? time->get<double>() : -1;
        if (std::isfinite(ms) && ms >= 0 && ms <= 1e10)
            r.duration = std::chrono::microseconds(std::llround(ms * 1000));
    }
    if (const HarJson* response = member(m_entry, "response"); response && response->is_object()) {
        if (const HarJson* status = member(*response, "status")) {
            if (!status->is_number_integer() || status->get<std::int64_t>() < 0 ||
                status->get<std::int64_t>() > 999) {
                out.reason =
                    m_prefix + ".response.status " + excerpt(status->dump()) + " is not a status code";
                return out;
            }
            r.status = static_cast<int>(status->get<std::int64_t>());
        }
    }
    r.startedAt = *at;
    out.stamp = sinceEpoch(*at);
    out.request = std::move(r);
    return out;
}

} // namespace

HarEntry readHarEntry(const nlohmann::json& entry, std::size_t index) {
    return EntryReader(entry, index).read();
}

} // namespace sluice::traffic
