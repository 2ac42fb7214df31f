// SPDX-License-Identifier: Apache-2.0
// The live parts as the window wires them: F6 starts and stops the proxy and shows where it
// listens, a busy port is said plainly, "Run demo" starts the proxy and a load and stops both,
// the access log fills and a row opens its trace.
#include "live/access_log_model.h"
#include "live/access_log_panel.h"
#include "live/live_session.h"
#include "widgets/color_theme.h"
#include "widgets/live_wiring.h"
#include "widgets/main_window.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolBar>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using sluice::ui::CoreBridge;
using sluice::ui::MainWindow;
using sluice::ui::ProxyController;

namespace {

sluice::workload::SessionOptions ephemeral() {
    auto o = ProxyController::defaultOptions();
    o.serve.ephemeralPorts = true;
    return o;
}

/// The status-bar label that shows the proxy's address (selectable, to copy it).
QLabel* addressLabel(const MainWindow& window) {
    for (QLabel* label : window.statusBar()->findChildren<QLabel*>())
        if (label->textInteractionFlags() & Qt::TextSelectableByMouse)
            return label;
    return nullptr;
}

} // namespace

class LiveWindowTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // keep the user's settings alone

    void f6StartsAndStopsTheProxyAndShowsItsAddress() {
        CoreBridge bridge;
        sluice::ui::ColorTheme theme(*qApp);
        MainWindow window(bridge, theme);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() != nullptr, 20000);
        ProxyController& proxy = window.live()->session().proxy();
        QVERIFY(proxy.setSessionOptions(ephemeral()));
        QAction* action = window.live()->proxyAction();
        QCOMPARE(action->shortcut(), QKeySequence(Qt::Key_F6));
        QVERIFY(window.findChild<QToolBar*>()->actions().contains(action));
        QCOMPARE(action->text(), QStringLiteral("Start &proxy"));
        action->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(proxy.state(), ProxyController::State::Running, 10000);
        QCOMPARE(action->text(), QStringLiteral("Stop &proxy"));
        QLabel* label = addressLabel(window);
        QVERIFY(label);
        const QString port = QString::number(proxy.listeners().at(0).localPort);
        QCOMPARE(label->text(),
                 QStringLiteral("Proxy running: http://127.0.0.1:%1  Host: bookinfo.example.com").arg(port));
        QVERIFY(label->textInteractionFlags() & Qt::TextSelectableByMouse);
        action->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(proxy.state(), ProxyController::State::Stopped, 10000);
        QCOMPARE(label->text(), QStringLiteral("Proxy stopped"));
    }

    void aBusyPortIsSaidPlainly() {
        const int held = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QVERIFY(::bind(held, reinterpret_cast<const sockaddr*>(&at), sizeof at) == 0 &&
                ::listen(held, 1) == 0);
        socklen_t size = sizeof at;
        ::getsockname(held, reinterpret_cast<sockaddr*>(&at), &size);
        const int port = ntohs(at.sin_port);

        CoreBridge bridge;
        sluice::ui::ColorTheme theme(*qApp);
        MainWindow window(bridge, theme);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() != nullptr, 20000);
        ProxyController& proxy = window.live()->session().proxy();
        auto options = ProxyController::defaultOptions();
        options.serve.portOffset = static_cast<std::uint16_t>(port - 80); // Gateway port 80 lands on it
        QVERIFY(proxy.setSessionOptions(options));
        window.live()->proxyAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(proxy.state(), ProxyController::State::Failed, 10000);
        ::close(held);
        QVERIFY(addressLabel(window));
        const QString text = addressLabel(window)->text();
        QVERIFY2(text.contains(QStringLiteral("127.0.0.1:%1").arg(port)) &&
                     text.contains(QStringLiteral("in use")),
                 qPrintable(text));
        QCOMPARE(window.live()->proxyAction()->text(), QStringLiteral("Start &proxy"));
    }

    void runDemoStartsTheProxyAndALoadAndStopsBoth() {
        CoreBridge bridge;
        sluice::ui::ColorTheme theme(*qApp);
        MainWindow window(bridge, theme);
        window.openPaths({QStringLiteral(SLUICE_SOURCE_DIR "/samples/bookinfo")});
        QTRY_VERIFY_WITH_TIMEOUT(bridge.current() != nullptr, 20000);
        sluice::ui::LiveSession& live = window.live()->session();
        QVERIFY(live.proxy().setSessionOptions(ephemeral()));
        QAction* demo = window.live()->demoAction();
        QVERIFY(window.findChild<QToolBar*>()->actions().contains(demo));
        demo->trigger();
        QVERIFY(live.demoRunning());
        QCOMPARE(demo->text(), QStringLiteral("Stop &demo"));
        QTRY_COMPARE_WITH_TIMEOUT(live.proxy().state(), ProxyController::State::Running, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(live.traffic().running(), 10000);

        // The access log fills; a row traces its request in the Request panel.
        sluice::ui::AccessLogPanel* log = window.live()->accessLog();
        QTRY_VERIFY_WITH_TIMEOUT(log->model()->rowCount() > 50, 10000);
        for (int row = 0; row < log->model()->rowCount(); ++row) {
            const auto e = log->model()->entry(row);
            QCOMPARE(e.authority, QStringLiteral("bookinfo.example.com"));
            QVERIFY(e.path.startsWith(QStringLiteral("/productpage")));
            QCOMPARE(e.status, 200);
        }
        emit log->view()->activated(log->view()->model()->index(0, 0));
        bool traced = false;
        for (QLineEdit* edit : window.findChildren<QLineEdit*>())
            traced =
                traced || edit->text().startsWith(QStringLiteral("http://bookinfo.example.com/productpage"));
        QVERIFY(traced);

        demo->trigger(); // one click stops both
        QVERIFY(!live.demoRunning());
        QCOMPARE(demo->text(), QStringLiteral("Run &demo"));
        QTRY_VERIFY_WITH_TIMEOUT(!live.traffic().running(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(live.proxy().state(), ProxyController::State::Stopped, 10000);
    }
};

QTEST_MAIN(LiveWindowTest)
#include "live_window_test.moc"
