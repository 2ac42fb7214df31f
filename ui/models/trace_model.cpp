// SPDX-License-Identifier: Apache-2.0
#include "trace_model.h"

namespace sluice::ui {
namespace {

QString marker(routing::TraceStep::Kind kind) {
    switch (kind) {
    case routing::TraceStep::Kind::Matched:
        return QStringLiteral("\u2713 ");
    case routing::TraceStep::Kind::Skipped:
        return QStringLiteral("\u2013 ");
    case routing::TraceStep::Kind::Failed:
        return QStringLiteral("\u2717 ");
    case routing::TraceStep::Kind::Info:
        break;
    }
    return QStringLiteral("  ");
}

} // namespace

TraceModel::TraceModel(QObject* parent)
    : QAbstractListModel(parent) {}

void TraceModel::setDecision(routing::Decision decision, std::vector<std::string> files) {
    beginResetModel();
    m_decision = std::move(decision);
    m_files = std::move(files);
    m_set = true;
    endResetModel();
}

QString TraceModel::summary() const {
    if (!m_set)
        return {};
    const auto& d = m_decision;
    const QString status = d.status ? QString::number(d.status)
                                    : QString::fromStdString(std::string(routing::outcomeName(d.outcome)));
    QString text = status;
    if (!d.responseFlag.empty())
        text += QStringLiteral(" ") + QString::fromStdString(d.responseFlag);
    if (d.destination)
        text += QStringLiteral(" \u2192 ") + QString::fromStdString(d.destination->cluster);
    if (!d.location.empty())
        text += QStringLiteral(" \u2192 ") + QString::fromStdString(d.location);
    return text;
}

int TraceModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_decision.trace.size());
}

QVariant TraceModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const routing::TraceStep& step = m_decision.trace[static_cast<std::size_t>(index.row())];
    const bool hasSource = step.span.known() && step.span.file < m_files.size();
    switch (role) {
    case Qt::DisplayRole:
        return QString(marker(step.kind) + QString::fromStdString(step.text));
    case Qt::ToolTipRole:
        return hasSource ? QStringLiteral("%1:%2")
                               .arg(QString::fromStdString(m_files[step.span.file]))
                               .arg(step.span.line)
                         : QString();
    case KindRole:
        return static_cast<int>(step.kind);
    case FileRole:
        return hasSource ? QString::fromStdString(m_files[step.span.file]) : QString();
    case LineRole:
        return hasSource ? static_cast<int>(step.span.line) : 0;
    default:
        return {};
    }
}

} // namespace sluice::ui
