// SPDX-License-Identifier: Apache-2.0
#include "export_dialog.h"

#include "diff_highlighter.h"
#include "models/export_findings_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace sluice::ui {
namespace {

std::vector<std::string> fileNames(const ConfigSnapshotPtr& snapshot) {
    std::vector<std::string> out;
    if (snapshot)
        for (const auto& f : snapshot->loaded.resources.files)
            out.push_back(f.path);
    return out;
}

} // namespace

ExportDialog::ExportDialog(ConfigSnapshotPtr snapshot, QWidget* parent)
    : QDialog(parent)
    , m_controller(new ExportController(std::move(snapshot), this))
    , m_findings(new ExportFindingsModel(this))
    , m_previewTimer(new QTimer(this)) {
    setWindowTitle(tr("Export"));
    resize(900, 700);
    buildForm();
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150);

    connect(m_previewTimer, &QTimer::timeout, this,
            [this] { m_controller->preview(options(), m_target->text()); });
    connect(m_controller, &ExportController::previewReady, this, &ExportDialog::showPreview);
    connect(m_controller, &ExportController::exportFinished, this, &ExportDialog::showOutcome);
    connect(m_target, &QLineEdit::textChanged, this, &ExportDialog::schedulePreview);
    connect(m_apiVersion, &QComboBox::currentIndexChanged, this, &ExportDialog::schedulePreview);
    connect(m_split, &QRadioButton::toggled, this, &ExportDialog::schedulePreview);
    connect(m_confirm, &QCheckBox::toggled, this, &ExportDialog::updateButtons);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);

    const ConfigSnapshotPtr& current = m_controller->snapshot();
    showFindings(current ? current->diagnostics : model::Diagnostics{});
    const int errors = static_cast<int>(m_controller->blockingFindings());
    m_confirm->setText(tr("Export anyway, despite %n error(s)", "", errors));
    m_confirm->setVisible(errors > 0);
    updateButtons();
    schedulePreview();
}

void ExportDialog::buildForm() {
    m_target = new QLineEdit(this);
    m_target->setPlaceholderText(tr("File to write, or folder for one file per resource"));
    auto* browse = new QPushButton(tr("Browse..."), this);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    auto* destination = new QHBoxLayout;
    destination->addWidget(m_target, 1);
    destination->addWidget(browse);

    m_single = new QRadioButton(tr("One file (multi-document YAML)"), this);
    m_split = new QRadioButton(tr("One file per resource, into a folder"), this);
    m_single->setChecked(true);
    auto* layout = new QHBoxLayout;
    layout->addWidget(m_single);
    layout->addWidget(m_split);
    layout->addStretch(1);

    m_apiVersion = new QComboBox(this);
    m_apiVersion->addItem(tr("Keep each resource's"), QString());
    for (const char* version : {"v1", "v1beta1", "v1alpha3"})
        m_apiVersion->addItem(QStringLiteral("networking.istio.io/") + QLatin1String(version),
                              QLatin1String(version));

    auto* form = new QFormLayout;
    form->addRow(tr("Destination:"), destination);
    form->addRow(tr("Layout:"), layout);
    form->addRow(tr("apiVersion:"), m_apiVersion);

    m_findingsSummary = new QLabel(this);
    m_findingsView = new QTableView(this);
    m_findingsView->setModel(m_findings);
    m_findingsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findingsView->verticalHeader()->hide();
    m_findingsView->horizontalHeader()->setStretchLastSection(true);
    m_confirm = new QCheckBox(this);

    m_diffSummary = new QLabel(this);
    m_diff = new QPlainTextEdit(this);
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new DiffHighlighter(m_diff->document());

    auto* findingsBox = new QWidget(this);
    auto* findingsLayout = new QVBoxLayout(findingsBox);
    findingsLayout->setContentsMargins(0, 0, 0, 0);
    findingsLayout->addWidget(m_findingsSummary);
    findingsLayout->addWidget(m_findingsView, 1);
    findingsLayout->addWidget(m_confirm);
    auto* diffBox = new QWidget(this);
    auto* diffLayout = new QVBoxLayout(diffBox);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    diffLayout->addWidget(m_diffSummary);
    diffLayout->addWidget(m_diff, 1);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(findingsBox);
    splitter->addWidget(diffBox);
    splitter->setStretchFactor(1, 2);

    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* top = new QVBoxLayout(this);
    top->addLayout(form);
    top->addWidget(splitter, 1);
    top->addWidget(m_result);
    top->addWidget(buttons);
}

void ExportDialog::setTarget(const QString& path) {
    m_target->setText(path);
}

void ExportDialog::setApiVersion(const QString& version) {
    m_apiVersion->setCurrentIndex(std::max(0, m_apiVersion->findData(version)));
}

void ExportDialog::setSplit(bool split) {
    (split ? m_split : m_single)->setChecked(true);
}

void ExportDialog::setConfirmed(bool confirmed) {
    m_confirm->setChecked(confirmed);
}

config::ExportOptions ExportDialog::options() const {
    return {m_apiVersion->currentData().toString().toStdString(), m_split->isChecked(), false};
}

void ExportDialog::schedulePreview() {
    m_previewTimer->start();
    updateButtons();
}

QString ExportDialog::previewText() const {
    return m_diff->toPlainText();
}

QString ExportDialog::resultText() const {
    return m_result->text();
}

bool ExportDialog::exportEnabled() const {
    return !m_target->text().isEmpty() && !m_controller->exporting() &&
           (m_controller->blockingFindings() == 0 || m_confirm->isChecked());
}

void ExportDialog::updateButtons() {
    m_export->setEnabled(exportEnabled());
}

bool ExportDialog::startExport() {
    if (m_target->text().isEmpty())
        return false;
    config::ExportRequest request{m_target->text().toStdString(), options(), m_confirm->isChecked(), false};
    if (!m_controller->run(request))
        return false;
    m_written.clear();
    m_result->setText(tr("Exporting..."));
    updateButtons();
    return true;
}

void ExportDialog::showPreview(const ExportPreviewPtr& preview) {
    const ConfigSnapshotPtr& snapshot = m_controller->snapshot();
    model::Diagnostics findings = snapshot->diagnostics;
    findings.insert(findings.end(), preview->plan.notes.begin(), preview->plan.notes.end());
    showFindings(std::move(findings));
    m_diff->setPlainText(QString::fromStdString(preview->diff));
    if (preview->plan.files.empty())
        m_diffSummary->setText(tr("Nothing can be exported: see the notes above."));
    else if (preview->diff.empty())
        m_diffSummary->setText(tr("The export writes the files as loaded, unchanged."));
    else
        m_diffSummary->setText(tr("Changes against the files as loaded: +%1 −%2 lines, %3 file(s) written")
                                   .arg(preview->insertions)
                                   .arg(preview->deletions)
                                   .arg(preview->paths.size()));
    emit previewUpdated();
}

void ExportDialog::showFindings(model::Diagnostics findings) {
    m_findings->setFindings(std::move(findings), fileNames(m_controller->snapshot()));
    m_findingsSummary->setText(
        m_findings->rowCount() == 0
            ? tr("No findings: the config is valid.")
            : tr("%1 error(s), %2 warning(s) remain; notes say what the export leaves out.")
                  .arg(m_findings->errorCount())
                  .arg(m_findings->warningCount()));
    m_findingsView->resizeColumnsToContents();
}

void ExportDialog::showOutcome(const ExportOutcomePtr& outcome) {
    m_written.clear();
    for (const std::string& path : outcome->paths)
        m_written << QString::fromStdString(path);
    if (outcome->written) {
        QString text =
            tr("Exported %1 document(s) (%2 unchanged byte for byte, %3 rewritten, %4 left out) to:")
                .arg(outcome->kept + outcome->rewritten)
                .arg(outcome->kept)
                .arg(outcome->rewritten)
                .arg(outcome->dropped);
        for (const QString& path : std::as_const(m_written))
            text += QLatin1Char('\n') + path;
        for (const model::Diagnostic& note : outcome->notes)
            text += QLatin1Char('\n') + QString::fromStdString(note.message);
        m_result->setText(text);
    } else {
        m_result->setText(tr("Not exported: %1").arg(QString::fromStdString(outcome->error)));
    }
    updateButtons();
    emit exportFinished(outcome->written);
}

void ExportDialog::browse() {
    const QString current = m_target->text();
    const QString chosen =
        m_split->isChecked()
            ? QFileDialog::getExistingDirectory(this, tr("Export into folder"), current)
            : QFileDialog::getSaveFileName(this, tr("Export to file"), current, tr("YAML (*.yaml *.yml)"));
    if (!chosen.isEmpty())
        m_target->setText(chosen);
}

} // namespace sluice::ui
