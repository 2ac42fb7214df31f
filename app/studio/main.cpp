// SPDX-License-Identifier: Apache-2.0
// sluice-studio: the composition root of the desktop app. Builds the bridge and the window and
// opens what the command line names.

#include "bridge/core_bridge.h"
#include "graph/flow_view.h"
#include "proxy/openssl_allocator.h"
#include "widgets/color_theme.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

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
    parser.process(app);

    sluice::ui::CoreBridge bridge;
    sluice::ui::ColorTheme theme(app);
    sluice::ui::MainWindow window(bridge, theme);
    if (parser.isSet(screenshot))
        window.resize(1600, 1000); // the README's size, whatever the last session left
    window.show();
    if (parser.isSet(screenshot) || parser.isSet(flowImage)) {
        const QString file = parser.value(screenshot), flowFile = parser.value(flowImage);
        // The flow graph's layout is the last thing to arrive after a load.
        QObject::connect(&bridge, &sluice::ui::CoreBridge::flowLaidOut, &window, [&window, file, flowFile] {
            // Let the views lay out the new snapshot before grabbing them.
            QTimer::singleShot(200, &window, [&window, file, flowFile] {
                window.repaint();
                bool saved = file.isEmpty() || window.grab().save(file);
                if (!flowFile.isEmpty()) {
                    auto* flow = window.findChild<sluice::ui::FlowView*>();
                    saved = saved && flow &&
                            (flowFile.endsWith(QStringLiteral(".svg")) ? flow->exportSvg(flowFile)
                                                                       : flow->exportPng(flowFile));
                }
                QApplication::exit(saved ? 0 : 1);
            });
        });
    }
    if (parser.isSet(trace))
        QObject::connect(&bridge, &sluice::ui::CoreBridge::flowLaidOut, &window,
                         [&window, url = parser.value(trace)] { window.traceRequest(url); });
    if (!parser.positionalArguments().isEmpty())
        window.openPaths(parser.positionalArguments());
    else if (!parser.isSet(screenshot))
        window.reopenLast();
    return QApplication::exec();
}
