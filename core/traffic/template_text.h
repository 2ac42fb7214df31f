// SPDX-License-Identifier: Apache-2.0
#pragma once

// A string of a request profile with variables in it ("/reviews/${seq}", "user=${random_user}"),
// split once into literal and variable segments so rendering it is a few appends.

#include "routing/rng.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::traffic {

/// The variables a profile string may use (request_profile.h documents them for users).
enum class VariableKind : std::uint8_t {
    Literal,    ///< not a variable: the segment's text
    Sequence,   ///< ${seq}: the request's sequence number in the run (0, 1, 2...)
    RandomUser, ///< ${random_user}: one of the profile's `users`, uniformly
    Pick,       ///< ${pick:NAME}: one of the profile's `lists.NAME`, uniformly
    RandomInt,  ///< ${random_int:LO:HI}: an integer in [LO, HI], uniformly
    Uuid,       ///< ${uuid}: a random version-4 UUID (x-request-id)
};

struct TemplateSegment {
    VariableKind kind = VariableKind::Literal;
    std::string text;       ///< Literal: the text; Pick: the list's name
    std::size_t list = 0;   ///< Pick / RandomUser: index into the renderer's lists
    std::int64_t low = 0;   ///< RandomInt
    std::int64_t high = 0;  ///< RandomInt
    std::size_t offset = 0; ///< where the segment starts in the source string (error columns)
};

/// What a segment draws its random values from when it is rendered.
struct TemplateLists {
    std::vector<std::vector<std::string>> lists; ///< index 0: users; others as TemplateSegment::list says
};

/// Per-render state: the sequence number and the random source (one per worker, never shared).
struct RenderState {
    std::uint64_t sequence = 0;
    routing::Rng* rng = nullptr;
};

/// One profile string, split into segments. `$${` writes a literal "${".
class TemplateText {
public:
    TemplateText() = default;
    /// A string without variables.
    static TemplateText literal(std::string text);

    struct ParseError {
        std::size_t offset = 0; ///< of the offending "${" in the source string
        std::string message;
    };
    /// Splits `source`. `listIndex(name)` gives the index of a list for ${pick:NAME} (nullopt:
    /// no such list); ${random_user} uses index 0 when `hasUsers`. Errors: an unknown variable,
    /// an unclosed "${", a bad random_int range, a list that does not exist.
    template <class ListIndex>
    static std::optional<TemplateText> parse(std::string_view source, bool hasUsers, ListIndex&& listIndex,
                                             ParseError& error);

    [[nodiscard]] bool hasVariables() const { return m_variables; }
    [[nodiscard]] const std::vector<TemplateSegment>& segments() const { return m_segments; }
    /// The text when it has no variables (else its literal parts only).
    [[nodiscard]] const std::string& literalText() const { return m_literal; }

    /// Appends the rendered text to `out`.
    void render(std::string& out, const TemplateLists& lists, RenderState& state) const;
    /// An upper bound of the rendered length without the variables (for reservations).
    [[nodiscard]] std::size_t literalLength() const { return m_literal.size(); }

private:
    /// Splits without resolving list names: Pick segments keep their name in `text`.
    static std::optional<TemplateText> split(std::string_view source, bool hasUsers, ParseError& error);

    std::vector<TemplateSegment> m_segments;
    std::string m_literal; ///< the literal segments, concatenated
    bool m_variables = false;
};

template <class ListIndex>
std::optional<TemplateText> TemplateText::parse(std::string_view source, bool hasUsers, ListIndex&& listIndex,
                                                ParseError& error) {
    std::optional<TemplateText> text = split(source, hasUsers, error);
    if (!text)
        return std::nullopt;
    for (TemplateSegment& s : text->m_segments) {
        if (s.kind != VariableKind::Pick)
            continue;
        const std::optional<std::size_t> index = listIndex(std::string_view(s.text));
        if (!index) {
            error = {s.offset,
                     "${pick:" + s.text + "}: the profile has no list `" + s.text + "` under `lists:`"};
            return std::nullopt;
        }
        s.list = *index;
    }
    return text;
}

} // namespace sluice::traffic
