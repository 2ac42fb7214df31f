// SPDX-License-Identifier: Apache-2.0
#include "what_if_panel.h"

#include "config/rule_editor.h"
#include "editor/editor_page.h"
#include "editor/editor_tabs.h"
#include "editor/yaml_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sluice::ui {

WhatIfPanel::WhatIfPanel(EditorTabs& editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor) {
    m_rules = new QComboBox(this);
    m_weightBox = new QWidget(this);
    m_weights = new QFormLayout(m_weightBox);
    m_weights->setContentsMargins(0, 0, 0, 0);

    m_abort = new QCheckBox(tr("Abort"), this);
    m_abortPercent = new QDoubleSpinBox(this);
    m_abortPercent->setRange(0, 100);
    m_abortPercent->setSuffix(QStringLiteral(" %"));
    m_abortPercent->setValue(10);
    m_abortStatus = new QSpinBox(this);
    m_abortStatus->setRange(200, 599);
    m_abortStatus->setValue(503);
    m_delay = new QCheckBox(tr("Delay"), this);
    m_delayPercent = new QDoubleSpinBox(this);
    m_delayPercent->setRange(0, 100);
    m_delayPercent->setSuffix(QStringLiteral(" %"));
    m_delayPercent->setValue(10);
    m_delayValue = new QLineEdit(QStringLiteral("1s"), this);
    m_timeout = new QLineEdit(this);
    m_timeout->setPlaceholderText(tr("none (e.g. 2s)"));
    m_message = new QLabel(this);
    m_message->setWordWrap(true);

    auto* abortRow = new QHBoxLayout;
    abortRow->addWidget(m_abort);
    abortRow->addWidget(m_abortPercent);
    abortRow->addWidget(m_abortStatus);
    auto* delayRow = new QHBoxLayout;
    delayRow->addWidget(m_delay);
    delayRow->addWidget(m_delayPercent);
    delayRow->addWidget(m_delayValue);
    auto* form = new QFormLayout;
    form->addRow(tr("Rule"), m_rules);
    form->addRow(tr("Weights"), m_weightBox);
    form->addRow(tr("Fault"), abortRow);
    form->addRow(QString(), delayRow);
    form->addRow(tr("Timeout"), m_timeout);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch(1);

    connect(m_rules, &QComboBox::currentIndexChanged, this, &WhatIfPanel::ruleChosen);
    for (QCheckBox* box : {m_abort, m_delay})
        connect(box, &QCheckBox::toggled, this, &WhatIfPanel::controlsChanged);
    for (QDoubleSpinBox* spin : {m_abortPercent, m_delayPercent})
        connect(spin, &QDoubleSpinBox::editingFinished, this, &WhatIfPanel::controlsChanged);
    connect(m_abortStatus, &QSpinBox::editingFinished, this, &WhatIfPanel::controlsChanged);
    for (QLineEdit* edit : {m_delayValue, m_timeout})
        connect(edit, &QLineEdit::editingFinished, this, &WhatIfPanel::controlsChanged);
    setEnabled(false);
}

void WhatIfPanel::setSnapshot(const ConfigSnapshotPtr& snapshot) {
    m_snapshot = snapshot;
    m_choices.clear();
    const QSignalBlocker block(m_rules);
    m_rules->clear();
    if (snapshot) {
        const auto& files = snapshot->loaded.resources.files;
        for (const model::VirtualService& vs : snapshot->loaded.resources.virtualServices) {
            const QString name = QString::fromStdString(vs.header.ns() + "/" + vs.header.name());
            const std::uint32_t file = vs.header.span.file;
            if (file >= files.size())
                continue;
            for (std::size_t i = 0; i < vs.spec.http.size(); ++i) {
                const model::HTTPRoute& route = vs.spec.http[i];
                if (route.route.empty())
                    continue; // redirects, direct responses and delegates have no weights
                m_choices.push_back(
                    {name, static_cast<int>(i), QString::fromStdString(files[file].path), &route});
                QString label = tr("%1 rule %2").arg(name).arg(i);
                if (route.name)
                    label += QStringLiteral(" (%1)").arg(QString::fromStdString(route.name.value));
                if (route.route.size() > 1)
                    label += tr(" · %1 destinations").arg(route.route.size());
                m_rules->addItem(label);
            }
        }
    }
    setEnabled(!m_choices.empty());
    if (!selectRule(m_selectedVs, m_selectedRule)) {
        // Weighted rules first: they are what the sliders are for.
        int first = 0;
        for (std::size_t i = 0; i < m_choices.size(); ++i)
            if (m_choices[i].route->route.size() > 1) {
                first = static_cast<int>(i);
                break;
            }
        m_rules->setCurrentIndex(m_choices.empty() ? -1 : first);
        ruleChosen();
    }
}

bool WhatIfPanel::selectRule(const QString& virtualService, int rule) {
    for (std::size_t i = 0; i < m_choices.size(); ++i)
        if (m_choices[i].virtualService == virtualService && m_choices[i].index == rule) {
            {
                const QSignalBlocker block(m_rules);
                m_rules->setCurrentIndex(static_cast<int>(i));
            }
            ruleChosen();
            return true;
        }
    return false;
}

void WhatIfPanel::ruleChosen() {
    const int i = m_rules->currentIndex();
    if (i >= 0 && static_cast<std::size_t>(i) < m_choices.size()) {
        m_selectedVs = m_choices[static_cast<std::size_t>(i)].virtualService;
        m_selectedRule = m_choices[static_cast<std::size_t>(i)].index;
    }
    rebuildControls();
}

void WhatIfPanel::rebuildControls() {
    m_updating = true;
    while (m_weights->rowCount() > 0)
        m_weights->removeRow(0);
    m_sliders.clear();
    m_sliderLabels.clear();
    const int i = m_rules->currentIndex();
    if (i < 0 || static_cast<std::size_t>(i) >= m_choices.size()) {
        m_updating = false;
        return;
    }
    const model::HTTPRoute& route = *m_choices[static_cast<std::size_t>(i)].route;
    const config::RuleSettings settings = config::ruleSettings(route);
    for (std::size_t d = 0; d < route.route.size(); ++d) {
        const auto& dest = route.route[d].destination;
        QString name = dest ? QString::fromStdString(dest->host.value) : tr("destination %1").arg(d);
        if (dest && dest->subset)
            name += QLatin1Char(' ') + QString::fromStdString(dest->subset.value);
        auto* slider = new QSlider(Qt::Horizontal, m_weightBox);
        slider->setRange(0, 100);
        slider->setValue(settings.weights[d]);
        slider->setEnabled(route.route.size() > 1);
        auto* label = new QLabel(QStringLiteral("%1 %").arg(settings.weights[d]), m_weightBox);
        auto* row = new QHBoxLayout;
        row->addWidget(slider, 1);
        row->addWidget(label);
        m_weights->addRow(name, row);
        m_sliders.push_back(slider);
        m_sliderLabels.push_back(label);
        connect(slider, &QSlider::valueChanged, this, [this, slider, d](int value) {
            if (!m_updating && !slider->isSliderDown())
                setWeight(d, value);
        });
        connect(slider, &QSlider::sliderReleased, this, [this, slider, d] { setWeight(d, slider->value()); });
    }
    const config::FaultSettings fault = settings.fault.value_or(config::FaultSettings{});
    m_abort->setChecked(fault.abort);
    if (fault.abort) {
        m_abortPercent->setValue(fault.abortPercent);
        m_abortStatus->setValue(fault.abortStatus);
    }
    m_delay->setChecked(fault.delay);
    if (fault.delay) {
        m_delayPercent->setValue(fault.delayPercent);
        m_delayValue->setText(QString::fromStdString(fault.fixedDelay));
    }
    m_timeout->setText(QString::fromStdString(settings.timeout));
    m_updating = false;
}

config::RuleSettings WhatIfPanel::settingsFromControls() const {
    config::RuleSettings s;
    for (const QSlider* slider : m_sliders)
        s.weights.push_back(slider->value());
    config::FaultSettings f;
    f.abort = m_abort->isChecked();
    f.abortPercent = m_abortPercent->value();
    f.abortStatus = m_abortStatus->value();
    f.delay = m_delay->isChecked();
    f.delayPercent = m_delayPercent->value();
    f.fixedDelay = m_delayValue->text().trimmed().toStdString();
    if (!f.empty())
        s.fault = f;
    s.timeout = m_timeout->text().trimmed().toStdString();
    return s;
}

void WhatIfPanel::controlsChanged() {
    if (!m_updating)
        apply(settingsFromControls());
}

bool WhatIfPanel::setWeight(std::size_t index, int value) {
    config::RuleSettings s = settingsFromControls();
    s.weights = config::rebalanceWeights(s.weights, index, value);
    m_updating = true;
    for (std::size_t i = 0; i < m_sliders.size() && i < s.weights.size(); ++i) {
        m_sliders[i]->setValue(s.weights[i]);
        m_sliderLabels[i]->setText(QStringLiteral("%1 %").arg(s.weights[i]));
    }
    m_updating = false;
    return apply(s);
}

bool WhatIfPanel::apply(const config::RuleSettings& settings) {
    const int i = m_rules->currentIndex();
    if (i < 0 || static_cast<std::size_t>(i) >= m_choices.size())
        return false;
    const Rule& rule = m_choices[static_cast<std::size_t>(i)];
    EditorPage* page = m_editor.openFile(rule.file);
    if (!page) {
        m_message->setText(tr("Cannot open %1").arg(rule.file));
        return false;
    }
    const config::RuleEdit edit = config::editRuleInText(rule.file.toStdString(), page->editor()->utf8Text(),
                                                         rule.virtualService.toStdString(),
                                                         static_cast<std::size_t>(rule.index), settings);
    if (!edit.ok()) {
        m_message->setText(QString::fromStdString(edit.error));
        return false;
    }
    m_message->setText(edit.changed ? tr("Edited %1 (Ctrl+Z in the editor undoes it)").arg(rule.file)
                                    : QString());
    if (edit.changed)
        page->editor()->replaceText(edit.text);
    return true;
}

QString WhatIfPanel::message() const {
    return m_message->text();
}

} // namespace sluice::ui
