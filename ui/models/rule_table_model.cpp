// SPDX-License-Identifier: Apache-2.0
#include "rule_table_model.h"

#include <algorithm>

namespace sluice::ui {
namespace {

bool sameRules(const live::LiveView* a, const live::LiveView* b) {
    if (!a || !b)
        return !a && !b;
    return std::equal(a->rules.begin(), a->rules.end(), b->rules.begin(), b->rules.end(),
                      [](const live::RuleRow& x, const live::RuleRow& y) { return x.rule == y.rule; });
}

QString millis(std::uint64_t micros) {
    return QString::number(static_cast<double>(micros) / 1000.0, 'f', micros < 10'000 ? 2 : 1);
}

} // namespace

RuleTableModel::RuleTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void RuleTableModel::setView(const live::LiveViewPtr& view) {
    if (sameRules(m_view.get(), view.get())) {
        m_view = view;
        if (rowCount() > 0)
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_view = view;
    endResetModel();
}

int RuleTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_view ? 0 : static_cast<int>(m_view->rules.size());
}

int RuleTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RuleTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const live::RuleRow& row = m_view->rules[static_cast<std::size_t>(index.row())];
    if (role == Qt::TextAlignmentRole)
        return index.column() == Rule ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (index.column()) {
        case Rule:
            return QString::fromStdString(row.rule.label());
        case Requests:
            return static_cast<qulonglong>(row.requests);
        case Rps:
            return row.rps;
        case P50:
            return static_cast<qulonglong>(row.p50Micros);
        case P99:
            return static_cast<qulonglong>(row.p99Micros);
        case ErrorPercent:
            return row.errorPercent;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Rule:
        return QString::fromStdString(row.rule.label());
    case Requests:
        return QString::number(row.requests);
    case Rps:
        return QString::number(row.rps, 'f', 1);
    case P50:
        return millis(row.p50Micros);
    case P99:
        return millis(row.p99Micros);
    case ErrorPercent:
        return QString::number(row.errorPercent, 'f', 2);
    default:
        return {};
    }
}

QVariant RuleTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Rule:
        return tr("Rule");
    case Requests:
        return tr("Requests");
    case Rps:
        return tr("Requests/s");
    case P50:
        return tr("p50 ms");
    case P99:
        return tr("p99 ms");
    case ErrorPercent:
        return tr("Errors %");
    default:
        return {};
    }
}

} // namespace sluice::ui
