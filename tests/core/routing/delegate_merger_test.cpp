// SPDX-License-Identifier: Apache-2.0
#include "routing/delegate_merger.h"
#include "routing_test_support.h"

#include <QTest>

using namespace sluice::routing;
using sluice::test::httpMatch;
using sluice::test::httpRule;

class DelegateMergerTest : public QObject {
    Q_OBJECT

private slots:
    void conflicts_data() {
        QTest::addColumn<std::string>("root");
        QTest::addColumn<std::string>("leaf");
        QTest::addColumn<bool>("conflict");
        const auto row = [](const char* name, const char* root, const char* leaf, bool conflict) {
            QTest::newRow(name) << std::string(root) << std::string(leaf) << conflict;
        };
        row("leaf prefix under root prefix", "{uri: {prefix: /p}}", "{uri: {prefix: /p/x}}", false);
        row("leaf exact under root prefix", "{uri: {prefix: /p}}", "{uri: {exact: /p/x}}", false);
        row("leaf prefix outside root prefix", "{uri: {prefix: /p}}", "{uri: {prefix: /q}}", true);
        row("leaf prefix wider than root", "{uri: {prefix: /p/x}}", "{uri: {prefix: /p}}", true);
        row("equal exact", "{uri: {exact: /p}}", "{uri: {exact: /p}}", false);
        row("different exact", "{uri: {exact: /p}}", "{uri: {exact: /q}}", true);
        row("prefix under root exact", "{uri: {exact: /p}}", "{uri: {prefix: /p}}", true);
        row("root regex against prefix", "{uri: {regex: \"/p.*\"}}", "{uri: {prefix: /p}}", true);
        row("leaf regex under prefix", "{uri: {prefix: /p}}", "{uri: {regex: \"/p.*\"}}", true);
        row("leaf without uri inherits", "{uri: {prefix: /p}}", "{method: {exact: GET}}", false);
        row("root without uri admits any", "{method: {exact: GET}}", "{uri: {prefix: /x}}", false);
        row("ignoreUriCase must agree", "{uri: {prefix: /p}, ignoreUriCase: true}", "{uri: {prefix: /p/x}}",
            true);
        row("contradicting header", "{headers: {x: {exact: a}}}", "{headers: {x: {exact: b}}}", true);
        row("same header value", "{headers: {x: {exact: a}}}", "{headers: {x: {exact: a}}}", false);
        row("extra leaf header", "{headers: {x: {exact: a}}}", "{headers: {y: {exact: b}}}", false);
        row("root presence against leaf value", "{headers: {x: {}}}", "{headers: {x: {exact: a}}}", true);
        row("query prefix narrower", "{queryParams: {q: {prefix: ab}}}", "{queryParams: {q: {prefix: abc}}}",
            false);
        row("different ports", "{port: 80}", "{port: 8080}", true);
        row("root source namespace", "{sourceNamespace: a}", "{sourceNamespace: b}", true);
        row("root gateways must cover leaf", "{gateways: [a/gw]}", "{gateways: [a/gw, b/gw]}", true);
        row("leaf gateways within root", "{gateways: [a/gw, b/gw]}", "{gateways: [b/gw]}", false);
        row("conflicting source label", "{sourceLabels: {app: a}}", "{sourceLabels: {app: b}}", true);
    }
    void conflicts() {
        QFETCH(std::string, root);
        QFETCH(std::string, leaf);
        QFETCH(bool, conflict);
        QCOMPARE(matchConflicts(httpMatch(root), httpMatch(leaf)), conflict);
    }

    void leafWithoutMatchInheritsRootMatchesAndPolicies() {
        const auto root =
            httpRule("- name: root\n  match: [{uri: {prefix: /r}}, {uri: {exact: /s}}]\n  timeout: 3s\n"
                     "  headers: {request: {set: {x-root: \"1\"}}}\n  delegate: {name: d}");
        const auto leaf = httpRule("- name: leaf\n  route: [{destination: {host: svc}}]");
        const auto merged = mergeDelegateRule(root, leaf);
        QVERIFY(merged.has_value());
        QCOMPARE(merged->match.size(), std::size_t(2));
        QCOMPARE(merged->match[1].uri->exact.value, std::string("/s"));
        QCOMPARE(merged->name.value, std::string("root-leaf"));
        QVERIFY(merged->timeout.present);
        QCOMPARE(merged->timeout.value.toString(), std::string("3s"));
        QVERIFY(merged->headers.has_value());
        QVERIFY(!merged->delegate.has_value());
    }

    void leafKeepsItsOwnPolicies() {
        const auto root = httpRule("- match: [{uri: {prefix: /r}}]\n  timeout: 3s\n  delegate: {name: d}");
        const auto leaf = httpRule(
            "- match: [{uri: {prefix: /r/x}}]\n  timeout: 1s\n  route: [{destination: {host: svc}}]");
        const auto merged = mergeDelegateRule(root, leaf);
        QVERIFY(merged.has_value());
        QCOMPARE(merged->timeout.value.toString(), std::string("1s"));
        QCOMPARE(merged->match.size(), std::size_t(1));
        QCOMPARE(merged->match[0].uri->prefix.value, std::string("/r/x"));
    }

    void mergedMatchFillsRootConditions() {
        const auto root =
            httpRule("- match: [{uri: {prefix: /r}, headers: {x-env: {exact: prod}}, port: 80}]\n"
                     "  delegate: {name: d}");
        const auto leaf = httpRule("- match: [{uri: {prefix: /r/a}, headers: {x-user: {exact: ann}}}]\n"
                                   "  route: [{destination: {host: svc}}]");
        const auto merged = mergeDelegateRule(root, leaf);
        QVERIFY(merged.has_value());
        const auto& m = merged->match.front();
        QCOMPARE(m.headers.size(), std::size_t(2));
        QVERIFY(m.headers.contains("x-env"));
        QCOMPARE(m.port.value, 80u);
    }

    void conflictingLeafIsDropped() {
        const auto root = httpRule("- match: [{uri: {prefix: /r}}]\n  delegate: {name: d}");
        const auto leaf =
            httpRule("- match: [{uri: {prefix: /elsewhere}}]\n  route: [{destination: {host: svc}}]");
        QVERIFY(!mergeDelegateRule(root, leaf).has_value());
        // Every leaf match needs a root match that admits it.
        const auto partly = httpRule("- match: [{uri: {prefix: /r/a}}, {uri: {prefix: /x}}]\n"
                                     "  route: [{destination: {host: svc}}]");
        QVERIFY(!mergeDelegateRule(root, partly).has_value());
    }

    void rootWithoutMatchKeepsLeafMatches() {
        const auto root = httpRule("- delegate: {name: d}");
        const auto leaf = httpRule("- match: [{uri: {prefix: /x}}]\n  route: [{destination: {host: svc}}]");
        const auto merged = mergeDelegateRule(root, leaf);
        QVERIFY(merged.has_value());
        QCOMPARE(merged->match.front().uri->prefix.value, std::string("/x"));
    }
};

QTEST_GUILESS_MAIN(DelegateMergerTest)
#include "delegate_merger_test.moc"
