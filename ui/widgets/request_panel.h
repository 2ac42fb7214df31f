// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;

namespace sluice::ui {

class TraceModel;

/// The Request dock: method, URL, headers, mesh or gateway; Trace asks the snapshot's route table
/// what the gateway does with that request and shows the decision and every step of its trace.
class RequestPanel : public QWidget {
    Q_OBJECT

public:
    explicit RequestPanel(QWidget* parent = nullptr);

    void setSnapshot(ConfigSnapshotPtr snapshot);
    void setUrl(const QString& url);
    /// TLS server name; empty: the URL's host when the URL is https. Naming one implies TLS.
    void setSni(const QString& sni);
    /// Routes the request in the form; false (and the reason shown) when the form is not a request.
    bool trace();
    [[nodiscard]] const TraceModel& model() const { return *m_model; }

signals:
    /// The user activated a trace step that came from YAML.
    void sourceRequested(const QString& file, int line);
    /// A request was traced: the decision the route table took (the Flow graph highlights its path).
    void traced(const sluice::routing::Decision& decision);

private:
    ConfigSnapshotPtr m_snapshot;
    TraceModel* m_model = nullptr;
    QComboBox* m_method = nullptr;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_port = nullptr;
    QLineEdit* m_sni = nullptr;
    QPlainTextEdit* m_headers = nullptr;
    QCheckBox* m_mesh = nullptr;
    QLabel* m_summary = nullptr;
    QListView* m_steps = nullptr;
};

} // namespace sluice::ui
