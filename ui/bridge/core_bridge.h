// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config_snapshot.h"

#include <QFutureWatcher>
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
    [[nodiscard]] const ConfigSnapshotPtr& current() const { return m_current; }
    [[nodiscard]] bool busy() const;

signals:
    /// A new snapshot is current (GUI thread).
    void snapshotReady(const sluice::ui::ConfigSnapshotPtr& snapshot);

private:
    void finished(QFutureWatcher<ConfigSnapshotPtr>* watcher);

    QFutureWatcher<ConfigSnapshotPtr>* m_watcher = nullptr;
    ConfigSnapshotPtr m_current;
};

} // namespace sluice::ui
