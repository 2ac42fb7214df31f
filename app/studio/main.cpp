// SPDX-License-Identifier: Apache-2.0
// sluice-studio: the composition root of the desktop app. Builds the bridge and the window and
// opens what the command line names.

#include "bridge/core_bridge.h"
#include "widgets/color_theme.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

int main(int argc, char** argv) {
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
    parser.process(app);

    sluice::ui::CoreBridge bridge;
    sluice::ui::ColorTheme theme(app);
    sluice::ui::MainWindow window(bridge, theme);
    window.show();
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QObject::connect(&bridge, &sluice::ui::CoreBridge::snapshotReady, &window, [&window, file] {
            // Let the views lay out the new snapshot before grabbing them.
            QTimer::singleShot(200, &window, [&window, file] {
                const bool saved = window.grab().save(file);
                QApplication::exit(saved ? 0 : 1);
            });
        });
    }
    if (!parser.positionalArguments().isEmpty())
        window.openPaths(parser.positionalArguments());
    else if (!parser.isSet(screenshot))
        window.reopenLast();
    return QApplication::exec();
}
