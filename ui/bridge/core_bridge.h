// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config_snapshot.h"
#include "flow/flow_layout.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QStringList>

namespace sluice::ui {

/// The one place where core work leaves the GUI thread and its results come back: load, validate
/// and compile run on Qt's thread pool; the finished snapshot is delivered on the GUI thread. The
/// flow graph's layout follows as a second phase (it can take a second for hundreds of
/// VirtualServices on one Gateway), so problems and traces never wait for it.
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
    /// The current snapshot's flow graph is still being laid out.
    [[nodiscard]] bool layingOut() const;

signals:
    /// A new snapshot is current (GUI thread).
    void snapshotReady(const sluice::ui::ConfigSnapshotPtr& snapshot);
    /// The layout of `snapshot`'s flow graph is ready (GUI thread); only for the current snapshot.
    void flowLaidOut(const sluice::ui::ConfigSnapshotPtr& snapshot,
                     const sluice::flow::FlowLayoutPtr& layout);

private:
    void start(std::vector<std::string> paths, std::map<std::string, std::string> unsavedText);
    void finished(QFutureWatcher<ConfigSnapshotPtr>* watcher);
    void startLayout(const ConfigSnapshotPtr& snapshot);
    void laidOut(QFutureWatcher<flow::FlowLayoutPtr>* watcher, const ConfigSnapshotPtr& snapshot);

    QFutureWatcher<ConfigSnapshotPtr>* m_watcher = nullptr;
    QFutureWatcher<flow::FlowLayoutPtr>* m_layoutWatcher = nullptr;
    ConfigSnapshotPtr m_current;
    std::vector<std::string> m_paths; ///< of the newest open(), even while it is still loading
};

} // namespace sluice::ui
