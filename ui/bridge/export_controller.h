// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/export_preview.h"
#include "config/export_runner.h"
#include "config_snapshot.h"

#include <memory>

#include <QFutureWatcher>
#include <QObject>

namespace sluice::ui {

using ExportPreviewPtr = std::shared_ptr<const config::ExportPreview>;
using ExportOutcomePtr = std::shared_ptr<const config::ExportOutcome>;

/// Runs the export of one snapshot off the GUI thread: previews (plan + diff) and the export
/// itself (config/export_runner.h, the rules of `sluice export`) run on Qt's thread pool; results
/// come back as immutable values on the GUI thread. Thread affinity: create and call on the GUI
/// thread only.
class ExportController : public QObject {
    Q_OBJECT

public:
    explicit ExportController(ConfigSnapshotPtr snapshot, QObject* parent = nullptr);
    ~ExportController() override;

    [[nodiscard]] const ConfigSnapshotPtr& snapshot() const { return m_snapshot; }
    /// Errors among the snapshot's findings: the export is refused while there are any, unless allowed.
    [[nodiscard]] std::size_t blockingFindings() const;

    /// Starts planning the export with these options; a newer call supersedes one still running.
    void preview(const config::ExportOptions& options, const QString& target);
    /// Starts the export; false (nothing started) while one is running or without a snapshot.
    bool run(const config::ExportRequest& request);
    [[nodiscard]] bool exporting() const;

signals:
    void previewReady(const sluice::ui::ExportPreviewPtr& preview);
    void exportFinished(const sluice::ui::ExportOutcomePtr& outcome);

private:
    void previewFinished(QFutureWatcher<ExportPreviewPtr>* watcher);

    ConfigSnapshotPtr m_snapshot;
    QFutureWatcher<ExportPreviewPtr>* m_preview = nullptr;
    QFutureWatcher<ExportOutcomePtr>* m_export = nullptr;
};

} // namespace sluice::ui
