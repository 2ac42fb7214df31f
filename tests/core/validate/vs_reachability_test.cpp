// SPDX-License-Identifier: Apache-2.0
// Rule reachability (VALIDATION_NOTES.md §2.2 V24): IST0130 VirtualServiceUnreachableRule (Warning)
// and IST0131 VirtualServiceIneffectiveMatch (Info), with the semantics of Istio's
// analyzeUnreachableHTTPRules / TCP / TLS. Findings sit on the line of the affected rule.

#include "vs_test_support.h"

#include <filesystem>
#include <map>
#include <set>

using namespace sluice;
using sluice::test::addVsRow;

namespace {

std::string httpDoc(const std::string& rules) {
    return test::vsDoc("  hosts:\n  - shop\n  http:\n" + rules);
}

/// One HTTP rule (4 + match lines): `match` holds the `- ...` items of its match list.
std::string rule(const std::string& header, const std::string& match) {
    return "  - " + header + "\n    match:\n" + match +
           "    route:\n    - destination:\n        host: shop\n";
}
const std::string kCatchAll = "  - route:\n    - destination:\n        host: shop\n";

std::string prefix(const std::string& p) {
    return "    - uri:\n        prefix: " + p + "\n";
}

/// The shared corpus: SLUICE_SHARED_DIR, or the nearest `shared/` above the source tree (worktrees
/// live deeper than the main checkout).
std::filesystem::path sharedDir() {
    std::filesystem::path configured(SLUICE_SHARED_DIR);
    if (std::filesystem::exists(configured / "realworld"))
        return configured;
    for (std::filesystem::path dir(SLUICE_SOURCE_DIR); dir.has_relative_path(); dir = dir.parent_path())
        if (std::filesystem::exists(dir / "shared" / "realworld"))
            return dir / "shared";
    return configured;
}

std::string tcpDoc(const std::string& rules) {
    return test::vsDoc("  hosts:\n  - db\n  tcp:\n" + rules);
}
const std::string kTcpRoute = "    route:\n    - destination:\n        host: db\n";

} // namespace

class VsReachabilityTest : public QObject {
    Q_OBJECT

private slots:
    void httpRules_data() {
        test::addVsColumns();
        // rule(...) with one prefix match spans lines 9-15; the next rule starts on line 16.
        addVsRow("catch-all last", httpDoc(rule("name: admin", prefix("/admin")) + kCatchAll));
        addVsRow("rule after a catch-all", httpDoc(kCatchAll + rule("name: admin", prefix("/admin"))),
                 "IST0130", "Warning", 12,
                 R"(VirtualService rule "admin" not used (route without matches defined before).)");
        addVsRow("two catch-alls", httpDoc(kCatchAll + kCatchAll), "IST0130", "Warning", 12,
                 "VirtualService rule #1 not used (only the last rule can have no matches).");

        // The match name is ignored when comparing matches.
        const std::string dup =
            httpDoc(rule("name: first", prefix("/api")) +
                    rule("name: again", "    - name: same\n      uri:\n        prefix: /api\n"));
        addVsRow(
            "duplicate match is ineffective", dup, "IST0131", "Info", 16,
            R"(VirtualService rule "again" match "same" is not used (duplicate/overlapping match in rule "first").)");
        addVsRow("rule of duplicates only is unreachable", dup, "IST0130", "Warning", 16,
                 R"(VirtualService rule "again" not used (all matches used by prior rules).)");

        addVsRow("specific prefix first",
                 httpDoc(rule("name: v2", prefix("/api/v2")) + rule("name: api", prefix("/api"))));
        addVsRow(
            "later prefix covered by an earlier one",
            httpDoc(rule("name: api", prefix("/api")) + rule("name: v2", prefix("/api/v2"))), "IST0131",
            "Info", 16,
            R"(VirtualService rule "v2" match #0 of prefix /api/v2 is not used (duplicate/overlapping match in rule #0 of prefix /api on "api").)");
        addVsRow("overlap inside one rule", httpDoc(rule("name: api", prefix("/api") + prefix("/api/v2"))),
                 "IST0131", "Info", 9, R"(match #1 of prefix /api/v2 is not used)");
        // No method compares as GET, so POST is a different match.
        addVsRow("different method",
                 httpDoc(rule("name: api", prefix("/api")) +
                         rule("name: post", prefix("/api/v2") + "      method:\n        exact: POST\n")));
        addVsRow("explicit GET equals the default",
                 httpDoc(rule("name: api", prefix("/api")) +
                         rule("name: get", prefix("/api/v2") + "      method:\n        exact: GET\n")),
                 "IST0131", "Info", 16, "of prefix /api/v2 is not used");
        addVsRow("different port", httpDoc(rule("name: api", prefix("/api") + "      port: 8080\n") +
                                           rule("name: v2", prefix("/api/v2"))));
        addVsRow("different headers",
                 httpDoc(rule("name: api", prefix("/api")) +
                         rule("name: beta", prefix("/api/v2") + "      headers:\n        x-beta:\n"
                                                                "          exact: \"on\"\n")));
        // Only prefix uri matches take part in the overlap check.
        addVsRow("exact after prefix",
                 httpDoc(rule("name: root", prefix("/") + "    - uri:\n        exact: /\n")));
    }
    void httpRules() { test::verifyVsRow(); }

    void l4Rules_data() {
        test::addVsColumns();
        addVsRow("tcp ports differ", tcpDoc("  - match:\n    - port: 31400\n" + kTcpRoute +
                                            "  - match:\n    - port: 31401\n" + kTcpRoute));
        addVsRow("tcp duplicate port",
                 tcpDoc("  - match:\n    - port: 31400\n" + kTcpRoute + "  - match:\n    - port: 31400\n" +
                        kTcpRoute),
                 "IST0131", "Info", 14,
                 "VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0).");
        addVsRow("tcp rule of duplicates unreachable",
                 tcpDoc("  - match:\n    - port: 31400\n" + kTcpRoute + "  - match:\n    - port: 31400\n" +
                        kTcpRoute),
                 "IST0130", "Warning", 14,
                 "VirtualService rule #1 not used (all matches used by prior rules).");
        addVsRow("two tcp rules without match",
                 tcpDoc("  - route:\n    - destination:\n        host: db\n"
                        "  - route:\n    - destination:\n        host: db\n"),
                 "IST0130", "Warning", 12,
                 "VirtualService rule #1 not used (only the last rule can have no matches).");
        const std::string tls = test::vsDoc(R"(
  hosts:
  - db.example.com
  tls:
  - match:
    - port: 443
      sniHosts:
      - db.example.com
    route:
    - destination:
        host: db
  - match:
    - port: 443
      sniHosts:
      - db.example.com
    route:
    - destination:
        host: db
)");
        addVsRow("tls duplicate match", tls, "IST0131", "Info", 16,
                 "VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0).");
    }
    void l4Rules() { test::verifyVsRow(); }

    // A rule that still has one fresh match is reachable: IST0131 only.
    void partialDuplicateIsNotUnreachable() {
        const auto diags = test::checkVs(httpDoc(rule("name: first", prefix("/api")) +
                                                 rule("name: more", prefix("/api") + prefix("/potato"))));
        QVERIFY2(test::hasFinding(diags, QStringLiteral("IST0131"), QStringLiteral("Info"), 16,
                                  QStringLiteral("match #0")),
                 qPrintable(test::describe(diags)));
        QCOMPARE(std::count_if(diags.begin(), diags.end(), [](const auto& d) { return d.code == "IST0130"; }),
                 0);
        QCOMPARE(diags.size(), std::size_t(1));
    }

    // Istio reports "route without matches defined before" once per match of the rule.
    void everyMatchAfterCatchAllIsReported() {
        const auto diags = test::checkVs(httpDoc(kCatchAll + rule("name: two", prefix("/a") + prefix("/b"))));
        QCOMPARE(std::count_if(diags.begin(), diags.end(),
                               [](const auto& d) { return d.code == "IST0130" && d.span.line == 12; }),
                 2);
        QCOMPARE(diags.size(), std::size_t(2));
    }

    // Istio's analyzer test inputs analysed together give exactly the findings of analyzers_test.go
    // (realworld/EXPECT.md §4).
    void istioAnalyzerTestdata() {
        const std::string dir = (sharedDir() / "realworld/istio/analyzer-testdata/").string();
        const config::LoadResult loaded = config::loadPaths(
            {dir + "virtualservice_dupmatches.yaml", dir + "virtualservice_overlappingmatches.yaml"});
        QVERIFY2(!loaded.unreadable, qPrintable(QString::fromStdString(dir)));
        QCOMPARE(loaded.resources.virtualServices.size(), std::size_t(13));
        model::Diagnostics diags;
        for (const auto& vs : loaded.resources.virtualServices)
            validate::checkVirtualServiceSchema(vs, diags);
        std::map<std::string, std::set<std::string>> byCode;
        for (const auto& d : diags) {
            QVERIFY2(d.code == "IST0130" || d.code == "IST0131", qPrintable(test::describe({d})));
            QCOMPARE(d.level, d.code == "IST0130" ? model::Level::Warning : model::Level::Info);
            byCode[d.code].insert(d.resource.substr(d.resource.find(' ') + 1));
        }
        const std::set<std::string> unreachable{"default/duplicate-match", "foo/sample-foo-cluster01",
                                                "default/duplicate-tcp-match", "default/duplicate-empty-tcp",
                                                "none/tls-routing"};
        const std::set<std::string> ineffective{"default/almost-duplicate-match",
                                                "default/duplicate-match",
                                                "default/almost-duplicate-tcp-match",
                                                "default/duplicate-tcp-match",
                                                "none/tls-routing-almostmatch",
                                                "none/tls-routing",
                                                "default/non-method-get",
                                                "default/overlapping-in-single-match",
                                                "default/overlapping-in-two-matches",
                                                "default/overlapping-mathes-with-different-methods"};
        QVERIFY2(byCode["IST0130"] == unreachable, qPrintable(test::describe(diags)));
        QCOMPARE(byCode["IST0131"], ineffective);
        QCOMPARE(diags.size(), unreachable.size() + ineffective.size());
    }
};

QTEST_GUILESS_MAIN(VsReachabilityTest)
#include "vs_reachability_test.moc"
