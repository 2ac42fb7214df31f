// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "traffic_launch.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace sluice::ui {

/// The Traffic dock: load (rate or connections, duration, a profile file or the routes in view),
/// replay (a recording, its speed) or simulate (a number of requests); Start/Stop, progress and
/// the text report. It only gathers settings and shows what it is told: LiveSession does the work.
/// The load controls and the Start button carry object names ("rate", "connections", "duration",
/// "start") so that automation can drive them as a user would.
class TrafficPanel : public QWidget {
    Q_OBJECT

public:
    enum class Mode { Load, Replay, Simulate };

    explicit TrafficPanel(QWidget* parent = nullptr);

    [[nodiscard]] Mode mode() const;
    void setMode(Mode mode);
    [[nodiscard]] LoadSettings loadSettings() const;
    [[nodiscard]] ReplaySettings replaySettings() const;
    [[nodiscard]] quint64 simulationRequests() const;

    /// Shows that a run began / progresses / ended (TrafficController's signals).
    void showStarted(const QString& what);
    void showProgress(int percent, const QString& text);
    void showFinished(bool ok, const QString& report);

signals:
    void loadRequested(const sluice::ui::LoadSettings& settings);
    void replayRequested(const sluice::ui::ReplaySettings& settings);
    void simulationRequested(quint64 requests);
    void stopRequested();

private:
    QWidget* createLoadPage();
    QWidget* createReplayPage();
    QWidget* createSimulatePage();
    void startOrStop();
    void setRunning(bool running);

    QComboBox* m_mode = nullptr;
    QStackedWidget* m_pages = nullptr;
    QSpinBox* m_rate = nullptr;
    QSpinBox* m_connections = nullptr;
    QSpinBox* m_seconds = nullptr;
    QLineEdit* m_profile = nullptr;
    QLineEdit* m_recording = nullptr;
    QDoubleSpinBox* m_speed = nullptr;
    QSpinBox* m_requests = nullptr;
    QPushButton* m_start = nullptr;
    QProgressBar* m_progress = nullptr;
    QPlainTextEdit* m_report = nullptr;
    bool m_running = false;
};

} // namespace sluice::ui
