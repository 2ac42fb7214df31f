// SPDX-License-Identifier: Apache-2.0
#include "models/trace_model.h"
#include "widgets/request_panel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using sluice::ui::ConfigSnapshot;
using sluice::ui::RequestPanel;
using sluice::ui::TraceModel;

class RequestPanelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_bookinfo = ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/bookinfo"}); }

    void productpageGoesToProductpage() {
        RequestPanel panel;
        QAbstractItemModelTester tester(const_cast<TraceModel*>(&panel.model()),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.setSnapshot(m_bookinfo);
        panel.setUrl(QStringLiteral("http://bookinfo.example.com/productpage"));
        QVERIFY(panel.trace());
        const auto& d = panel.model().decision();
        QCOMPARE(d.status, 200);
        QCOMPARE(d.destination->cluster, std::string("outbound|9080||productpage.default.svc.cluster.local"));
        QVERIFY(panel.model().summary().contains(QStringLiteral("productpage.default.svc.cluster.local")));
        QVERIFY(panel.model().rowCount() >= 3);
        // The matched rule points at the VirtualService in samples/bookinfo.
        bool pointsAtYaml = false;
        for (int i = 0; i < panel.model().rowCount(); ++i) {
            const QModelIndex step = panel.model().index(i);
            if (step.data(TraceModel::LineRole).toInt() > 0 &&
                step.data(TraceModel::FileRole).toString().endsWith(QStringLiteral("virtualservice.yaml")))
                pointsAtYaml = true;
        }
        QVERIFY(pointsAtYaml);
    }

    void unknownPathIs404WithReason() {
        RequestPanel panel;
        panel.setSnapshot(m_bookinfo);
        panel.setUrl(
            QStringLiteral("http://bookinfo.example.com/static/app.css")); // no rule for /static here
        QVERIFY(panel.trace());
        QCOMPARE(panel.model().decision().status, 404);
        QCOMPARE(panel.model().decision().responseFlag, std::string("NR"));
        QVERIFY(panel.model().summary().startsWith(QStringLiteral("404 NR")));
    }

    // The SNI picks the TLS server before the Host header is looked at, as in Envoy: a Host the
    // chosen server does not serve is 404, an SNI no server names is a reset handshake.
    void sniPicksTheTlsServer() {
        const auto tls = ConfigSnapshot::build({SLUICE_SOURCE_DIR "/samples/tls"});
        RequestPanel panel;
        panel.setSnapshot(tls);
        panel.setUrl(QStringLiteral("https://shop.example.com/"));
        QVERIFY(panel.trace());
        QCOMPARE(panel.model().decision().status, 200);
        QCOMPARE(panel.model().decision().destination->host, std::string("store.secure.svc.cluster.local"));
        panel.setSni(QStringLiteral("partner.example.com"));
        QVERIFY(panel.trace());
        QCOMPARE(panel.model().decision().status, 404);
        panel.setSni(QStringLiteral("other.example.com"));
        QVERIFY(panel.trace());
        QCOMPARE(panel.model().decision().status, 0);
        QVERIFY(panel.model().summary().contains(QStringLiteral("reset")));
        // Naming an SNI on an http:// URL means TLS on port 80, which serves plain HTTP only.
        panel.setUrl(QStringLiteral("http://shop.example.com/"));
        panel.setSni(QStringLiteral("shop.example.com"));
        QVERIFY(panel.trace());
        QVERIFY(panel.model().decision().status != 200);
    }

    void badInputIsRefusedNotRouted() {
        RequestPanel panel;
        QVERIFY(!panel.trace()); // no config yet
        panel.setSnapshot(m_bookinfo);
        panel.setUrl(QStringLiteral("ftp://bookinfo.example.com/"));
        QVERIFY(!panel.trace());
        QCOMPARE(panel.model().rowCount(), 0);
    }

private:
    sluice::ui::ConfigSnapshotPtr m_bookinfo;
};

QTEST_MAIN(RequestPanelTest)
#include "request_panel_test.moc"
