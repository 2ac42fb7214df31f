// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/export_controller.h"

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QTableView;
class QTimer;

namespace sluice::ui {

class ExportFindingsModel;

/// File > Export: `sluice export` with a face. Destination (a file, or a folder for one file per
/// resource), apiVersion, the findings that remain (errors first) and a coloured diff of what the
/// export changes against the files as loaded. While errors remain the export is refused unless the
/// user ticks the confirmation. Planning and writing run off the GUI thread.
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    explicit ExportDialog(ConfigSnapshotPtr snapshot, QWidget* parent = nullptr);

    void setTarget(const QString& path);
    /// "" keeps each resource's apiVersion; "v1", "v1beta1" or "v1alpha3".
    void setApiVersion(const QString& version);
    void setSplit(bool split);
    /// The user's confirmation to export despite errors.
    void setConfirmed(bool confirmed);

    /// Starts the export with the options in the form; false when nothing was started (one is
    /// running, or no destination). A refusal (errors, unconfirmed) arrives as a failed result.
    bool startExport();

    [[nodiscard]] QString previewText() const;
    [[nodiscard]] QString resultText() const;
    [[nodiscard]] QStringList writtenPaths() const { return m_written; }
    [[nodiscard]] bool exportEnabled() const;
    [[nodiscard]] const ExportFindingsModel& findings() const { return *m_findings; }

signals:
    /// A new preview (diff, findings, paths) is shown.
    void previewUpdated();
    /// The export finished: `written` false when it was refused or failed (the reason is shown).
    void exportFinished(bool written);

private:
    void buildForm();
    [[nodiscard]] config::ExportOptions options() const;
    void schedulePreview();
    void showPreview(const ExportPreviewPtr& preview);
    void showFindings(model::Diagnostics findings);
    void showOutcome(const ExportOutcomePtr& outcome);
    void browse();
    void updateButtons();

    ExportController* m_controller = nullptr;
    ExportFindingsModel* m_findings = nullptr;
    QTimer* m_previewTimer = nullptr;
    QLineEdit* m_target = nullptr;
    QComboBox* m_apiVersion = nullptr;
    QRadioButton* m_single = nullptr;
    QRadioButton* m_split = nullptr;
    QLabel* m_findingsSummary = nullptr;
    QTableView* m_findingsView = nullptr;
    QCheckBox* m_confirm = nullptr;
    QLabel* m_diffSummary = nullptr;
    QPlainTextEdit* m_diff = nullptr;
    QLabel* m_result = nullptr;
    QPushButton* m_export = nullptr;
    QStringList m_written;
};

} // namespace sluice::ui
