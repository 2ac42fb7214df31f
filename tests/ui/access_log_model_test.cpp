// SPDX-License-Identifier: Apache-2.0
// The live access log: a bounded table appended in batches, filtered, each row traceable.
#include "live/access_log_model.h"
#include "live/access_log_panel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using sluice::ui::AccessLogBatch;
using sluice::ui::AccessLogEntry;
using sluice::ui::AccessLogModel;

namespace {

AccessLogEntry entry(int n, int status = 200) {
    AccessLogEntry e;
    e.startMillis = 1'764'142'208'123 + n;
    e.method = QStringLiteral("GET");
    e.authority = QStringLiteral("shop.example.com");
    e.path = QStringLiteral("/r/%1").arg(n);
    e.status = status;
    e.route = QStringLiteral("frontend-split");
    e.destination = QStringLiteral("frontend.canary.svc.cluster.local stable :8080");
    e.durationMillis = n;
    return e;
}

AccessLogBatch batch(int from, int count) {
    AccessLogBatch b;
    for (int i = from; i < from + count; ++i)
        b.append(entry(i, i % 10 == 0 ? 503 : 200));
    return b;
}

sluice::workload::LocalListener listener(std::uint32_t gatewayPort, std::uint16_t localPort,
                                         std::string scheme) {
    sluice::workload::LocalListener l;
    l.gatewayPort = gatewayPort;
    l.localPort = localPort;
    l.scheme = std::move(scheme);
    l.host = "shop.example.com";
    return l;
}

} // namespace

class AccessLogModelTest : public QObject {
    Q_OBJECT

private slots:
    void batchesAppendAndTheOldestLeaveAtCapacity() {
        AccessLogModel model(nullptr, 5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(batch(0, 3));
        QCOMPARE(model.rowCount(), 3);
        model.append(batch(3, 4));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, AccessLogModel::Path).data().toString(), QStringLiteral("/r/2"));
        QCOMPARE(model.index(4, AccessLogModel::Path).data().toString(), QStringLiteral("/r/6"));
        model.append(batch(100, 12)); // more than it holds: the newest five
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, AccessLogModel::Path).data().toString(), QStringLiteral("/r/107"));
        model.append({});
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // Past what the proxy's log ring keeps between two batches, the rest are counted, not lost
    // silently: the model adds them up (and the batch's own overflow), the panel says so.
    void requestsNotListedAreCounted() {
        sluice::ui::AccessLogPanel panel;
        AccessLogModel& model = *panel.model();
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.append(batch(0, 4));
        QCOMPARE(model.unlisted(), 0);
        const auto* count = panel.findChild<QLabel*>();
        QVERIFY(count);
        QVERIFY2(!count->text().contains(QStringLiteral("not listed")), qPrintable(count->text()));
        panel.append(batch(4, 4), 1500);
        panel.append({}, 20); // a batch of nothing but drops still counts
        QCOMPARE(model.unlisted(), 1520);
        QCOMPARE(model.rowCount(), 8);
        QVERIFY2(count->text().contains(QLocale().toString(1520) + QStringLiteral(" more not listed")),
                 qPrintable(count->text()));
        AccessLogModel small(nullptr, 3);
        small.append(batch(0, 10), 5); // seven of the batch never fit
        QCOMPARE(small.unlisted(), 12);
        small.clear();
        QCOMPARE(small.unlisted(), 0);
    }

    void columnsShowTheRequest() {
        AccessLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AccessLogEntry e = entry(4, 503);
        e.flags = QStringLiteral("UF,URX");
        model.append({e, entry(5)});
        QCOMPARE(model.columnCount(), int(AccessLogModel::ColumnCount));
        QCOMPARE(model.headerData(AccessLogModel::Destination, Qt::Horizontal).toString(),
                 QStringLiteral("Destination"));
        QCOMPARE(model.index(0, AccessLogModel::Method).data().toString(), QStringLiteral("GET"));
        QCOMPARE(model.index(0, AccessLogModel::Host).data().toString(), QStringLiteral("shop.example.com"));
        QCOMPARE(model.index(0, AccessLogModel::Status).data().toInt(), 503);
        QCOMPARE(model.index(0, AccessLogModel::Flags).data().toString(), QStringLiteral("UF,URX"));
        QCOMPARE(model.index(1, AccessLogModel::Flags).data().toString(), QStringLiteral("-"));
        QCOMPARE(model.index(0, AccessLogModel::Route).data().toString(), QStringLiteral("frontend-split"));
        QCOMPARE(model.index(0, AccessLogModel::Duration).data().toString(), QStringLiteral("4 ms"));
        QCOMPARE(model.index(0, 0).data(AccessLogModel::StatusRole).toInt(), 503);
        QCOMPARE(model.index(0, 0).data(AccessLogModel::EntryRole).value<AccessLogEntry>().path,
                 QStringLiteral("/r/4"));
        QVERIFY(model.index(0, AccessLogModel::Time).data().toString().contains(QLatin1Char(':')));
    }

    void theRecordOfTheProxyBecomesARow() {
        sluice::proxy::RequestRecord r;
        r.method = "POST";
        r.authority = "bookinfo.example.com";
        r.path = "/login";
        r.status = 200;
        r.routeName = "login";
        r.upstreamCluster = "outbound|9080|v1|productpage.default.svc.cluster.local";
        r.downstreamLocalAddress = "127.0.0.1:8080";
        r.durationMillis = 12;
        const AccessLogEntry e = AccessLogEntry::from(r);
        QCOMPARE(e.method, QStringLiteral("POST"));
        QCOMPARE(e.destination, QStringLiteral("productpage.default.svc.cluster.local v1 :9080"));
        QCOMPARE(e.localPort, quint16(8080));
        QCOMPARE(e.durationMillis, qint64(12));
    }

    void aRowTracesOnTheGatewayPortThatTookIt() {
        AccessLogEntry e = entry(1);
        e.path = QStringLiteral("/productpage?u=1");
        e.localPort = 8080;
        QCOMPARE(e.traceUrl({listener(80, 8080, "http")}),
                 QStringLiteral("http://shop.example.com/productpage?u=1"));
        e.localPort = 9443;
        QCOMPARE(e.traceUrl({listener(80, 8080, "http"), listener(8443, 9443, "https")}),
                 QStringLiteral("https://shop.example.com:8443/productpage?u=1"));
        e.authority = QStringLiteral("shop.example.com:8443"); // the Host names its port already
        QCOMPARE(e.traceUrl({listener(8443, 9443, "https")}),
                 QStringLiteral("https://shop.example.com:8443/productpage?u=1"));
    }

    void thePanelFiltersAndAsksForTheTraceOfARow() {
        sluice::ui::AccessLogPanel panel;
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.append(batch(0, 20));
        QTableView* view = panel.view();
        QCOMPARE(view->model()->rowCount(), 20);
        panel.setFilter(QStringLiteral("503"));
        QCOMPARE(view->model()->rowCount(), 2); // /r/0 and /r/10
        QSignalSpy traced(&panel, &sluice::ui::AccessLogPanel::traceRequested);
        emit view->activated(view->model()->index(1, 0));
        QCOMPARE(traced.count(), 1);
        QCOMPARE(traced.at(0).at(0).value<AccessLogEntry>().path, QStringLiteral("/r/10"));
        panel.setFilter({});
        QCOMPARE(view->model()->rowCount(), 20);
    }
};

QTEST_MAIN(AccessLogModelTest)
#include "access_log_model_test.moc"
