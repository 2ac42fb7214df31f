// SPDX-License-Identifier: Apache-2.0
// IST0134 and IST0177: service_entry_analyzer.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

class ServiceEntryAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        const QByteArray entry = R"yaml(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: db
spec:
  hosts: [db.example.net]
ADDRESSES  ports:
  - number: 5432
    name: postgres
PROTOCOL  resolution: DNS
)yaml";
        QTest::newRow("protocol unset, no addresses")
            << QByteArray(entry).replace("ADDRESSES", "").replace("PROTOCOL", "") << QByteArray("IST0134")
            << true << level(Level::Warning) << 9 << QByteArray("ServiceEntry default/db");
        QTest::newRow("lower-case tcp, no addresses")
            << QByteArray(entry).replace("ADDRESSES", "").replace("PROTOCOL", "    protocol: tcp\n")
            << QByteArray("IST0134") << true << level(Level::Warning) << 9
            << QByteArray("ServiceEntry default/db");
        QTest::newRow("tcp with addresses") << QByteArray(entry)
                                                   .replace("ADDRESSES", "  addresses: [10.0.0.5]\n")
                                                   .replace("PROTOCOL", "    protocol: TCP\n")
                                            << QByteArray("IST0134") << false << 0 << 0 << QByteArray();
        QTest::newRow("TLS needs no address")
            << QByteArray(entry).replace("ADDRESSES", "").replace("PROTOCOL", "    protocol: TLS\n")
            << QByteArray("IST0134") << false << 0 << 0 << QByteArray();

        const QByteArray two = R"yaml(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: se-http
spec:
  hosts: [example.com]
  ports: [{number: 8080, name: web, protocol: HTTP}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: se-other
  namespace: NS
spec:
  hosts: [example.com]
EXPORT  ports: [{number: 8080, name: web, protocol: PROTO}]
)yaml";
        QTest::newRow("same host and port, HTTP and HTTPS")
            << QByteArray(two).replace("NS", "default").replace("EXPORT", "").replace("PROTO", "HTTPS")
            << QByteArray("IST0177") << true << level(Level::Warning) << 12
            << QByteArray("ServiceEntry default/se-other");
        QTest::newRow("protocols compared case-insensitively")
            << QByteArray(two).replace("NS", "default").replace("EXPORT", "").replace("PROTO", "http")
            << QByteArray("IST0177") << false << 0 << 0 << QByteArray();
        QTest::newRow("namespace-local entry still meets one exported everywhere")
            << QByteArray(two)
                   .replace("NS", "other")
                   .replace("EXPORT", "  exportTo: ['.']\n")
                   .replace("PROTO", "TCP")
            << QByteArray("IST0177") << true << level(Level::Warning) << 4
            << QByteArray("ServiceEntry default/se-http");
    }

    void findings() { verifyRow(); }
};

QTEST_GUILESS_MAIN(ServiceEntryAnalyzerTest)
#include "service_entry_analyzer_test.moc"
