// SPDX-License-Identifier: Apache-2.0
#include "inspector_panel.h"

#include "models/inspector_model.h"

#include <algorithm>

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

namespace sluice::ui {

InspectorPanel::InspectorPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new InspectorModel(this))
    , m_title(new QLabel(this))
    , m_tree(new QTreeView(this)) {
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::RichText);
    m_title->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_tree->setModel(m_model);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(InspectorModel::PropertyColumn, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(InspectorModel::ValueColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(InspectorModel::LineColumn, QHeaderView::ResizeToContents);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_tree, 1);

    connect(m_tree, &QTreeView::activated, this, &InspectorPanel::requestSource);
    connect(m_title, &QLabel::linkActivated, this,
            [this] { emit sourceRequested(m_model->file(), m_model->line()); });
    showOutline();
}

void InspectorPanel::setSnapshot(ConfigSnapshotPtr snapshot) {
    m_model->setSnapshot(std::move(snapshot));
    showOutline();
}

void InspectorPanel::inspectAt(const QString& file, int line) {
    m_model->inspectAt(file, line);
    showOutline();
}

QString InspectorPanel::title() const {
    return m_model->title();
}

void InspectorPanel::showOutline() {
    const auto& outline = m_model->outline();
    if (!outline) {
        m_title->setText(tr("<i>Select a gateway server, a rule, a subset, a Service or a workload.</i>"));
        return;
    }
    QString item = QString::fromStdString(outline->item).toHtmlEscaped();
    if (!item.isEmpty())
        item = QStringLiteral(" · ") + item;
    m_title->setText(QStringLiteral("<b>%1</b><br>%2%3 · <a href=\"source\">line %4</a>")
                         .arg(QString::fromStdString(outline->kind).toHtmlEscaped(),
                              QString::fromStdString(outline->resource).toHtmlEscaped(), item)
                         .arg(m_model->line()));
    m_tree->expandAll();
    // Labels as wide as they need, but never more than half the view: values matter as much.
    m_tree->resizeColumnToContents(InspectorModel::PropertyColumn);
    const int half = std::max(120, m_tree->viewport()->width() / 2);
    if (m_tree->columnWidth(InspectorModel::PropertyColumn) > half)
        m_tree->setColumnWidth(InspectorModel::PropertyColumn, half);
}

void InspectorPanel::requestSource(const QModelIndex& index) {
    const int line = index.data(InspectorModel::LineRole).toInt();
    if (line > 0)
        emit sourceRequested(index.data(InspectorModel::FileRole).toString(), line);
}

} // namespace sluice::ui
