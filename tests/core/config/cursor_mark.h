// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test texts with a cursor in them: `‸` (U+2038) marks where the cursor is.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>

#include <QByteArray>
#include <QStringList>

namespace sluice::test {

struct Marked {
    std::string text;         ///< without the mark
    std::uint32_t line = 0;   ///< 0-based
    std::uint32_t column = 0; ///< 0-based byte column
};

/// Cuts the mark out of `marked` (it must hold exactly one).
inline Marked unmark(const QByteArray& marked) {
    const std::string mark = "\u2038";
    Marked out{marked.toStdString()};
    const std::size_t at = out.text.find(mark);
    Q_ASSERT(at != std::string::npos);
    out.text.erase(at, mark.size());
    const std::size_t lineStart = at == 0 ? std::string::npos : out.text.rfind('\n', at - 1);
    const std::size_t begin = lineStart == std::string::npos ? 0 : lineStart + 1;
    out.line = static_cast<std::uint32_t>(
        std::count(out.text.begin(), out.text.begin() + static_cast<long>(at), '\n'));
    out.column = static_cast<std::uint32_t>(at - begin);
    return out;
}

/// A QStringList of UTF-8 literals (QT_NO_CAST_FROM_ASCII forbids `QStringList{"a"}`).
inline QStringList strings(std::initializer_list<const char*> items) {
    QStringList out;
    for (const char* item : items)
        out << QString::fromUtf8(item);
    return out;
}

} // namespace sluice::test
