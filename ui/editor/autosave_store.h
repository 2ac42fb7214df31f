// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

#include <QDateTime>
#include <QString>

namespace sluice::ui {

/// Copies of unsaved editor buffers, so that a crash loses at most the last few seconds of work.
/// One JSON file per edited file in a folder of its own ({"path", "saved", "text"}), named by a
/// hash of the edited file's absolute path; written atomically.
class AutosaveStore {
public:
    /// `directory` is created on the first write.
    explicit AutosaveStore(QString directory = defaultDirectory());

    /// QStandardPaths::AppLocalDataLocation + "/autosave".
    [[nodiscard]] static QString defaultDirectory();

    [[nodiscard]] const QString& directory() const { return m_directory; }
    /// Where the copy of `path` is kept.
    [[nodiscard]] QString fileFor(const QString& path) const;

    bool write(const QString& path, const std::string& text);
    void remove(const QString& path);

    struct Recovery {
        std::string text;
        QDateTime saved;
    };
    /// The copy of `path`, when one exists that is newer than the file and differs from it.
    [[nodiscard]] std::optional<Recovery> find(const QString& path, const std::string& onDisk) const;

private:
    QString m_directory;
};

} // namespace sluice::ui
