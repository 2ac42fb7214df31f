// SPDX-License-Identifier: Apache-2.0
#include "line_reader.h"

#include <algorithm>
#include <cstring>

namespace sluice::traffic {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

} // namespace

LineReader::LineReader(std::istream& in, std::size_t maxLineBytes, std::uint64_t maxTotalBytes)
    : m_in(in)
    , m_maxLine(maxLineBytes)
    , m_maxTotal(maxTotalBytes)
    , m_buffer(kChunk) {}

bool LineReader::fill() {
    m_pos = m_end = 0;
    if (m_total >= m_maxTotal) {
        m_stoppedAtLimit = m_in.good() && m_in.peek() != std::istream::traits_type::eof();
        return false;
    }
    const auto want =
        static_cast<std::streamsize>(std::min<std::uint64_t>(m_buffer.size(), m_maxTotal - m_total));
    m_in.read(m_buffer.data(), want);
    const auto got = m_in.gcount();
    if (got <= 0)
        return false;
    m_end = static_cast<std::size_t>(got);
    m_total += static_cast<std::uint64_t>(got);
    return true;
}

bool LineReader::next(Line& line) {
    m_line.clear();
    line = Line{};
    bool any = false;
    char last = '\0';
    while (true) {
        if (m_pos == m_end && !fill())
            break;
        any = true;
        const char* begin = m_buffer.data() + m_pos;
        const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', m_end - m_pos));
        const std::size_t count = newline ? static_cast<std::size_t>(newline - begin) : m_end - m_pos;
        line.length += count;
        if (count > 0)
            last = begin[count - 1];
        if (!line.tooLong) {
            if (m_line.size() + count > m_maxLine) {
                line.tooLong = true;
                m_line.clear();
            } else {
                m_line.append(begin, count);
            }
        }
        m_pos += count;
        if (newline) {
            ++m_pos;
            break;
        }
    }
    if (!any)
        return false;
    line.number = ++m_number;
    std::string_view text = line.tooLong ? std::string_view() : std::string_view(m_line);
    if (last == '\r') {
        if (!text.empty())
            text.remove_suffix(1);
        --line.length;
    }
    if (line.number == 1 && text.substr(0, kBom.size()) == kBom) {
        text.remove_prefix(kBom.size());
        line.length -= kBom.size();
    }
    line.text = text;
    return true;
}

} // namespace sluice::traffic
