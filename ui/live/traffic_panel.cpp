// SPDX-License-Identifier: Apache-2.0
#include "traffic_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace sluice::ui {
namespace {

/// A path field with a Browse button that fills it.
QWidget* fileField(QWidget* parent, QLineEdit* edit, const QString& title, const QString& filter) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(TrafficPanel::tr("Browse..."), row);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, row, [row, edit, title, filter] {
        const QString file = QFileDialog::getOpenFileName(row, title, edit->text(), filter);
        if (!file.isEmpty())
            edit->setText(file);
    });
    return row;
}

} // namespace

TrafficPanel::TrafficPanel(QWidget* parent)
    : QWidget(parent)
    , m_mode(new QComboBox(this))
    , m_pages(new QStackedWidget(this))
    , m_start(new QPushButton(tr("Start"), this))
    , m_progress(new QProgressBar(this))
    , m_report(new QPlainTextEdit(this)) {
    m_mode->addItems({tr("Load"), tr("Replay"), tr("Simulate")});
    m_start->setObjectName(QStringLiteral("start"));
    m_pages->addWidget(createLoadPage());
    m_pages->addWidget(createReplayPage());
    m_pages->addWidget(createSimulatePage());
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("Idle"));
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setPlaceholderText(tr("The report of the last run appears here."));

    auto* top = new QHBoxLayout;
    top->addWidget(m_mode);
    top->addStretch(1);
    top->addWidget(m_start);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_pages);
    layout->addWidget(m_progress);
    layout->addWidget(m_report, 1);

    connect(m_mode, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_start, &QPushButton::clicked, this, &TrafficPanel::startOrStop);
}

QWidget* TrafficPanel::createLoadPage() {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_rate = new QSpinBox(page);
    m_rate->setObjectName(QStringLiteral("rate"));
    m_rate->setRange(0, 1'000'000);
    m_rate->setValue(200);
    m_rate->setSuffix(tr(" rps"));
    m_rate->setSpecialValueText(tr("As fast as answered (closed loop)"));
    m_connections = new QSpinBox(page);
    m_connections->setObjectName(QStringLiteral("connections"));
    m_connections->setRange(1, 10'000);
    m_connections->setValue(8);
    m_seconds = new QSpinBox(page);
    m_seconds->setObjectName(QStringLiteral("duration"));
    m_seconds->setRange(0, 24 * 3600);
    m_seconds->setValue(30);
    m_seconds->setSuffix(tr(" s"));
    m_seconds->setSpecialValueText(tr("Until stopped"));
    m_profile = new QLineEdit(page);
    m_profile->setPlaceholderText(tr("Built from the routes in view"));
    m_profile->setClearButtonEnabled(true);
    form->addRow(tr("Rate:"), m_rate);
    form->addRow(tr("Connections:"), m_connections);
    form->addRow(tr("Duration:"), m_seconds);
    form->addRow(tr("Request mix:"), fileField(page, m_profile, tr("Request profile"),
                                               tr("Request profiles (*.yaml *.yml);;All files (*)")));
    return page;
}

QWidget* TrafficPanel::createReplayPage() {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_recording = new QLineEdit(page);
    m_recording->setPlaceholderText(tr("HAR, Envoy/Istio or nginx access log, JSONL"));
    m_speed = new QDoubleSpinBox(page);
    m_speed->setRange(0.01, 1'000'000);
    m_speed->setValue(1);
    m_speed->setSuffix(tr("x"));
    form->addRow(tr("Recording:"), fileField(page, m_recording, tr("Recorded traffic"),
                                             tr("Recordings (*.har *.log *.json *.jsonl);;All files (*)")));
    form->addRow(tr("Speed:"), m_speed);
    return page;
}

QWidget* TrafficPanel::createSimulatePage() {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_requests = new QSpinBox(page);
    m_requests->setRange(1, 10'000'000);
    m_requests->setValue(10'000);
    form->addRow(tr("Requests:"), m_requests);
    return page;
}

TrafficPanel::Mode TrafficPanel::mode() const {
    return static_cast<Mode>(m_mode->currentIndex());
}

void TrafficPanel::setMode(Mode mode) {
    m_mode->setCurrentIndex(static_cast<int>(mode));
}

LoadSettings TrafficPanel::loadSettings() const {
    LoadSettings s;
    if (m_rate->value() > 0)
        s.rate = m_rate->value();
    s.connections = static_cast<unsigned>(m_connections->value());
    s.seconds = m_seconds->value();
    s.profileFile = m_profile->text().trimmed().toStdString();
    return s;
}

ReplaySettings TrafficPanel::replaySettings() const {
    return {m_recording->text().trimmed().toStdString(), m_speed->value()};
}

quint64 TrafficPanel::simulationRequests() const {
    return static_cast<quint64>(m_requests->value());
}

void TrafficPanel::startOrStop() {
    if (m_running) {
        emit stopRequested();
        return;
    }
    switch (mode()) {
    case Mode::Load:
        emit loadRequested(loadSettings());
        break;
    case Mode::Replay:
        emit replayRequested(replaySettings());
        break;
    case Mode::Simulate:
        emit simulationRequested(simulationRequests());
        break;
    }
}

void TrafficPanel::showStarted(const QString& what) {
    setRunning(true);
    m_progress->setFormat(what);
}

void TrafficPanel::showProgress(int percent, const QString& text) {
    m_progress->setRange(0, percent < 0 ? 0 : 100); // a busy bar when open-ended
    if (percent >= 0)
        m_progress->setValue(percent);
    m_progress->setFormat(text);
}

void TrafficPanel::showFinished(bool ok, const QString& report) {
    setRunning(false);
    m_progress->setRange(0, 100);
    m_progress->setValue(ok ? 100 : 0);
    m_progress->setFormat(ok ? tr("Done") : tr("Failed"));
    m_report->setPlainText(report);
}

void TrafficPanel::setRunning(bool running) {
    m_running = running;
    m_start->setText(running ? tr("Stop") : tr("Start"));
    m_mode->setEnabled(!running);
    m_pages->setEnabled(!running);
}

} // namespace sluice::ui
