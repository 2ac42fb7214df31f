// SPDX-License-Identifier: Apache-2.0
// IST0109: mesh_host_conflict_analyzer.cpp.

#include "analyzer_test_support.h"

using sluice::model::Level;
using namespace sluice::test;

namespace {

/// Two VirtualServices; the first one's metadata.name is on line 4, the second one's on line 16.
QByteArray twoVirtualServices(const char* firstExtra, const char* secondHost, const char* secondExtra) {
    return QByteArray(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: foo
spec:
  hosts: [ratings.foo.svc.cluster.local]
  FIRST
  http:
  - route:
    - destination: {host: ratings.foo.svc.cluster.local}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: bar
spec:
  hosts: [SECOND_HOST]
  SECOND
  http:
  - route:
    - destination: {host: ratings.foo.svc.cluster.local}
)yaml")
        .replace("FIRST", firstExtra)
        .replace("SECOND_HOST", secondHost)
        .replace("SECOND", secondExtra);
}

} // namespace

class MeshHostConflictAnalyzerTest : public QObject {
    Q_OBJECT

private slots:
    void findings_data() {
        addColumns();
        QTest::newRow("two mesh VirtualServices, same host")
            << twoVirtualServices("exportTo: ['*']", "ratings.foo.svc.cluster.local", "gateways: [mesh]")
            << QByteArray("IST0109") << true << level(Level::Error) << 16
            << QByteArray("VirtualService bar/ratings");
        QTest::newRow("short name resolves to the same host")
            << twoVirtualServices("exportTo: ['*']", "ratings", "exportTo: ['*']") << QByteArray("IST0109")
            << false << 0 << 0 << QByteArray(); // `ratings` in bar is ratings.bar.svc.cluster.local
        QTest::newRow("gateway-bound VirtualServices are merged, not conflicting")
            << twoVirtualServices("gateways: [istio-system/public]", "ratings.foo.svc.cluster.local",
                                  "gateways: [istio-system/public]")
            << QByteArray("IST0109") << false << 0 << 0 << QByteArray();
        QTest::newRow("exported to different namespaces")
            << twoVirtualServices("exportTo: ['.']", "ratings.foo.svc.cluster.local", "exportTo: ['.']")
            << QByteArray("IST0109") << false << 0 << 0 << QByteArray();
        QTest::newRow("namespace-scoped host overlaps a wildcard exported everywhere")
            << twoVirtualServices("exportTo: ['.']", "'*.foo.svc.cluster.local'", "exportTo: ['*']")
            << QByteArray("IST0109") << true << level(Level::Error) << 4
            << QByteArray("VirtualService foo/ratings");
    }

    void findings() { verifyRow(); }
};

QTEST_GUILESS_MAIN(MeshHostConflictAnalyzerTest)
#include "mesh_host_conflict_analyzer_test.moc"
