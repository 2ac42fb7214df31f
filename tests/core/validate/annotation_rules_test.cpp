// SPDX-License-Identifier: Apache-2.0
#include "rule_test_support.h"
#include "validate/rules.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <QTest>

using sluice::model::Level;

namespace {

/// A `kind` resource named `r` whose annotations (and then anything else) start at line 6.
std::string annotated(const char* kind, const char* annotations) {
    const std::string apiVersion = std::string_view(kind) == "Deployment" ? "apps/v1" : "v1";
    return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: r\n  annotations:\n" +
           annotations;
}

sluice::model::Diagnostics analyze(const std::string& yaml) {
    const auto resources = sluice::test::loadClean(yaml);
    sluice::model::Diagnostics out;
    sluice::validate::checkAnnotations(resources, out);
    return out;
}

} // namespace

class AnnotationRulesTest : public QObject {
    Q_OBJECT

private slots:
    void rules_data() {
        sluice::test::addRuleColumns();
        const QString none;

        QTest::newRow("valid: foreign annotations are ignored")
            << annotated("Service", "    kubernetes.io/psp: privileged\n    helm.sh/hook: test-success\n")
            << none << Level::Info << 0 << QString();
        QTest::newRow("IST0108 unknown Istio annotation")
            << annotated("Service", "    networking.istio.io/exportThree: bar\n") << QStringLiteral("IST0108")
            << Level::Warning << 6 << "Unknown annotation: networking.istio.io/exportThree";
        QTest::newRow("IST0108 any *istio.io prefix counts")
            << annotated("Pod", "    foo.istio.io/bar: x\n") << QStringLiteral("IST0108") << Level::Warning
            << 6 << "Unknown annotation: foo.istio.io/bar";
        QTest::newRow("IST0135 deprecated annotation")
            << annotated("Pod", "    sidecar.istio.io/discoveryAddress: istiod:15012\n")
            << QStringLiteral("IST0135") << Level::Info << 6
            << "Annotation \"sidecar.istio.io/discoveryAddress\" has been deprecated and may not work in "
               "future Istio "
               "versions.";
        QTest::newRow("IST0135 inject annotation points at the label")
            << annotated("Pod", "    sidecar.istio.io/inject: \"true\"\n") << QStringLiteral("IST0135")
            << Level::Info << 6 << "has been deprecated in favor of the \"sidecar.istio.io/inject\" label";
        QTest::newRow("valid: inject annotation beside its label")
            << annotated("Pod", "    sidecar.istio.io/inject: \"true\"\n  labels:\n    "
                                "sidecar.istio.io/inject: \"true\"\n")
            << none << Level::Info << 0 << QString();
        QTest::newRow("IST0107 annotation on the wrong kind")
            << annotated("Pod", "    kubernetes.io/ingress.class: istio\n") << QStringLiteral("IST0107")
            << Level::Warning << 6
            << "Misplaced annotation: kubernetes.io/ingress.class can only be applied to Ingress";
        QTest::newRow("IST0107 pod annotation on a Deployment")
            << annotated("Deployment", "    proxy.istio.io/config: \"{}\"\n") << QStringLiteral("IST0107")
            << Level::Warning << 6
            << "Misplaced annotation: proxy.istio.io/config can only be applied to Pod";
        QTest::newRow("IST0107 lists every kind it applies to")
            << annotated("Pod", "    networking.istio.io/traffic-distribution: PreferClose\n")
            << QStringLiteral("IST0107") << Level::Warning << 6
            << "can only be applied to Service, ServiceEntry";
        QTest::newRow("IST0125 not an integer")
            << annotated("Pod", "    readiness.status.sidecar.istio.io/initialDelaySeconds: bar\n")
            << QStringLiteral("IST0125") << Level::Warning << 6
            << "Invalid annotation readiness.status.sidecar.istio.io/initialDelaySeconds: strconv.ParseUint: "
               "parsing "
               "\"bar\": invalid syntax";
        QTest::newRow("IST0125 interception mode")
            << annotated("Pod", "    sidecar.istio.io/interceptionMode: FOO\n") << QStringLiteral("IST0125")
            << Level::Warning << 6 << "interceptionMode invalid, use REDIRECT,TPROXY,NONE: FOO";
        QTest::newRow("IST0125 CIDR list")
            << annotated("Pod", "    traffic.sidecar.istio.io/includeOutboundIPRanges: 10.0.0.0/8,bad\n")
            << QStringLiteral("IST0125") << Level::Warning << 6
            << "includeIPRanges invalid: failed parsing cidr 'bad'";
        QTest::newRow("IST0125 port list")
            << annotated("Pod", "    traffic.sidecar.istio.io/excludeInboundPorts: \"80,x\"\n")
            << QStringLiteral("IST0125") << Level::Warning << 6
            << "excludeInboundPorts invalid: failed parsing port 'x'";
        QTest::newRow("IST0125 boolean")
            << annotated("Pod", "    prometheus.istio.io/merge-metrics: maybe\n") << QStringLiteral("IST0125")
            << Level::Warning << 6 << "strconv.ParseBool: parsing \"maybe\": invalid syntax";
        QTest::newRow("IST0125 proxy config not a map")
            << annotated("Pod", "    proxy.istio.io/config: \"[1, 2]\"\n") << QStringLiteral("IST0125")
            << Level::Warning << 6
            << "Invalid annotation proxy.istio.io/config: failed to convert to apply proxy config";
        QTest::newRow("valid: pod annotations with good values") << annotated("Pod",
                                                                              R"(    proxy.istio.io/config: |
      holdApplicationUntilProxyStarts: true
    sidecar.istio.io/status: "{}"
    sidecar.istio.io/interceptionMode: REDIRECT
    traffic.sidecar.istio.io/includeInboundPorts: "*"
    ambient.istio.io/redirection: enabled
)") << none << Level::Info << 0 << QString();
        QTest::newRow("IST0136 alpha annotation on a Service")
            << annotated("Service", "    networking.istio.io/exportTo: \".\"\n") << QStringLiteral("IST0136")
            << Level::Info << 6
            << "Annotation \"networking.istio.io/exportTo\" is part of an alpha-phase feature and may be "
               "incompletely "
               "supported.";
        QTest::newRow("IST0136 alpha annotation on a Pod")
            << annotated("Pod", "    sidecar.istio.io/proxyCPU: 100m\n") << QStringLiteral("IST0136")
            << Level::Info << 6
            << "Annotation \"sidecar.istio.io/proxyCPU\" is part of an alpha-phase feature";
    }

    void rules() {
        QFETCH(std::string, yaml);
        QFETCH(QString, code);
        QFETCH(Level, level);
        QFETCH(int, line);
        QFETCH(QString, message);
        sluice::test::expectFinding(analyze(yaml), code, level, line, message);
    }

    void anyKindAnnotationIsNeverMisplaced() {
        const auto out = analyze(annotated("Deployment", "    galley.istio.io/analyze-suppress: IST0118\n"));
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out.front().code, std::string("IST0136")); // alpha, but it applies to any kind
    }

    /// Istio's own analyzer test input (pkg/config/analysis/analyzers/testdata/misannotated.yaml) and
    /// the findings analyzers_test.go expects for the kinds Sluice models (not the Namespace).
    void istioMisannotatedTestdata() {
        const auto out = analyze(R"(# K8s object with unknown Istio annotations
apiVersion: v1
kind: Service
metadata:
  name: httpbin
  labels:
    app: httpbin
  annotations:
    networking.istio.io/exportThree: bar
    networking.istio.io/exportTo: baz
spec:
  ports:
  - name: http
    port: 8000
    targetPort: 80
  selector:
    app: httpbin
---
apiVersion: v1
kind: Pod
metadata:
  name: invalid-annotations
  annotations:
    readiness.status.sidecar.istio.io/initialDelaySeconds: bar
    readiness.status.sidecar.istio.io/periodSeconds: "10"
spec:
  containers:
    - name: "foo"
      command: ['curl']
---
apiVersion: v1
kind: Service
metadata:
  name: details
  annotations:
    kubernetes.io/psp: my-privileged-psp
spec:
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: grafana-test
  annotations:
    proxy.istio.io/config: "{}"
    helm.sh/hook: test-success
    kubernetes.io/ingress.class: "istio"
spec:
  containers:
    - name: "grafana-test"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fortio-deploy
  annotations:
     sidecar.istio.io/statsInclusionPrefixes: cluster.outbound
spec:
  replicas: 1
)");
        std::vector<std::pair<std::string, std::string>> got;
        for (const auto& d : out)
            got.emplace_back(d.code, d.resource);
        std::sort(got.begin(), got.end());
        const std::vector<std::pair<std::string, std::string>> want{
            {"IST0107", "Deployment default/fortio-deploy"}, {"IST0107", "Pod default/grafana-test"},
            {"IST0108", "Service default/httpbin"},          {"IST0125", "Pod default/invalid-annotations"},
            {"IST0135", "Deployment default/fortio-deploy"}, {"IST0136", "Deployment default/fortio-deploy"},
            {"IST0136", "Pod default/invalid-annotations"},  {"IST0136", "Pod default/invalid-annotations"},
            {"IST0136", "Service default/httpbin"},
        };
        QVERIFY2(got == want, qPrintable(sluice::test::describe(out)));
    }
};

QTEST_GUILESS_MAIN(AnnotationRulesTest)
#include "annotation_rules_test.moc"
