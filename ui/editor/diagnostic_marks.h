// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"

#include <optional>
#include <vector>

#include <QString>

class QsciScintilla;

namespace sluice::ui {

/// One diagnostic as an editor shows it.
struct EditorMark {
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based byte column; 0 = the whole line
    model::Level level = model::Level::Error;
    QString code;
    QString message;
};

/// The diagnostics of `file` (an index into the snapshot's loaded.resources.files), in order.
[[nodiscard]] std::vector<EditorMark> marksForFile(const ConfigSnapshot& snapshot, std::uint32_t file);

/// Draws diagnostics on an editor: a marker per level in the symbol margin and a squiggle under
/// the token each diagnostic points at, and answers their tooltips. Scintilla moves markers and
/// squiggles with the text as it is edited, until the next set(). GUI thread only.
class DiagnosticMarks {
public:
    static constexpr int kMargin = 1;

    explicit DiagnosticMarks(QsciScintilla& editor);

    /// Replaces every mark; lines outside the text are dropped. Moves neither cursor nor view.
    void set(std::vector<EditorMark> marks);
    [[nodiscard]] const std::vector<EditorMark>& marks() const { return m_marks; }

    /// The worst level with a margin marker on 0-based `line`.
    [[nodiscard]] std::optional<model::Level> markerLevel(int line) const;
    /// The worst level with a squiggle at byte position `position`.
    [[nodiscard]] std::optional<model::Level> squiggleLevel(long position) const;
    /// "CODE (Level): message" for every diagnostic under the squiggle at `position`; "" if none.
    [[nodiscard]] QString toolTipAtPosition(long position) const;
    /// The same for the diagnostics marked on 0-based `line` (the margin's tooltip).
    [[nodiscard]] QString toolTipForLine(int line) const;

private:
    [[nodiscard]] std::optional<std::size_t> markAt(long position) const;

    QsciScintilla& m_editor;
    std::vector<EditorMark> m_marks;
    std::vector<int> m_handles; ///< Scintilla marker handle per mark, -1 when not shown
};

} // namespace sluice::ui
