// SPDX-License-Identifier: Apache-2.0
#include "chunked_decoder.h"

#include "model/hex_digits.h"

#include <algorithm>

namespace sluice::proxy {

void ChunkedDecoder::reset() {
    m_state = State::Size;
    m_remaining = 0;
    m_sawDigit = false;
    m_emptyLine = false;
}

bool ChunkedDecoder::decode(std::string_view raw, std::string& out) {
    std::size_t i = 0;
    while (i < raw.size()) {
        const char c = raw[i];
        switch (m_state) {
        case State::Size: {
            const int digit = model::hexDigitValue(c);
            if (digit >= 0) {
                if (m_remaining > (UINT64_MAX >> 4))
                    return false;
                m_remaining = (m_remaining << 4) | static_cast<std::uint64_t>(digit);
                m_sawDigit = true;
            } else if (!m_sawDigit) {
                return false;
            } else {
                m_state = c == '\r' ? State::SizeLf : State::Extension;
            }
            ++i;
            break;
        }
        case State::Extension: // chunk extensions mean nothing to us
            if (c == '\r')
                m_state = State::SizeLf;
            ++i;
            break;
        case State::SizeLf:
            if (c != '\n')
                return false;
            ++i;
            m_sawDigit = false;
            m_state = m_remaining == 0 ? State::LineStart : State::Data;
            break;
        case State::Data: {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, raw.size() - i));
            out.append(raw.data() + i, n);
            i += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::DataCr;
            break;
        }
        case State::DataCr:
            if (c != '\r')
                return false;
            ++i;
            m_state = State::DataLf;
            break;
        case State::DataLf:
            if (c != '\n')
                return false;
            ++i;
            m_state = State::Size;
            break;
        case State::LineStart: // after the last chunk: trailer lines, then an empty line
            ++i;
            m_emptyLine = c == '\r';
            m_state = m_emptyLine ? State::LineLf : State::Line;
            break;
        case State::Line:
            if (c == '\r')
                m_state = State::LineLf;
            ++i;
            break;
        case State::LineLf:
            if (c != '\n')
                return false;
            ++i;
            m_state = m_emptyLine ? State::Done : State::LineStart; // the empty line ends the body
            break;
        case State::Done:
            return false; // bytes past the body are not ours
        }
    }
    return true;
}

} // namespace sluice::proxy
