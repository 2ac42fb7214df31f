// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>

namespace sluice::ui {

/// Tells when watched files change on disk, including when they are replaced by a rename (as
/// atomic saves do, ours included): QFileSystemWatcher follows the old inode and drops the path
/// then, so every change re-arms the watch on whatever file the path now names, retrying for a
/// moment while the path is missing. GUI thread only.
class FileWatch : public QObject {
    Q_OBJECT

public:
    explicit FileWatch(QObject* parent = nullptr);

    void watch(const QString& path);
    void unwatch(const QString& path);
    /// Watches `path` anew (after writing it ourselves).
    void rearm(const QString& path);

signals:
    /// `path` changed, was replaced or is gone (check it); may come more than once per change.
    void changed(const QString& path);

private:
    void fileChanged(const QString& path);
    void retry(const QString& path);

    QFileSystemWatcher m_watcher;
    QHash<QString, int> m_retries; ///< watched paths -> retries left while missing
};

} // namespace sluice::ui
