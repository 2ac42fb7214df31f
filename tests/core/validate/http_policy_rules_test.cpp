// SPDX-License-Identifier: Apache-2.0
// Match requests, CORS, fault injection, retries and durations of an HTTP rule (VALIDATION_NOTES.md
// §2.2 V13, V15-V17, V21, V22): one passing and one failing row per rule, each failing row pinned to
// code, level and line. The rule starts at file line 9; `kRoute` occupies lines 9-11.

#include "vs_test_support.h"

using namespace sluice;
using sluice::test::addVsRow;

namespace {

std::string httpRule(const std::string& rules) {
    return test::vsDoc("  hosts:\n  - shop\n  http:\n" + rules);
}

/// Lines 9-11: a complete rule that later lines extend with more fields.
const std::string kRoute = "  - route:\n    - destination:\n        host: shop\n";

/// A rule whose single match (`- ` on line 10) is `match`; its route follows.
std::string matchRule(const std::string& match) {
    return httpRule("  - match:\n" + match + "    route:\n    - destination:\n        host: shop\n");
}

} // namespace

class HttpPolicyRulesTest : public QObject {
    Q_OBJECT

private slots:
    void stringMatches_data() {
        test::addVsColumns();
        addVsRow("RE2 regex, empty uri prefix, withoutHeaders *", matchRule(R"(    - uri:
        regex: "^/api/v[0-9]+/.*"
    - uri:
        prefix: ""
      withoutHeaders:
        x-debug:
          regex: "*"
)"));
        addVsRow("look-ahead is not RE2", matchRule(R"y(    - uri:
        regex: "^/(?!admin).*"
)y"),
                 "IST0106", "Error", 11,
                 R"("uri": error parsing regexp: invalid or unsupported Perl syntax: `(?!`)");
        addVsRow("look-ahead message names RE2", matchRule(R"y(    - uri:
        regex: "^/(?!admin).*"
)y"),
                 "IST0106", "Error", 11,
                 "; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)");
        addVsRow("regex over 1024 characters",
                 matchRule("    - uri:\n        regex: \"" + std::string(1100, 'a') + "\"\n"), "IST0106",
                 "Error", 11, R"("uri": regex is too large, max length allowed is 1024)");
        addVsRow("empty regex", matchRule("    - uri:\n        regex: \"\"\n"), "IST0106", "Error", 11,
                 R"("uri": regex string match should not be empty)");
        addVsRow("empty header prefix",
                 matchRule("    - headers:\n        x-plan:\n          prefix: \"\"\n"), "IST0106", "Error",
                 12, R"("headers": prefix string match should not be empty)");
        addVsRow("empty method prefix", matchRule("    - method:\n        prefix: \"\"\n"), "IST0106",
                 "Error", 11, R"("method": prefix string match should not be empty)");
        addVsRow("bad query parameter regex",
                 matchRule("    - queryParams:\n        v:\n          regex: \"(\"\n"), "IST0106", "Error",
                 12, R"("queryParams": error parsing regexp)");
        addVsRow("header name with a space",
                 matchRule("    - headers:\n        \"x plan\":\n          exact: a\n"), "IST0106", "Error",
                 12, "header name x plan is not a valid header name");
    }
    void stringMatches() { test::verifyVsRow(); }

    void matchAttributes_data() {
        test::addVsColumns();
        addVsRow("port, labels, namespace, gateways", matchRule(R"(    - port: 8080
      sourceLabels:
        app.kubernetes.io/name: web
      sourceNamespace: frontend
      gateways:
      - mesh
)"));
        addVsRow("port out of range", matchRule("    - port: 70000\n"), "IST0106", "Error", 10,
                 "port number 70000 must be in the range 1..65535");
        addVsRow("invalid label key", matchRule("    - sourceLabels:\n        a/b/c: web\n"), "IST0106",
                 "Error", 11, R"(invalid tag key: "a/b/c")");
        addVsRow("invalid namespace", matchRule("    - sourceNamespace: Bad_NS\n"), "IST0106", "Error", 10,
                 "sourceNamespace match Bad_NS is invalid");
        addVsRow("gateway with empty name", matchRule("    - gateways:\n      - istio-system/\n"), "IST0106",
                 "Error", 11, "config namespace and gateway name cannot be empty");
    }
    void matchAttributes() { test::verifyVsRow(); }

    void cors_data() {
        test::addVsColumns();
        // Plain literals: moc misreads `//` inside raw strings.
        addVsRow("origins, methods, headers, max age",
                 httpRule(kRoute + "    corsPolicy:\n"
                                   "      allowOrigins:\n"
                                   "      - exact: https://shop.example.com\n"
                                   "      - regex: \"https://.*[.]example[.]com\"\n"
                                   "      allowMethods:\n"
                                   "      - GET\n"
                                   "      - \"*\"\n"
                                   "      allowHeaders:\n"
                                   "      - \"*\"\n"
                                   "      - x-token\n"
                                   "      exposeHeaders:\n"
                                   "      - x-request-id\n"
                                   "      maxAge: 24h\n"));
        addVsRow("unknown method",
                 httpRule(kRoute + "    corsPolicy:\n      allowMethods:\n      - GET\n      - FETCH\n"),
                 "IST0106", "Error", 15, R"("FETCH" is not a supported HTTP method)");
        addVsRow("invalid header name",
                 httpRule(kRoute + "    corsPolicy:\n      allowHeaders:\n      - \"x token\"\n"), "IST0106",
                 "Error", 14, "header name x token is not a valid header name");
        addVsRow("empty origin",
                 httpRule(kRoute + "    corsPolicy:\n      allowOrigins:\n      - exact: \"\"\n"), "IST0106",
                 "Error", 14, "'' is not a valid match type for CORS allow origins");
        addVsRow("origin regex not RE2",
                 httpRule(kRoute + "    corsPolicy:\n      allowOrigins:\n      - regex: \"(\"\n"), "IST0106",
                 "Error", 14, R"("corsPolicy.allowOrigins": error parsing regexp)");
        addVsRow("max age below a second's precision",
                 httpRule(kRoute + "    corsPolicy:\n      maxAge: 1500ms\n"), "IST0106", "Error", 13,
                 "max_age duration is accurate only to seconds precision");
    }
    void cors() { test::verifyVsRow(); }

    void faults_data() {
        test::addVsColumns();
        addVsRow("delay and abort", httpRule(kRoute + R"(    fault:
      delay:
        fixedDelay: 5s
        percentage:
          value: 10
      abort:
        httpStatus: 503
        percentage:
          value: 0.5
)"));
        // Istio's check is `status < 200 || status > 600` although its message says 200-599.
        addVsRow("http status 600 passes",
                 httpRule(kRoute + "    fault:\n      abort:\n        httpStatus: 600\n"));
        addVsRow("neither abort nor delay", httpRule(kRoute + "    fault: {}\n"), "IST0106", "Error", 12,
                 "HTTP fault injection must have an abort and/or a delay");
        addVsRow("http status out of range",
                 httpRule(kRoute + "    fault:\n      abort:\n        httpStatus: 700\n"), "IST0106", "Error",
                 14, "HTTP status 700 is not in range 200-599");
        addVsRow("unknown gRPC status",
                 httpRule(kRoute + "    fault:\n      abort:\n        grpcStatus: NOPE\n"), "IST0106",
                 "Error", 14, R"(gRPC status "NOPE" is not supported.)");
        addVsRow("HTTP/2 error", httpRule(kRoute + "    fault:\n      abort:\n        http2Error: CANCEL\n"),
                 "IST0106", "Error", 14, "HTTP/2 abort fault injection not supported yet");
        addVsRow("percentage over 100", httpRule(kRoute + R"(    fault:
      abort:
        httpStatus: 503
        percentage:
          value: 120
)"),
                 "IST0106", "Error", 16, "percentage 120 is neither 0.0, nor in range [0.0001, 100.0]");
        addVsRow("percentage below 0.0001", httpRule(kRoute + R"(    fault:
      delay:
        fixedDelay: 1s
        percentage:
          value: 0.00001
)"),
                 "IST0106", "Error", 16, "percentage 1e-05 is neither 0.0, nor in range [0.0001, 100.0]");
        addVsRow("abort without error type",
                 httpRule(kRoute + "    fault:\n      abort:\n        percentage:\n          value: 5\n"),
                 "IST0133", "Warning", 14, "abort configured, but error type not set");
        addVsRow("exponential delay",
                 httpRule(kRoute + "    fault:\n      delay:\n        exponentialDelay: 1s\n"), "IST0106",
                 "Error", 14, "exponentialDelay not supported yet");
    }
    void faults() { test::verifyVsRow(); }

    void durations_data() {
        test::addVsColumns();
        addVsRow("whole milliseconds", httpRule(kRoute + "    timeout: 10s\n    retries:\n      attempts: 3\n"
                                                         "      perTryTimeout: 2.5s\n      backoff: 25ms\n"));
        addVsRow("timeout below 1ms", httpRule(kRoute + "    timeout: 500us\n"), "IST0106", "Error", 12,
                 "duration must be greater than 1ms");
        addVsRow("timeout 0s", httpRule(kRoute + "    timeout: 0s\n"), "IST0106", "Error", 12,
                 "duration must be greater than 1ms");
        addVsRow("per-try timeout below ms precision",
                 httpRule(kRoute + "    retries:\n      attempts: 3\n      perTryTimeout: 2.0005s\n"),
                 "IST0106", "Error", 14, "only durations to ms precision are supported");
        addVsRow("backoff below 1ms",
                 httpRule(kRoute + "    retries:\n      attempts: 3\n      backoff: 100us\n"), "IST0106",
                 "Error", 14, "duration must be greater than 1ms");
        addVsRow("fixed delay below ms precision",
                 httpRule(kRoute + "    fault:\n      delay:\n        fixedDelay: 1500us\n"), "IST0106",
                 "Error", 14, "only durations to ms precision are supported");
    }
    void durations() { test::verifyVsRow(); }

    void retries_data() {
        test::addVsColumns();
        addVsRow("policies and status codes",
                 httpRule(kRoute + "    retries:\n      attempts: 3\n"
                                   "      retryOn: 5xx,503,retriable-4xx,unavailable\n"));
        addVsRow("attempts 0 alone disables retries", httpRule(kRoute + "    retries:\n      attempts: 0\n"));
        addVsRow("negative attempts", httpRule(kRoute + "    retries:\n      attempts: -1\n"), "IST0106",
                 "Error", 13, "attempts cannot be negative");
        addVsRow("policy with attempts 0",
                 httpRule(kRoute + "    retries:\n      attempts: 0\n      perTryTimeout: 2s\n"), "IST0106",
                 "Error", 14, "http retry policy configured when attempts are set to 0 (disabled)");
        addVsRow("policy without attempts", httpRule(kRoute + "    retries:\n      retryOn: 5xx\n"),
                 "IST0106", "Error", 13,
                 "http retry policy configured when attempts are set to 0 (disabled)");
        addVsRow("unknown retryOn policy",
                 httpRule(kRoute + "    retries:\n      attempts: 2\n      retryOn: 5xx,bogus\n"), "IST0106",
                 "Error", 14, R"("bogus" is not a valid retryOn policy)");
    }
    void retries() { test::verifyVsRow(); }
};

QTEST_GUILESS_MAIN(HttpPolicyRulesTest)
#include "http_policy_rules_test.moc"
