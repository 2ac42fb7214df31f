// SPDX-License-Identifier: Apache-2.0
#include "core_bridge.h"

#include <QtConcurrent/QtConcurrentRun>

namespace sluice::ui {

CoreBridge::CoreBridge(QObject* parent)
    : QObject(parent) {}

CoreBridge::~CoreBridge() {
    // A load still running finishes on the pool; its watcher is gone, so nothing reaches us.
    if (m_watcher)
        m_watcher->disconnect(this);
}

bool CoreBridge::busy() const {
    return m_watcher && m_watcher->isRunning();
}

void CoreBridge::open(const QStringList& paths) {
    std::vector<std::string> list;
    list.reserve(static_cast<std::size_t>(paths.size()));
    for (const QString& p : paths)
        list.push_back(p.toStdString());
    if (m_watcher) {
        m_watcher->disconnect(this);
        m_watcher->deleteLater();
    }
    m_watcher = new QFutureWatcher<ConfigSnapshotPtr>(this);
    connect(m_watcher, &QFutureWatcher<ConfigSnapshotPtr>::finished, this,
            [this, watcher = m_watcher] { finished(watcher); });
    m_watcher->setFuture(QtConcurrent::run(
        [list = std::move(list)]() mutable { return ConfigSnapshot::build(std::move(list)); }));
}

void CoreBridge::finished(QFutureWatcher<ConfigSnapshotPtr>* watcher) {
    if (watcher != m_watcher)
        return; // superseded by a newer open()
    m_current = watcher->result();
    emit snapshotReady(m_current);
}

} // namespace sluice::ui
