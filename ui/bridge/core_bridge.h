// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config_snapshot.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QStringList>

namespace sluice::ui {

/// The one place where core work leaves the GUI thread and its results come back: load, validate
/// and compile run on Qt's thread pool; the finished snapshot is delivered on the GUI thread.
/// Thread affinity: create and call on the GUI thread only.
class CoreBridge : public QObject {
    Q_OBJECT

public:
    explicit CoreBridge(QObject* parent = nullptr);
    ~CoreBridge() override;

    /// Starts loading `paths`; a newer call supersedes a load still running (its result is dropped).
    void open(const QStringList& paths);
    /// Rebuilds the current paths with these editor buffers (path -> text) in place of their files
    /// on disk; superseding works as for open(). Does nothing before the first open().
    void revalidate(const QHash<QString, QString>& unsavedText);
    [[nodiscard]] const ConfigSnapshotPtr& current() const { return m_current; }
    [[nodiscard]] bool busy() const;

signals:
    /// A new snapshot is current (GUI thread).
    void snapshotReady(const sluice::ui::ConfigSnapshotPtr& snapshot);

private:
    void start(std::vector<std::string> paths, std::map<std::string, std::string> unsavedText);
    void finished(QFutureWatcher<ConfigSnapshotPtr>* watcher);

    QFutureWatcher<ConfigSnapshotPtr>* m_watcher = nullptr;
    ConfigSnapshotPtr m_current;
    std::vector<std::string> m_paths; ///< of the newest open(), even while it is still loading
};

} // namespace sluice::ui
