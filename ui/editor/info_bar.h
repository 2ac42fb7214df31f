// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace sluice::ui {

/// A non-modal question above an editor ("changed on disk — Reload / Keep mine"): a message and
/// two buttons. Hidden until ask(); hides itself when either button is pressed.
class InfoBar : public QFrame {
    Q_OBJECT

public:
    explicit InfoBar(QWidget* parent = nullptr);

    void ask(const QString& message, const QString& accept, const QString& reject);
    [[nodiscard]] QString message() const;
    [[nodiscard]] QPushButton* acceptButton() const { return m_accept; }
    [[nodiscard]] QPushButton* rejectButton() const { return m_reject; }

signals:
    void accepted();
    void rejected();

private:
    QLabel* m_message;
    QPushButton* m_accept;
    QPushButton* m_reject;
};

} // namespace sluice::ui
