// SPDX-License-Identifier: Apache-2.0
#include "schema.h"

namespace sluice::model::schema {

std::string toProtoName(std::string_view jsonName) {
    std::string out;
    out.reserve(jsonName.size() + 4);
    for (char c : jsonName) {
        if (c >= 'A' && c <= 'Z') {
            out += '_';
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            out += c;
        }
    }
    return out;
}

bool matchesFieldName(std::string_view key, std::string_view jsonName) {
    if (key == jsonName)
        return true;
    // Compare against the snake_case spelling without allocating.
    std::size_t k = 0;
    for (char c : jsonName) {
        if (c >= 'A' && c <= 'Z') {
            if (k + 1 >= key.size() || key[k] != '_' || key[k + 1] != static_cast<char>(c - 'A' + 'a'))
                return false;
            k += 2;
        } else {
            if (k >= key.size() || key[k] != c)
                return false;
            ++k;
        }
    }
    return k == key.size();
}

} // namespace sluice::model::schema
