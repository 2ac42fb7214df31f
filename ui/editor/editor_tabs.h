// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "autosave_store.h"
#include "bridge/core_bridge.h"

#include <functional>
#include <unordered_map>

#include <QTimer>
#include <QWidget>

class QTabWidget;

namespace sluice::ui {

class EditorActions;
class EditorPage;
class FileWatch;
class FindBar;

/// The YAML editor: a tab per open file (`*` marks unsaved changes) over one find bar.
/// - Shows the current snapshot's diagnostics in every open file whose text the snapshot holds.
/// - Revalidates through the bridge ~300 ms after the last keystroke, unsaved buffers in place of
///   their files; markers then move to the new lines, the cursor and the view stay put.
/// - Saves atomically; a file changed on disk reloads (unmodified buffer) or asks (modified one).
/// - Never loses work: closing asks (Save / Discard / Cancel) about modified buffers, which are
///   also autosaved every few seconds and offered back when their file is opened again.
/// GUI thread only.
class EditorTabs : public QWidget {
    Q_OBJECT

public:
    enum class CloseChoice : std::uint8_t { Save, Discard, Cancel };
    /// Asked with the modified files before they are closed.
    using CloseQuestion = std::function<CloseChoice(const QStringList& files)>;

    explicit EditorTabs(CoreBridge& bridge, QWidget* parent = nullptr);
    ~EditorTabs() override;

    /// Opens `path` in a tab (or finds its tab); nullptr when it cannot be read.
    EditorPage* openFile(const QString& path);
    /// Opens `file` and puts the cursor on 1-based `line` and byte `column`. With `reveal` the
    /// editor takes the focus and asks to be shown (sourceShown); without, it follows quietly
    /// (a selection in the flow graph, which stays in view).
    void showSource(const QString& file, int line, int column = 1, bool reveal = true);

    [[nodiscard]] int count() const;
    [[nodiscard]] EditorPage* page(int index) const;
    [[nodiscard]] EditorPage* currentPage() const;
    [[nodiscard]] EditorPage* pageFor(const QString& path) const;
    [[nodiscard]] QStringList modifiedFiles() const;
    /// Modified buffers by the path the snapshot knows them by: what revalidation sends.
    [[nodiscard]] QHash<QString, QString> unsavedTexts() const;

    bool save(EditorPage* page);
    bool saveCurrent();
    bool saveAll();
    /// Closes a tab, asking first when it has unsaved changes; false when the user cancels.
    bool closeTab(int index);
    /// Before the window closes: asks about modified buffers; false when closing must stop.
    bool confirmClose();
    /// Opens the find bar on the current editor, for replacing too when `replace`.
    void openFind(bool replace);

    [[nodiscard]] FindBar* findBar() const { return m_find; }
    [[nodiscard]] EditorActions& actions() const { return *m_actions; }
    [[nodiscard]] AutosaveStore& autosave() { return m_autosave; }

    void setCloseQuestion(CloseQuestion question) { m_ask = std::move(question); }
    void setRevalidateDelay(int ms) { m_revalidate.setInterval(ms); }
    /// Autosave `afterChangeMs` after the last change, and every `everyMs` while typing goes on.
    void setAutosaveDelays(int afterChangeMs, int everyMs);
    void setAutosaveStore(AutosaveStore store) { m_autosave = std::move(store); }

signals:
    /// The cursor moved to 1-based `line` of `file` (as the snapshot names it).
    void cursorMoved(const QString& file, int line);
    /// A source location was shown: the tabs should be made visible.
    void sourceShown();
    void statusMessage(const QString& text);

private:
    void applySnapshot(const ConfigSnapshotPtr& snapshot);
    void applySnapshotTo(EditorPage& page, const ConfigSnapshot& snapshot, int file);
    void bufferChanged(EditorPage* page);
    void updateTitle(EditorPage* page);
    void autosaveModified();
    void diskChanged(const QString& path);
    void currentChanged();
    void removeTab(int index);
    [[nodiscard]] CloseChoice ask(const QStringList& files);

    CoreBridge& m_bridge;
    QTabWidget* m_tabs;
    FindBar* m_find;
    FileWatch* m_watch;
    EditorActions* m_actions;
    AutosaveStore m_autosave;
    CloseQuestion m_ask;
    QTimer m_revalidate;
    QTimer m_autosaveSoon;
    QTimer m_autosaveEvery;
    std::unordered_map<const EditorPage*, std::size_t> m_autosaved; ///< hash of the text last autosaved
    std::vector<std::string> m_snapshotPaths;                       ///< of the last snapshot applied
};

} // namespace sluice::ui
