// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include <QWidget>

class QDateTime;

namespace sluice::ui {

class InfoBar;
class YamlEditor;

/// One file open for editing: its YamlEditor under two non-modal bars (the file changed on disk;
/// an autosaved copy can be restored), and the file operations. Knows what the file held when it
/// was last read or written, to tell its own saves from changes by others. GUI thread only.
class EditorPage : public QWidget {
    Q_OBJECT

public:
    /// `path` as the caller names it (it is also the path revalidation uses until setSourcePath()).
    explicit EditorPage(const QString& path, QWidget* parent = nullptr);

    [[nodiscard]] const QString& path() const { return m_path; }
    /// The path's canonical form, to compare with other spellings of the same file.
    [[nodiscard]] const QString& canonicalPath() const { return m_canonical; }
    /// The path as the current snapshot spells it (the key of its unsaved text for revalidation).
    [[nodiscard]] const QString& sourcePath() const { return m_sourcePath; }
    void setSourcePath(const QString& path) { m_sourcePath = path; }

    [[nodiscard]] YamlEditor* editor() const { return m_editor; }
    [[nodiscard]] InfoBar* diskBar() const { return m_diskBar; }
    [[nodiscard]] InfoBar* recoveryBar() const { return m_recoveryBar; }
    [[nodiscard]] bool isModified() const;
    [[nodiscard]] const std::string& diskText() const { return m_diskText; }

    /// Reads the file into the editor; false (and `error` set) when it cannot be read.
    bool load(QString* error = nullptr);
    /// Writes the buffer atomically; false (and `error` set) when it could not be written.
    bool save(QString* error = nullptr);

    enum class DiskChange : std::uint8_t { None, Reloaded, Asked, Missing };
    /// Looks at the file after the watcher saw a change: our own write or no change does nothing;
    /// an unmodified buffer reloads (cursor and scroll kept); a modified one asks on the disk bar.
    DiskChange checkDisk();
    /// Offers `text` (an autosaved copy from `saved`) on the recovery bar.
    void offerRecovery(const std::string& text, const QDateTime& saved);

signals:
    /// The disk bar's Reload replaced the buffer with the file.
    void reloaded();
    /// The recovery bar was answered: the copy is restored into the buffer, or dropped.
    void recoveryAnswered(bool restored);

private:
    void reload();
    void keepBuffer();

    QString m_path;
    QString m_canonical;
    QString m_sourcePath;
    YamlEditor* m_editor;
    InfoBar* m_diskBar;
    InfoBar* m_recoveryBar;
    std::string m_diskText; ///< the file's content when last read or written
    std::string m_recovered;
};

} // namespace sluice::ui
