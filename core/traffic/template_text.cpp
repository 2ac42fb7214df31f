// SPDX-License-Identifier: Apache-2.0
#include "template_text.h"

#include <charconv>

namespace sluice::traffic {
namespace {

constexpr std::string_view kKnown = "seq, random_user, pick:NAME, random_int:LO:HI, uuid";

std::optional<std::int64_t> toInt(std::string_view text) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return v;
}

void appendUnsigned(std::string& out, std::uint64_t v) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    out.append(digits, end);
}

void appendSigned(std::string& out, std::int64_t v) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    out.append(digits, end);
}

void appendUuid(std::string& out, routing::Rng& rng) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::uint64_t hi = rng.next();
    std::uint64_t lo = rng.next();
    hi = (hi & ~std::uint64_t{0xF000}) | 0x4000;                          // version 4
    lo = (lo & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60); // variant 10
    char text[36];
    std::size_t at = 0;
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            text[at++] = '-';
        const std::uint64_t word = i < 16 ? hi : lo;
        const int shift = 60 - 4 * (i % 16);
        text[at++] = kHex[(word >> shift) & 0xF];
    }
    out.append(text, sizeof text);
}

} // namespace

TemplateText TemplateText::literal(std::string text) {
    TemplateText t;
    t.m_literal = text;
    if (!text.empty())
        t.m_segments.push_back({VariableKind::Literal, std::move(text)});
    return t;
}

std::optional<TemplateText> TemplateText::split(std::string_view source, bool hasUsers, ParseError& error) {
    TemplateText t;
    std::string literal;
    std::size_t literalStart = 0;
    const auto flush = [&](std::size_t at) {
        if (!literal.empty()) {
            t.m_literal += literal;
            t.m_segments.push_back({VariableKind::Literal, std::move(literal), 0, 0, 0, literalStart});
            literal.clear();
        }
        literalStart = at;
    };
    std::size_t i = 0;
    while (i < source.size()) {
        if (source.compare(i, 3, "$${") == 0) {
            literal += "${";
            i += 3;
            continue;
        }
        if (source.compare(i, 2, "${") != 0) {
            literal += source[i++];
            continue;
        }
        const std::size_t close = source.find('}', i + 2);
        if (close == std::string_view::npos) {
            error = {i, "unclosed \"${\" (write $${ for a literal ${)"};
            return std::nullopt;
        }
        const std::string_view name = source.substr(i + 2, close - i - 2);
        TemplateSegment s;
        s.offset = i;
        if (name == "seq") {
            s.kind = VariableKind::Sequence;
        } else if (name == "random_user") {
            if (!hasUsers) {
                error = {i, "${random_user} needs a `users:` list in the profile"};
                return std::nullopt;
            }
            s.kind = VariableKind::RandomUser;
            s.list = 0;
        } else if (name == "uuid") {
            s.kind = VariableKind::Uuid;
        } else if (name.starts_with("pick:") && name.size() > 5) {
            s.kind = VariableKind::Pick;
            s.text = std::string(name.substr(5));
        } else if (name.starts_with("random_int:")) {
            const std::string_view range = name.substr(11);
            const std::size_t colon = range.find(':', 1);
            const auto low = colon == std::string_view::npos ? std::nullopt : toInt(range.substr(0, colon));
            const auto high = colon == std::string_view::npos ? std::nullopt : toInt(range.substr(colon + 1));
            if (!low || !high || *low > *high) {
                error = {
                    i,
                    "${" + std::string(name) +
                        "}: expected ${random_int:LO:HI} with integers LO <= HI (e.g. ${random_int:1:100})"};
                return std::nullopt;
            }
            s.kind = VariableKind::RandomInt;
            s.low = *low;
            s.high = *high;
        } else {
            error = {i, "unknown variable ${" + std::string(name) + "} (known: " + std::string(kKnown) + ")"};
            return std::nullopt;
        }
        flush(i);
        t.m_segments.push_back(std::move(s));
        t.m_variables = true;
        i = close + 1;
        literalStart = i;
    }
    flush(i);
    return t;
}

void TemplateText::render(std::string& out, const TemplateLists& lists, RenderState& state) const {
    if (!m_variables) {
        out += m_literal;
        return;
    }
    for (const TemplateSegment& s : m_segments) {
        switch (s.kind) {
        case VariableKind::Literal:
            out += s.text;
            break;
        case VariableKind::Sequence:
            appendUnsigned(out, state.sequence);
            break;
        case VariableKind::RandomUser:
        case VariableKind::Pick: {
            const auto& list = lists.lists[s.list];
            if (!list.empty())
                out += list[state.rng->below(list.size())];
            break;
        }
        case VariableKind::RandomInt: {
            const auto span = static_cast<std::uint64_t>(s.high) - static_cast<std::uint64_t>(s.low);
            const std::uint64_t r =
                span == ~std::uint64_t{0} ? state.rng->next() : state.rng->below(span + 1);
            appendSigned(out, static_cast<std::int64_t>(static_cast<std::uint64_t>(s.low) + r));
            break;
        }
        case VariableKind::Uuid:
            appendUuid(out, *state.rng);
            break;
        }
    }
}

} // namespace sluice::traffic
