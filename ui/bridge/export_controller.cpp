// SPDX-License-Identifier: Apache-2.0
#include "export_controller.h"

#include <QtConcurrent/QtConcurrentRun>

namespace sluice::ui {

ExportController::ExportController(ConfigSnapshotPtr snapshot, QObject* parent)
    : QObject(parent)
    , m_snapshot(std::move(snapshot))
    , m_export(new QFutureWatcher<ExportOutcomePtr>(this)) {
    connect(m_export, &QFutureWatcher<ExportOutcomePtr>::finished, this,
            [this] { emit exportFinished(m_export->result()); });
}

ExportController::~ExportController() {
    // Work still running finishes on the pool (it holds its own snapshot and request; files are
    // written atomically); nothing reaches us.
    if (m_preview)
        m_preview->disconnect(this);
    m_export->disconnect(this);
}

std::size_t ExportController::blockingFindings() const {
    return m_snapshot ? config::blockingFindings(m_snapshot->diagnostics) : 0;
}

bool ExportController::exporting() const {
    return m_export->isRunning();
}

void ExportController::preview(const config::ExportOptions& options, const QString& target) {
    if (!m_snapshot)
        return;
    if (m_preview) {
        m_preview->disconnect(this);
        m_preview->deleteLater();
    }
    m_preview = new QFutureWatcher<ExportPreviewPtr>(this);
    connect(m_preview, &QFutureWatcher<ExportPreviewPtr>::finished, this,
            [this, watcher = m_preview] { previewFinished(watcher); });
    m_preview->setFuture(QtConcurrent::run([snapshot = m_snapshot, options, target = target.toStdString()] {
        return std::make_shared<const config::ExportPreview>(
            config::previewExport(snapshot->loaded.resources, options, target));
    }));
}

void ExportController::previewFinished(QFutureWatcher<ExportPreviewPtr>* watcher) {
    if (watcher == m_preview)
        emit previewReady(watcher->result());
}

bool ExportController::run(const config::ExportRequest& request) {
    if (!m_snapshot || exporting())
        return false;
    m_export->setFuture(QtConcurrent::run([snapshot = m_snapshot, request] {
        return std::make_shared<const config::ExportOutcome>(
            config::runExport(snapshot->loaded, snapshot->diagnostics, request));
    }));
    return true;
}

} // namespace sluice::ui
