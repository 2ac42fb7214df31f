// SPDX-License-Identifier: Apache-2.0
#include "recorded_request.h"

namespace sluice::traffic {

const std::string& RecordSource::fileName() const {
    static const std::string kNone;
    return file ? *file : kNone;
}

const std::string* RecordedRequest::header(std::string_view lowercaseName) const {
    for (const auto& [name, value] : headers)
        if (name == lowercaseName)
            return &value;
    return nullptr;
}

void RecordedRequest::addHeader(std::string_view name, std::string_view value) {
    headers.emplace_back(toLowerAscii(name), std::string(value));
}

std::string toLowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

} // namespace sluice::traffic
