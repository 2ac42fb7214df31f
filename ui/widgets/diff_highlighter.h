// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSyntaxHighlighter>

namespace sluice::ui {

/// Colours a unified diff: added lines green, removed lines red, hunk headers blue, file headers
/// bold. Mid-tone colours, readable on light and dark themes.
class DiffHighlighter : public QSyntaxHighlighter {
    Q_OBJECT

public:
    explicit DiffHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_added;
    QTextCharFormat m_removed;
    QTextCharFormat m_hunk;
    QTextCharFormat m_file;
};

} // namespace sluice::ui
