// SPDX-License-Identifier: Apache-2.0
#include "access_log_panel.h"

#include "access_log_model.h"
#include "proxy/recent_requests.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace sluice::ui {

AccessLogPanel::AccessLogPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new AccessLogModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_count(new QLabel(this)) {
    m_filter->setSourceModel(m_model);
    m_filter->setFilterKeyColumn(-1);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filterEdit->setPlaceholderText(tr("Filter requests (host, path, status, route...)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->setToolTip(tr("Double-click a request to trace it"));
    auto* clear = new QPushButton(tr("Clear"), this);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filterEdit, 1);
    bar->addWidget(m_count);
    bar->addWidget(clear);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    connect(m_filterEdit, &QLineEdit::textChanged, this, &AccessLogPanel::setFilter);
    connect(clear, &QPushButton::clicked, m_model, &AccessLogModel::clear);
    connect(m_view, &QTableView::activated, this, &AccessLogPanel::activated);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AccessLogPanel::updateCount);
    updateCount();
}

void AccessLogPanel::append(const AccessLogBatch& batch, qint64 unlisted) {
    QScrollBar* bar = m_view->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    m_model->append(batch, unlisted);
    updateCount();
    if (atBottom)
        m_view->scrollToBottom();
}

void AccessLogPanel::setFilter(const QString& text) {
    m_filter->setFilterFixedString(text);
    updateCount();
}

void AccessLogPanel::activated(const QModelIndex& index) {
    const QModelIndex source = m_filter->mapToSource(index);
    if (source.isValid())
        emit traceRequested(m_model->entry(source.row()));
}

void AccessLogPanel::updateCount() {
    const int shown = m_filter->rowCount(), total = m_model->rowCount();
    QString text = shown == total ? tr("%n request(s)", "", total) : tr("%1 of %2").arg(shown).arg(total);
    if (const qint64 unlisted = m_model->unlisted(); unlisted > 0) // past ~20,000 requests/s
        text += tr(" · %1 more not listed (at this rate the log keeps the newest %2 requests of each 100 ms)")
                    .arg(QLocale().toString(unlisted))
                    .arg(QLocale().toString(static_cast<qint64>(proxy::RecentRequests::kDefaultCapacity)));
    m_count->setText(text);
}

} // namespace sluice::ui
