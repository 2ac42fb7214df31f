// SPDX-License-Identifier: Apache-2.0
#include "export_findings_model.h"

#include <algorithm>

#include <QBrush>
#include <QColor>

namespace sluice::ui {

ExportFindingsModel::ExportFindingsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void ExportFindingsModel::setFindings(model::Diagnostics findings, std::vector<std::string> files) {
    beginResetModel();
    m_findings = std::move(findings);
    m_files = std::move(files);
    std::stable_sort(
        m_findings.begin(), m_findings.end(),
        [](const model::Diagnostic& a, const model::Diagnostic& b) { return a.level > b.level; });
    m_errors = static_cast<int>(std::count_if(m_findings.begin(), m_findings.end(),
                                              [](const auto& d) { return d.level == model::Level::Error; }));
    m_warnings = static_cast<int>(std::count_if(m_findings.begin(), m_findings.end(), [](const auto& d) {
        return d.level == model::Level::Warning;
    }));
    endResetModel();
}

QString ExportFindingsModel::fileOf(const model::Diagnostic& d) const {
    return d.span.file < m_files.size() ? QString::fromStdString(m_files[d.span.file]) : QString();
}

int ExportFindingsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_findings.size());
}

int ExportFindingsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExportFindingsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const model::Diagnostic& d = m_findings[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LevelColumn:
            return QString::fromStdString(std::string(model::levelName(d.level)));
        case CodeColumn:
            return QString::fromStdString(d.code);
        case LocationColumn:
            if (!d.span.known())
                return QString();
            return QStringLiteral("%1:%2:%3")
                .arg(fileOf(d).section(QLatin1Char('/'), -1))
                .arg(d.span.line)
                .arg(d.span.column);
        case MessageColumn:
            return QString::fromStdString(d.message);
        default:
            return {};
        }
    case Qt::ForegroundRole:
        if (index.column() == LevelColumn && d.level == model::Level::Error)
            return QBrush(QColor(0xe5, 0x53, 0x4b));
        return {};
    case Qt::ToolTipRole:
        return QStringLiteral("%1:%2\n%3")
            .arg(fileOf(d))
            .arg(d.span.line)
            .arg(QString::fromStdString(d.message));
    case FileRole:
        return fileOf(d);
    case LineRole:
        return static_cast<int>(d.span.line);
    case LevelRole:
        return static_cast<int>(d.level);
    default:
        return {};
    }
}

QVariant ExportFindingsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LevelColumn:
        return tr("Level");
    case CodeColumn:
        return tr("Code");
    case LocationColumn:
        return tr("Location");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace sluice::ui
