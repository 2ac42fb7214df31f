// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "routing/decision.h"

#include <string>
#include <vector>

#include <QAbstractListModel>

namespace sluice::ui {

/// The steps of one routing decision, in order: what the gateway looked at and what it decided,
/// each with the YAML line that caused it.
class TraceModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role { KindRole = Qt::UserRole + 1, FileRole, LineRole };

    explicit TraceModel(QObject* parent = nullptr);

    /// `files` names the snapshot's files, which trace spans index.
    void setDecision(routing::Decision decision, std::vector<std::string> files);
    [[nodiscard]] const routing::Decision& decision() const { return m_decision; }
    /// One line for people: "200 → outbound|9080||productpage.default.svc.cluster.local".
    [[nodiscard]] QString summary() const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    routing::Decision m_decision;
    std::vector<std::string> m_files;
    bool m_set = false;
};

} // namespace sluice::ui
