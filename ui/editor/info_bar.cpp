// SPDX-License-Identifier: Apache-2.0
#include "info_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace sluice::ui {

InfoBar::InfoBar(QWidget* parent)
    : QFrame(parent)
    , m_message(new QLabel(this))
    , m_accept(new QPushButton(this))
    , m_reject(new QPushButton(this)) {
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::ToolTipBase));
    pal.setColor(QPalette::WindowText, pal.color(QPalette::ToolTipText));
    setPalette(pal);
    m_message->setWordWrap(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_accept);
    layout->addWidget(m_reject);
    connect(m_accept, &QPushButton::clicked, this, [this] {
        hide();
        emit accepted();
    });
    connect(m_reject, &QPushButton::clicked, this, [this] {
        hide();
        emit rejected();
    });
    hide();
}

void InfoBar::ask(const QString& message, const QString& accept, const QString& reject) {
    m_message->setText(message);
    m_accept->setText(accept);
    m_reject->setText(reject);
    show();
}

QString InfoBar::message() const {
    return m_message->text();
}

} // namespace sluice::ui
