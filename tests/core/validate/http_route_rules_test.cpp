// SPDX-License-Identifier: Apache-2.0
// HTTP rule checks of a VirtualService (VALIDATION_NOTES.md §2.2 V8-V12, V14, V18-V20): one
// passing and one failing row per rule, each failing row pinned to code, level and line.
// httpRule() puts the rule's first line (`- ...`) at file line 9.

#include "vs_test_support.h"

using namespace sluice;
using sluice::test::addVsRow;

namespace {

/// VirtualService default/shop with hosts [shop] and the given `http:` rules (first rule: line 9).
std::string httpRule(std::string rules) {
    if (!rules.empty() && rules.front() == '\n')
        rules.erase(0, 1);
    return test::vsDoc("  hosts:\n  - shop\n  http:\n" + rules);
}

/// The route of a rule that has other fields first (three lines).
const std::string kDest = "    route:\n    - destination:\n        host: shop\n";
/// A complete rule on lines 9-11 that later lines can extend.
const std::string kRouteRule = "  - route:\n    - destination:\n        host: shop\n";

} // namespace

class HttpRouteRulesTest : public QObject {
    Q_OBJECT

private slots:
    void actions_data() {
        test::addVsColumns();
        addVsRow("route only", httpRule(R"(
  - route:
    - destination:
        host: shop
)"));
        addVsRow("redirect only", httpRule("  - redirect:\n      uri: /v2\n"));
        addVsRow("direct response only", httpRule("  - directResponse:\n      status: 404\n"));
        addVsRow("route and redirect", httpRule("  - redirect:\n      uri: /v2\n" + kDest), "IST0106",
                 "Error", 9, "HTTP route cannot contain both route and redirect");
        addVsRow("no action", httpRule("  - match:\n    - uri:\n        prefix: /a\n"), "IST0106", "Error", 9,
                 "HTTP route, redirect or direct_response is required");
        addVsRow("direct response and fault", httpRule(R"(
  - directResponse:
      status: 503
    fault:
      abort:
        httpStatus: 500
)"),
                 "IST0106", "Error", 9, "HTTP route cannot contain both fault and direct_response");
        addVsRow("redirect and rewrite", httpRule(R"(
  - redirect:
      uri: /v2
    rewrite:
      uri: /v3
)"),
                 "IST0106", "Error", 9, "HTTP route rule cannot contain both rewrite and redirect");
    }
    void actions() { test::verifyVsRow(); }

    void delegation_data() {
        test::addVsColumns();
        addVsRow("root rule with delegate only", httpRule("  - delegate:\n      name: shop-api\n"));
        addVsRow("root rule with a route", httpRule("  - delegate:\n      name: shop-api\n" + kDest),
                 "IST0106", "Error", 9, "must not specify route");
        addVsRow("delegate delegating again", test::vsDoc("  http:\n  - delegate:\n      name: other\n"),
                 "IST0106", "Error", 7, "delegate HTTP route cannot contain delegate");
    }
    void delegation() { test::verifyVsRow(); }

    void mirrors_data() {
        test::addVsColumns();
        addVsRow("mirrors with percentage", httpRule(kRouteRule + R"(    mirrors:
    - destination:
        host: shadow
      percentage:
        value: 50
)"));
        addVsRow("mirror and mirrors", httpRule(R"(
  - route:
    - destination:
        host: shop
    mirror:
      host: shadow
    mirrors:
    - destination:
        host: shadow2
)"),
                 "IST0106", "Error", 9, "HTTP route cannot contain both mirror and mirrors");
        addVsRow("mirrorPercentage over 100", httpRule(R"(
  - route:
    - destination:
        host: shop
    mirror:
      host: shadow
    mirrorPercentage:
      value: 150
)"),
                 "IST0106", "Error", 15,
                 "mirror_percentage must have a max value of 100 (it has 150.000000)");
        addVsRow("negative mirrors percentage", httpRule(R"(
  - route:
    - destination:
        host: shop
    mirrors:
    - destination:
        host: shadow
      percentage:
        value: -1
)"),
                 "IST0106", "Error", 16, "mirror percentage must have a min value of 0 (it has -1.000000)");
        addVsRow("mirror without destination", httpRule(R"(
  - route:
    - destination:
        host: shop
    mirrors:
    - percentage:
        value: 5
)"),
                 "IST0106", "Error", 13, "destination is required for mirrors");
    }
    void mirrors() { test::verifyVsRow(); }

    void destinations_data() {
        test::addVsColumns();
        addVsRow("fqdn host, subset and port", httpRule(R"(
  - route:
    - destination:
        host: shop.default.svc.cluster.local
        subset: v1
        port:
          number: 8080
)"));
        addVsRow("host *", httpRule("  - route:\n    - destination:\n        host: \"*\"\n"), "IST0106",
                 "Error", 11, "invalid destination host *");
        addVsRow("invalid subset name",
                 httpRule("  - route:\n    - destination:\n        host: shop\n        subset: V_1\n"),
                 "IST0106", "Error", 12, "subset name is invalid: V_1");
        addVsRow("port out of range", httpRule(R"(
  - route:
    - destination:
        host: shop
        port:
          number: 70000
)"),
                 "IST0106", "Error", 13, "port number 70000 must be in the range 1..65535");
        addVsRow("weighted entry without destination", httpRule("  - route:\n    - weight: 100\n"), "IST0106",
                 "Error", 10, "destination is required");
    }
    void destinations() { test::verifyVsRow(); }

    void weights_data() {
        test::addVsColumns();
        addVsRow("single destination with weight 0",
                 httpRule("  - route:\n    - destination:\n        host: shop\n      weight: 0\n"));
        addVsRow("weights need not sum to 100", httpRule(R"(
  - route:
    - destination:
        host: shop
        subset: v1
      weight: 30
    - destination:
        host: shop
        subset: v2
      weight: 30
)"));
        addVsRow("negative weight",
                 httpRule("  - route:\n    - destination:\n        host: shop\n      weight: -5\n"),
                 "IST0106", "Error", 12, "weight -5 < 0");
        addVsRow("all weights zero", httpRule(R"(
  - route:
    - destination:
        host: shop
        subset: v1
      weight: 0
    - destination:
        host: shop
        subset: v2
      weight: 0
)"),
                 "IST0106", "Error", 9, "total destination weight = 0");
    }
    void weights() { test::verifyVsRow(); }

    void headerOperations_data() {
        test::addVsColumns();
        addVsRow("valid operations", httpRule(kRouteRule + R"(    headers:
      request:
        set:
          x-node: "%HOSTNAME%"
          ":authority": shop.example.com
        remove:
        - x-debug
      response:
        add:
          x-served-by: "100%%"
)"));
        addVsRow("request set of a pseudo header", httpRule(kRouteRule + R"(    headers:
      request:
        set:
          ":path": /x
)"),
                 "IST0106", "Error", 15, R"(invalid header ":path": header cannot have ":" prefix)");
        addVsRow("response add of Host", httpRule(kRouteRule + R"(    headers:
      response:
        add:
          Host: other
)"),
                 "IST0106", "Error", 15, R"(invalid header "Host": cannot set Host header)");
        addVsRow("request remove of host", httpRule(kRouteRule + R"(    headers:
      request:
        remove:
        - host
)"),
                 "IST0106", "Error", 15, R"(invalid header "host": cannot set Host header)");
        addVsRow("unterminated variable", httpRule(kRouteRule + R"(    headers:
      request:
        add:
          x-id: "abc%123"
)"),
                 "IST0106", "Error", 15,
                 "header value configuration: invalid header configuration. Un-terminated "
                 "variable expression 'abc%123'");
        addVsRow("per-destination response set of host", httpRule(R"(
  - route:
    - destination:
        host: shop
      headers:
        response:
          set:
            host: other
)"),
                 "IST0106", "Error", 15, R"(invalid header "host": cannot set Host header)");
        addVsRow(
            "authority set twice", httpRule(kRouteRule + R"(    rewrite:
      authority: a.example.com
    headers:
      request:
        set:
          ":authority": b.example.com
)"),
            "IST0106", "Error", 17,
            R"(authority header cannot be set multiple times: have "a.example.com", attempting to set "b.example.com")");
    }
    void headerOperations() { test::verifyVsRow(); }

    void redirects_data() {
        test::addVsColumns();
        addVsRow("scheme and port", httpRule("  - redirect:\n      scheme: https\n      port: 443\n"));
        addVsRow("derived port only", httpRule("  - redirect:\n      derivePort: FROM_REQUEST_PORT\n"));
        addVsRow("nothing to redirect to", httpRule("  - redirect:\n      redirectCode: 301\n"), "IST0106",
                 "Error", 10, "redirect must specify URI, authority, scheme, or port");
        addVsRow("non-3xx code", httpRule("  - redirect:\n      uri: /v2\n      redirectCode: 200\n"),
                 "IST0106", "Error", 11, "200 is not a valid redirect code, must be 3xx");
        addVsRow("unknown scheme", httpRule("  - redirect:\n      scheme: ftp\n"), "IST0106", "Error", 10,
                 R"(invalid redirect scheme, must be "http" or "https")");
        addVsRow("port out of range", httpRule("  - redirect:\n      port: 70000\n"), "IST0106", "Error", 10,
                 "port number 70000 must be in the range 1..65535");
    }
    void redirects() { test::verifyVsRow(); }

    void rewrites_data() {
        test::addVsColumns();
        const std::string route = kRouteRule;
        addVsRow("uri and authority",
                 httpRule(route + "    rewrite:\n      uri: /v2\n      authority: a.example.com\n"));
        addVsRow("regex rewrite",
                 httpRule(route + "    rewrite:\n      uriRegexRewrite:\n        match: ^/v1/(.*)\n"
                                  "        rewrite: /v2/\\1\n"));
        addVsRow("uri and regex rewrite", httpRule(route + R"(    rewrite:
      uri: /v2
      uriRegexRewrite:
        match: ^/v1
        rewrite: /v2
)"),
                 "IST0106", "Error", 13, "rewrite may only contain one of URI or UriRegexRewrite");
        addVsRow("empty rewrite", httpRule(route + "    rewrite:\n      authority: \"\"\n"), "IST0106",
                 "Error", 13, "rewrite must specify at least one of URI, UriRegexRewrite, or authority");
        addVsRow("regex rewrite without rewrite",
                 httpRule(route + "    rewrite:\n      uriRegexRewrite:\n        match: ^/v1\n"), "IST0106",
                 "Error", 14, "UriRegexRewrite requires both Rewrite and Match fields to be specified");
        addVsRow("regex rewrite not RE2", httpRule(route + R"y(    rewrite:
      uriRegexRewrite:
        match: "^/(?!admin)"
        rewrite: /
)y"),
                 "IST0106", "Error", 14, "Istio uses RE2 style regex-based match");
    }
    void rewrites() { test::verifyVsRow(); }

    void directResponses_data() {
        test::addVsColumns();
        addVsRow("status and small body",
                 httpRule("  - directResponse:\n      status: 200\n      body:\n        string: ok\n"));
        addVsRow("informational status", httpRule("  - directResponse:\n      status: 100\n"), "IST0106",
                 "Error", 10, "HTTP status 100 is not in range 200-599");
        addVsRow("body over 100 KB warns",
                 httpRule("  - directResponse:\n      status: 200\n      body:\n        string: " +
                          std::string(150 * 1024, 'x') + "\n"),
                 "IST0133", "Warning", 12, "large direct_responses may impact control plane performance");
        addVsRow("body over 1 MB",
                 httpRule("  - directResponse:\n      status: 200\n      body:\n        string: " +
                          std::string(1100 * 1024, 'x') + "\n"),
                 "IST0106", "Error", 12, "must be less than 1MB");
    }
    void directResponses() { test::verifyVsRow(); }
};

QTEST_GUILESS_MAIN(HttpRouteRulesTest)
#include "http_route_rules_test.moc"
