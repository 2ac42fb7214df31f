// SPDX-License-Identifier: Apache-2.0
#include "file_watch.h"

#include <QFileInfo>
#include <QTimer>

namespace sluice::ui {
namespace {

constexpr int kRetries = 10;
constexpr int kRetryMs = 100;

} // namespace

FileWatch::FileWatch(QObject* parent)
    : QObject(parent) {
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &FileWatch::fileChanged);
}

void FileWatch::watch(const QString& path) {
    m_retries.insert(path, kRetries);
    rearm(path);
}

void FileWatch::unwatch(const QString& path) {
    m_retries.remove(path);
    m_watcher.removePath(path);
}

void FileWatch::rearm(const QString& path) {
    if (!m_retries.contains(path))
        return;
    m_watcher.removePath(path);
    if (QFileInfo::exists(path)) {
        m_watcher.addPath(path);
        m_retries[path] = kRetries;
    } else if (m_retries[path]-- > 0) {
        QTimer::singleShot(kRetryMs, this, [this, path] { retry(path); });
    }
}

void FileWatch::retry(const QString& path) {
    if (!m_retries.contains(path) || m_watcher.files().contains(path))
        return;
    rearm(path);
    if (m_watcher.files().contains(path))
        emit changed(path); // it is back (replaced): its new content is the change
}

void FileWatch::fileChanged(const QString& path) {
    if (!m_retries.contains(path))
        return;
    rearm(path);
    emit changed(path);
}

} // namespace sluice::ui
