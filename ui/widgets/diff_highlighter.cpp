// SPDX-License-Identifier: Apache-2.0
#include "diff_highlighter.h"

#include <QColor>
#include <QFont>

namespace sluice::ui {

DiffHighlighter::DiffHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document) {
    m_added.setForeground(QColor(0x2d, 0xa4, 0x4e));
    m_removed.setForeground(QColor(0xe5, 0x53, 0x4b));
    m_hunk.setForeground(QColor(0x53, 0x9b, 0xf5));
    m_file.setFontWeight(QFont::Bold);
}

void DiffHighlighter::highlightBlock(const QString& text) {
    if (text.startsWith(QLatin1String("+++ ")) || text.startsWith(QLatin1String("--- ")))
        setFormat(0, static_cast<int>(text.size()), m_file);
    else if (text.startsWith(QLatin1Char('+')))
        setFormat(0, static_cast<int>(text.size()), m_added);
    else if (text.startsWith(QLatin1Char('-')))
        setFormat(0, static_cast<int>(text.size()), m_removed);
    else if (text.startsWith(QLatin1String("@@")))
        setFormat(0, static_cast<int>(text.size()), m_hunk);
}

} // namespace sluice::ui
