// SPDX-License-Identifier: Apache-2.0
// sluice-studio: the composition root of the desktop app. Builds the bridge and the window and
// opens what the command line names.

#include "bridge/core_bridge.h"
#include "charts/dashboard_panel.h"
#include "graph/flow_view.h"
#include "proxy/openssl_allocator.h"
#include "widgets/color_theme.h"
#include "widgets/live_wiring.h"
#include "widgets/main_window.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTabWidget>
#include <QTimer>

namespace {

/// The Dashboard tab brought to the front and rendered to `file`.
bool saveDashboard(sluice::ui::MainWindow& window, const QString& file) {
    auto* dashboard = window.findChild<sluice::ui::DashboardPanel*>();
    if (!dashboard)
        return false;
    for (auto* tabs : window.findChildren<QTabWidget*>())
        if (tabs->indexOf(dashboard) >= 0)
            tabs->setCurrentWidget(dashboard);
    QApplication::processEvents(); // lay the tab out before grabbing it
    return dashboard->grab().save(file);
}

} // namespace

int main(int argc, char** argv) {
    sluice::proxy::installOpenSslAllocator(); // before anything touches OpenSSL
    // Fractional scale factors (125 %, 150 %) as the desktop asks, not rounded to 1x or 2x.
    QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Sluice Studio"));
    QApplication::setOrganizationName(QStringLiteral("Sluice"));
    QApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/sluice/sluice-studio.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("sluice-studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("See how traffic enters your Istio mesh, and why."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("paths"),
                                 QStringLiteral("Files or folders of Istio YAML to open"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Render the window to FILE (PNG) once the config is loaded, then quit"),
        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    const QCommandLineOption flowImage(
        QStringLiteral("flow-image"),
        QStringLiteral("Render the whole Flow graph to FILE (PNG, or SVG for *.svg) once the config is "
                       "loaded, then quit"),
        QStringLiteral("FILE"));
    parser.addOption(flowImage);
    const QCommandLineOption trace(QStringLiteral("trace"),
                                   QStringLiteral("Trace a request to URL once the config is loaded"),
                                   QStringLiteral("URL"));
    parser.addOption(trace);
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Once the config is loaded, run the demo (the proxy and a gentle mixed load); with "
                       "--screenshot or --dashboard-image, render after SECONDS of it"),
        QStringLiteral("SECONDS"));
    parser.addOption(demo);
    const QCommandLineOption dashboardImage(
        QStringLiteral("dashboard-image"),
        QStringLiteral("Render the Dashboard tab to FILE (PNG) once the config is loaded (after --demo's "
                       "SECONDS), then quit"),
        QStringLiteral("FILE"));
    parser.addOption(dashboardImage);
    parser.process(app);

    sluice::ui::CoreBridge bridge;
    sluice::ui::ColorTheme theme(app);
    sluice::ui::MainWindow window(bridge, theme);
    const bool capture = parser.isSet(screenshot) || parser.isSet(flowImage) || parser.isSet(dashboardImage);
    if (capture)
        window.resize(1600, 1000); // the README's size, whatever the last session left
    window.show();
    const int demoMillis = parser.isSet(demo) ? std::max(0, parser.value(demo).toInt()) * 1000 : 0;
    if (parser.isSet(demo))
        QObject::connect(
            &bridge, &sluice::ui::CoreBridge::flowLaidOut, &window,
            [&window] { window.live()->demoAction()->trigger(); }, Qt::SingleShotConnection);
    if (capture) {
        const QString file = parser.value(screenshot), flowFile = parser.value(flowImage),
                      dashboardFile = parser.value(dashboardImage);
        // The flow graph's layout is the last thing to arrive after a load; the demo's charts need
        // its seconds of traffic.
        QObject::connect(
            &bridge, &sluice::ui::CoreBridge::flowLaidOut, &window,
            [&window, file, flowFile, dashboardFile, demoMillis] {
                // Let the views lay out the new snapshot before grabbing them.
                QTimer::singleShot(200 + demoMillis, &window, [&window, file, flowFile, dashboardFile] {
                    window.repaint();
                    bool saved = file.isEmpty() || window.grab().save(file);
                    if (!flowFile.isEmpty()) {
                        auto* flow = window.findChild<sluice::ui::FlowView*>();
                        saved = saved && flow &&
                                (flowFile.endsWith(QStringLiteral(".svg")) ? flow->exportSvg(flowFile)
                                                                           : flow->exportPng(flowFile));
                    }
                    if (!dashboardFile.isEmpty())
                        saved = saveDashboard(window, dashboardFile) && saved;
                    QApplication::exit(saved ? 0 : 1);
                });
            },
            Qt::SingleShotConnection);
    }
    if (parser.isSet(trace))
        QObject::connect(&bridge, &sluice::ui::CoreBridge::flowLaidOut, &window,
                         [&window, url = parser.value(trace)] { window.traceRequest(url); });
    if (!parser.positionalArguments().isEmpty())
        window.openPaths(parser.positionalArguments());
    else if (!capture)
        window.reopenLast();
    return QApplication::exec();
}
