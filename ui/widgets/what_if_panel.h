// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bridge/config_snapshot.h"
#include "config/rule_settings.h"

#include <vector>

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSlider;
class QSpinBox;

namespace sluice::ui {

class EditorTabs;

/// What-if on one HTTP rule of a VirtualService: sliders on its destinations' weights (kept
/// summing to 100), fault injection (abort percentage and status, fixed delay) and a timeout.
/// Each change becomes a minimal edit of the YAML (config::editRuleInText) pushed into the
/// editor's buffer as one undoable edit, which revalidates (and hot-reloads a running proxy).
/// The controls follow the config: a new snapshot refreshes them from the rule as written.
/// Thread affinity: GUI thread.
class WhatIfPanel : public QWidget {
    Q_OBJECT

public:
    WhatIfPanel(EditorTabs& editor, QWidget* parent = nullptr);

    void setSnapshot(const sluice::ui::ConfigSnapshotPtr& snapshot);
    /// Selects http rule `rule` of `virtualService` ("ns/name"); false when the config has none.
    bool selectRule(const QString& virtualService, int rule);

    /// Applies `settings` to the selected rule (what the controls do); false with a message when
    /// the text cannot be edited.
    bool apply(const config::RuleSettings& settings);
    /// Moves weight `index` to `value`, the others following to keep 100 (a slider does this).
    bool setWeight(std::size_t index, int value);

    [[nodiscard]] const std::vector<QSlider*>& sliders() const { return m_sliders; }
    [[nodiscard]] QComboBox& ruleBox() const { return *m_rules; }
    [[nodiscard]] QString message() const;

private:
    struct Rule {
        QString virtualService;
        int index = 0;
        QString file;
        const model::HTTPRoute* route = nullptr;
    };

    void ruleChosen();
    void rebuildControls();
    [[nodiscard]] config::RuleSettings settingsFromControls() const;
    void controlsChanged();

    EditorTabs& m_editor;
    ConfigSnapshotPtr m_snapshot;
    std::vector<Rule> m_choices;
    QComboBox* m_rules = nullptr;
    QFormLayout* m_weights = nullptr;
    QWidget* m_weightBox = nullptr;
    std::vector<QSlider*> m_sliders;
    std::vector<QLabel*> m_sliderLabels;
    QCheckBox* m_abort = nullptr;
    QDoubleSpinBox* m_abortPercent = nullptr;
    QSpinBox* m_abortStatus = nullptr;
    QCheckBox* m_delay = nullptr;
    QDoubleSpinBox* m_delayPercent = nullptr;
    QLineEdit* m_delayValue = nullptr;
    QLineEdit* m_timeout = nullptr;
    QLabel* m_message = nullptr;
    bool m_updating = false;
    QString m_selectedVs;
    int m_selectedRule = -1;
};

} // namespace sluice::ui
