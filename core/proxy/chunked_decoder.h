// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// Removes HTTP/1.1 chunked framing from a body whose bytes arrive in pieces of any size: what
/// an HTTP/1.1 upstream sends must reach an HTTP/2 client as plain DATA. The parsers have already
/// measured (and so validated) the bytes; trailers are theirs to report, the decoder skips them.
class ChunkedDecoder {
public:
    /// Appends the payload carried by `raw`, the next bytes of the chunked body, to `out`.
    /// False on framing it cannot follow (then nothing more should be fed).
    bool decode(std::string_view raw, std::string& out);
    /// The last chunk and the trailer section's empty line were seen.
    [[nodiscard]] bool done() const { return m_state == State::Done; }
    void reset();

private:
    enum class State : std::uint8_t {
        Size,
        Extension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        LineStart,
        Line,
        LineLf,
        Done
    };

    State m_state = State::Size;
    std::uint64_t m_remaining = 0; ///< of the current chunk's data, or its size while reading it
    bool m_sawDigit = false;
    bool m_emptyLine = false; ///< the trailer-section line being read is the final empty one
};

} // namespace sluice::proxy
