// SPDX-License-Identifier: Apache-2.0
#include "dashboard_charts.h"

#include <algorithm>
#include <cmath>

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLineSeries>
#include <QValueAxis>

namespace sluice::ui {
namespace {

QChartView* viewOf(QChart* chart, QWidget* parent) {
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 200);
    return view;
}

QValueAxis* makeTimeAxis(QChart* chart) {
    auto* axis = new QValueAxis(chart);
    axis->setTitleText(QObject::tr("seconds"));
    axis->setLabelFormat(QStringLiteral("%d"));
    axis->setRange(-59, 0);
    chart->addAxis(axis, Qt::AlignBottom);
    return axis;
}

QValueAxis* valueAxis(QChart* chart, const QString& title) {
    auto* axis = new QValueAxis(chart);
    axis->setTitleText(title);
    axis->setRange(0, 1);
    axis->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(axis, Qt::AlignLeft);
    return axis;
}

/// A round top for a value axis: 1, 2 or 5 times a power of ten, above `max` (at least 1).
double niceTop(double max) {
    if (max <= 1)
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(max)));
    for (const double step : {1.0, 2.0, 5.0, 10.0})
        if (step * power >= max * 1.05)
            return step * power;
    return 10 * power;
}

/// A count axis from 0 to niceTop(max), ticked at whole numbers. QtCharts' default five ticks
/// over 0..1 would read "0 0 1 1 1" through the "%.0f" labels.
void setCountRange(QValueAxis* axis, double max) {
    const double top = niceTop(max);
    axis->setRange(0, top);
    axis->setTickInterval(top <= 5 ? 1 : top / 5); // top is 1, 2 or 5 times a power of ten
}

/// A value axis for counts: ticks anchored at 0, one step apart as setCountRange sets it.
QValueAxis* countAxis(QChart* chart, const QString& title) {
    QValueAxis* axis = valueAxis(chart, title);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    setCountRange(axis, 0);
    return axis;
}

QStringList labels(const std::vector<std::string>& texts) {
    QStringList out;
    for (const std::string& t : texts)
        out << QString::fromStdString(t);
    return out;
}

void setCategories(QBarCategoryAxis* axis, const QStringList& categories) {
    if (axis->categories() != categories) {
        axis->clear();
        axis->append(categories.isEmpty() ? QStringList{QStringLiteral("-")} : categories);
    }
}

void setValues(QBarSet* set, const QList<qreal>& values) {
    if (set->count() > 0)
        set->remove(0, set->count());
    set->append(values);
}

} // namespace

DashboardCharts::DashboardCharts(QWidget* parent)
    : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);

    m_rpsChart = new QChart;
    m_rpsChart->setTitle(tr("Requests/s per destination"));
    m_rpsTime = makeTimeAxis(m_rpsChart);
    m_rpsValue = countAxis(m_rpsChart, tr("requests/s"));
    grid->addWidget(viewOf(m_rpsChart, this), 0, 0);

    auto* latency = new QChart;
    latency->setTitle(tr("Latency"));
    m_latencyTime = makeTimeAxis(latency);
    m_latencyValue = valueAxis(latency, tr("ms"));
    m_latencyValue->setLabelFormat(QStringLiteral("%.1f"));
    const QString names[3] = {QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p99")};
    for (int i = 0; i < 3; ++i) {
        m_latency[i] = new QLineSeries(latency);
        m_latency[i]->setName(names[i]);
        latency->addSeries(m_latency[i]);
        m_latency[i]->attachAxis(m_latencyTime);
        m_latency[i]->attachAxis(m_latencyValue);
    }
    grid->addWidget(viewOf(latency, this), 0, 1);

    auto* split = new QChart;
    split->setTitle(tr("Split per weighted rule: configured vs observed"));
    auto* splitSeries = new QBarSeries(split);
    m_configured = new QBarSet(tr("configured %"), splitSeries);
    m_observed = new QBarSet(tr("observed %"), splitSeries);
    splitSeries->append(m_configured);
    splitSeries->append(m_observed);
    split->addSeries(splitSeries);
    m_splitAxis = new QBarCategoryAxis(split);
    split->addAxis(m_splitAxis, Qt::AlignBottom);
    auto* percent = valueAxis(split, tr("%"));
    percent->setRange(0, 100);
    splitSeries->attachAxis(m_splitAxis);
    splitSeries->attachAxis(percent);
    grid->addWidget(viewOf(split, this), 1, 0);

    auto* failures = new QChart;
    failures->setTitle(tr("Failures by status code and response flag"));
    auto* failureSeries = new QBarSeries(failures);
    m_failures = new QBarSet(tr("requests"), failureSeries);
    m_failures->setColor(QColor(0xc9, 0x19, 0x0b));
    failureSeries->append(m_failures);
    failures->addSeries(failureSeries);
    m_failureAxis = new QBarCategoryAxis(failures);
    failures->addAxis(m_failureAxis, Qt::AlignBottom);
    m_failureValue = countAxis(failures, tr("requests"));
    failureSeries->attachAxis(m_failureAxis);
    failureSeries->attachAxis(m_failureValue);
    failures->legend()->hide();
    grid->addWidget(viewOf(failures, this), 1, 1);
}

void DashboardCharts::showView(const live::LiveView& view) {
    const double span = static_cast<double>(std::max<std::size_t>(view.windowSeconds, 2));
    m_rpsTime->setRange(1 - span, 0);
    m_latencyTime->setRange(1 - span, 0);
    showRates(view);
    showLatency(view);
    showSplits(view);
    showFailures(view);
}

void DashboardCharts::rebuildAreas(const std::vector<live::DestinationId>& destinations) {
    for (QAreaSeries* area : m_areas) {
        m_rpsChart->removeSeries(area);
        delete area;
    }
    for (QLineSeries* upper : m_uppers)
        delete upper;
    m_areas.clear();
    m_uppers.clear();
    m_destinations = destinations;
    QLineSeries* lower = nullptr;
    for (const live::DestinationId& d : destinations) {
        auto* upper = new QLineSeries(m_rpsChart);
        auto* area = new QAreaSeries(upper, lower);
        area->setName(QString::fromStdString(d.label()));
        m_rpsChart->addSeries(area);
        area->attachAxis(m_rpsTime);
        area->attachAxis(m_rpsValue);
        m_areas.push_back(area);
        m_uppers.push_back(upper);
        lower = upper;
    }
}

void DashboardCharts::showRates(const live::LiveView& view) {
    if (view.destinations != m_destinations)
        rebuildAreas(view.destinations);
    std::vector<double> stacked(view.points.size(), 0.0);
    double top = 0;
    for (std::size_t d = 0; d < m_uppers.size(); ++d) {
        QList<QPointF> points;
        points.reserve(static_cast<qsizetype>(view.points.size()));
        for (std::size_t i = 0; i < view.points.size(); ++i) {
            stacked[i] += static_cast<double>(view.destinationRequests[d][i]);
            points.append(QPointF(static_cast<double>(view.points[i].second - view.lastSecond), stacked[i]));
            top = std::max(top, stacked[i]);
        }
        m_uppers[d]->replace(points);
    }
    setCountRange(m_rpsValue, top);
}

void DashboardCharts::showLatency(const live::LiveView& view) {
    QList<QPointF> lines[3];
    double top = 0;
    for (const metrics::TimeSeriesPoint& p : view.points) {
        if (p.requests == 0)
            continue; // no latency without requests: a gap, not a zero
        const double x = static_cast<double>(p.second - view.lastSecond);
        const std::uint64_t values[3] = {p.p50, p.p90, p.p99};
        for (int i = 0; i < 3; ++i) {
            lines[i].append(QPointF(x, static_cast<double>(values[i]) / 1000.0));
            top = std::max(top, static_cast<double>(values[i]) / 1000.0);
        }
    }
    for (int i = 0; i < 3; ++i)
        m_latency[i]->replace(lines[i]);
    m_latencyValue->setRange(0, niceTop(top));
}

void DashboardCharts::showSplits(const live::LiveView& view) {
    std::vector<std::string> categories;
    QList<qreal> configured, observed;
    for (const live::RuleSplit& split : view.splits)
        for (const live::SplitShare& share : split.shares) {
            categories.push_back((split.rule.ruleName.empty() ? split.rule.label() : split.rule.ruleName) +
                                 ": " + share.destination.label());
            configured.append(share.configuredPercent);
            observed.append(share.observedPercent);
        }
    setCategories(m_splitAxis, labels(categories));
    setValues(m_configured, configured);
    setValues(m_observed, observed);
}

void DashboardCharts::showFailures(const live::LiveView& view) {
    std::vector<std::string> categories;
    QList<qreal> values;
    double top = 0;
    for (const live::CodeCount& c : view.statusCodes) {
        categories.push_back(c.code ? std::to_string(c.code) : std::string("no response"));
        values.append(static_cast<double>(c.requests));
        top = std::max(top, static_cast<double>(c.requests));
    }
    for (const live::FlagCount& f : view.flags) {
        categories.push_back(f.flag);
        values.append(static_cast<double>(f.requests));
        top = std::max(top, static_cast<double>(f.requests));
    }
    setCategories(m_failureAxis, labels(categories));
    setValues(m_failures, values);
    setCountRange(m_failureValue, top);
}

} // namespace sluice::ui
