// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"

#include <string>
#include <vector>

#include <QAbstractTableModel>

namespace sluice::ui {

/// What stands between a config and its export: the findings that remain (errors first, then
/// warnings, then infos, each group in file and line order) and the notes of the export plan (what
/// it leaves out, and why). Columns: Level, Code, Location, Message. Thread affinity: GUI thread.
class ExportFindingsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { LevelColumn, CodeColumn, LocationColumn, MessageColumn, ColumnCount };
    enum Role { FileRole = Qt::UserRole + 1, LineRole, LevelRole };

    explicit ExportFindingsModel(QObject* parent = nullptr);

    /// `files` names the files the diagnostics' spans index.
    void setFindings(model::Diagnostics findings, std::vector<std::string> files);

    [[nodiscard]] int errorCount() const { return m_errors; }
    [[nodiscard]] int warningCount() const { return m_warnings; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QString fileOf(const model::Diagnostic& d) const;

    model::Diagnostics m_findings;
    std::vector<std::string> m_files;
    int m_errors = 0;
    int m_warnings = 0;
};

} // namespace sluice::ui
