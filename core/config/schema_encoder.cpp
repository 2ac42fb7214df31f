// SPDX-License-Identifier: Apache-2.0
// Scalar emission shared by every kind; the per-kind entry points are in encode_*.cpp.

#include "schema_emitter.h"
#include "yaml_scalar.h"

#include <charconv>
#include <cmath>

namespace sluice::config {
namespace {

// yaml-cpp writes a literal block as `|` (clip chomping) followed by the lines re-indented, with
// no indentation or chomping indicator. That reads back as the same string only when the text
// ends in exactly one newline, its first line does not start with white space, and every byte is
// printable (tabs allowed); anything else goes double-quoted with escapes.
bool literalKeepsText(std::string_view text) {
    if (text.size() < 2 || text.back() != '\n' || text[text.size() - 2] == '\n')
        return false;
    if (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')
        return false;
    if (text.find('\n') == text.size() - 1)
        return false; // a single line reads better quoted
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

} // namespace

void emitPlain(YAML::Emitter& out, std::string_view text) {
    out << std::string(text);
}

void emitString(YAML::Emitter& out, std::string_view text) {
    const std::string value(text);
    if (literalKeepsText(text))
        out << YAML::Literal << value;
    else if (resolvePlainScalar(text).type != ScalarType::String)
        out << YAML::DoubleQuoted << value;
    else
        out << value; // yaml-cpp quotes whatever cannot be a plain scalar
}

void emitScalar(YAML::Emitter& out, const std::string& value) {
    emitString(out, value);
}

void emitScalar(YAML::Emitter& out, bool value) {
    emitPlain(out, value ? "true" : "false");
}

void emitScalar(YAML::Emitter& out, double value) {
    if (!std::isfinite(value)) { // the loader never produces these; keep them readable anyway
        emitPlain(out, std::isnan(value) ? ".nan" : value < 0 ? "-.inf" : ".inf");
        return;
    }
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value); // shortest exact form
    emitPlain(out, ec == std::errc() ? std::string_view(buffer, static_cast<std::size_t>(end - buffer))
                                     : std::string_view("0"));
}

void emitScalar(YAML::Emitter& out, const model::Duration& value) {
    emitString(out, value.toString());
}

void emitScalar(YAML::Emitter& out, const model::IntOrString& value) {
    if (value.isInt)
        emitPlain(out, std::to_string(value.number));
    else
        emitString(out, value.name);
}

} // namespace sluice::config
