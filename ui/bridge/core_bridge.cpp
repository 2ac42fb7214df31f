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
    if (m_layoutWatcher)
        m_layoutWatcher->disconnect(this);
}

bool CoreBridge::busy() const {
    return m_watcher && m_watcher->isRunning();
}

bool CoreBridge::layingOut() const {
    return m_layoutWatcher && m_layoutWatcher->isRunning();
}

void CoreBridge::open(const QStringList& paths) {
    m_paths.clear();
    m_paths.reserve(static_cast<std::size_t>(paths.size()));
    for (const QString& p : paths)
        m_paths.push_back(p.toStdString());
    start(m_paths, {});
}

void CoreBridge::revalidate(const QHash<QString, QString>& unsavedText) {
    if (m_paths.empty())
        return;
    std::map<std::string, std::string> texts;
    for (auto it = unsavedText.begin(); it != unsavedText.end(); ++it)
        texts.emplace(it.key().toStdString(), it.value().toStdString());
    start(m_paths, std::move(texts));
}

void CoreBridge::start(std::vector<std::string> paths, std::map<std::string, std::string> unsavedText) {
    if (m_watcher) {
        m_watcher->disconnect(this);
        m_watcher->deleteLater();
    }
    m_watcher = new QFutureWatcher<ConfigSnapshotPtr>(this);
    connect(m_watcher, &QFutureWatcher<ConfigSnapshotPtr>::finished, this,
            [this, watcher = m_watcher] { finished(watcher); });
    m_watcher->setFuture(
        QtConcurrent::run([paths = std::move(paths), texts = std::move(unsavedText)]() mutable {
            return ConfigSnapshot::build(std::move(paths), std::move(texts));
        }));
}

void CoreBridge::finished(QFutureWatcher<ConfigSnapshotPtr>* watcher) {
    if (watcher != m_watcher)
        return; // superseded by a newer open()
    m_current = watcher->result();
    emit snapshotReady(m_current);
    startLayout(m_current);
}

void CoreBridge::startLayout(const ConfigSnapshotPtr& snapshot) {
    if (m_layoutWatcher) {
        m_layoutWatcher->disconnect(this);
        m_layoutWatcher->deleteLater();
    }
    m_layoutWatcher = new QFutureWatcher<flow::FlowLayoutPtr>(this);
    connect(m_layoutWatcher, &QFutureWatcher<flow::FlowLayoutPtr>::finished, this,
            [this, watcher = m_layoutWatcher, snapshot] { laidOut(watcher, snapshot); });
    m_layoutWatcher->setFuture(QtConcurrent::run([snapshot]() -> flow::FlowLayoutPtr {
        if (!snapshot->flow)
            return std::make_shared<const flow::FlowLayout>();
        return std::make_shared<const flow::FlowLayout>(flow::FlowLayout::compute(*snapshot->flow));
    }));
}

void CoreBridge::laidOut(QFutureWatcher<flow::FlowLayoutPtr>* watcher, const ConfigSnapshotPtr& snapshot) {
    if (watcher != m_layoutWatcher || snapshot != m_current)
        return; // a newer snapshot is being laid out
    emit flowLaidOut(snapshot, watcher->result());
}

} // namespace sluice::ui
