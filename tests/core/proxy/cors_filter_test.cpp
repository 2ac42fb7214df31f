// SPDX-License-Identifier: Apache-2.0
// Envoy's CORS filter as Istio configures it from a VirtualService corsPolicy.

#include "config/loader.h"
#include "proxy/cors_filter.h"
#include "routing/cors_policy.h"

#include <string>

#include <QTest>

using sluice::proxy::CorsFilter;
using sluice::proxy::Http1RequestParser;

namespace {

/// The compiled corsPolicy of a VirtualService's first HTTP rule (`policy` is its YAML body).
sluice::routing::CorsPolicy policyOf(const std::string& policy) {
    const std::string yaml = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: ["web.test"]
  http:
  - corsPolicy:
)" + policy + R"(    route: [{destination: {host: web}}]
)";
    sluice::config::LoadResult loaded;
    sluice::config::loadText("cors.yaml", yaml, loaded);
    if (loaded.resources.virtualServices.empty() ||
        !loaded.resources.virtualServices[0].spec.http[0].corsPolicy)
        qFatal("test policy does not load");
    return sluice::routing::compileCorsPolicy(*loaded.resources.virtualServices[0].spec.http[0].corsPolicy);
}

CorsFilter::Outcome filtered(const std::string& policy, const std::string& request) {
    Http1RequestParser parser;
    if (parser.parseHead(request).progress != Http1RequestParser::Progress::Done)
        qFatal("test request does not parse");
    return CorsFilter::apply(policyOf(policy), parser.head());
}

constexpr const char* kPolicy =
    R"(      allowOrigins: [{exact: "https://app.test"}, {regex: "https://.*\\.example\\.com"}]
      allowMethods: [GET, POST]
      allowHeaders: [content-type, x-token]
      exposeHeaders: [x-trace]
      maxAge: 24h
      allowCredentials: true
)";

constexpr const char* kPreflight = "OPTIONS /api HTTP/1.1\r\nHost: web.test\r\nOrigin: https://app.test\r\n"
                                   "Access-Control-Request-Method: POST\r\n\r\n";

} // namespace

class CorsFilterTest : public QObject {
    Q_OBJECT

private slots:
    void answersAPreflightFromAnAllowedOrigin() {
        const auto out = filtered(kPolicy, kPreflight);
        QVERIFY(out.answerPreflight);
        QCOMPARE(out.headers, std::string("access-control-allow-origin: https://app.test\r\n"
                                          "access-control-allow-credentials: true\r\n"
                                          "access-control-allow-methods: GET,POST\r\n"
                                          "access-control-allow-headers: content-type,x-token\r\n"
                                          "access-control-max-age: 86400\r\n"));
    }

    void matchesOriginsByRegex() {
        const auto out =
            filtered(kPolicy, "GET / HTTP/1.1\r\nHost: web.test\r\nOrigin: https://a.example.com\r\n\r\n");
        QVERIFY(!out.answerPreflight);
        QCOMPARE(out.headers, std::string("access-control-allow-origin: https://a.example.com\r\n"
                                          "access-control-allow-credentials: true\r\n"
                                          "access-control-expose-headers: x-trace\r\n"));
    }

    void forwardsPreflightsFromOtherOriginsByDefault() {
        const auto out =
            filtered(kPolicy, "OPTIONS / HTTP/1.1\r\nHost: web.test\r\nOrigin: https://evil.test\r\n"
                              "Access-Control-Request-Method: POST\r\n\r\n");
        QVERIFY(!out.answerPreflight);
        QVERIFY(out.headers.empty());
    }

    // unmatchedPreflights: IGNORE answers them at the gateway, without allow-origin.
    void ignoredUnmatchedPreflightsAreAnsweredWithoutOrigin() {
        const auto out = filtered(std::string(kPolicy) + "      unmatchedPreflights: IGNORE\n",
                                  "OPTIONS / HTTP/1.1\r\nHost: web.test\r\nOrigin: https://evil.test\r\n"
                                  "Access-Control-Request-Method: POST\r\n\r\n");
        QVERIFY(out.answerPreflight);
        QVERIFY(out.headers.find("access-control-allow-origin") == std::string::npos);
        QVERIFY(out.headers.find("access-control-allow-methods: GET,POST") != std::string::npos);
    }

    void leavesRequestsWithoutOriginAlone() {
        const auto out = filtered(kPolicy, "OPTIONS / HTTP/1.1\r\nHost: web.test\r\n"
                                           "Access-Control-Request-Method: POST\r\n\r\n");
        QVERIFY(!out.answerPreflight);
        QVERIFY(out.headers.empty());
    }

    // OPTIONS without Access-Control-Request-Method is an actual request, not a preflight.
    void optionsWithoutRequestMethodIsNotAPreflight() {
        const auto out =
            filtered(kPolicy, "OPTIONS / HTTP/1.1\r\nHost: web.test\r\nOrigin: https://app.test\r\n\r\n");
        QVERIFY(!out.answerPreflight);
        QVERIFY(out.headers.find("access-control-allow-origin: https://app.test") != std::string::npos);
    }

    // A "*" in allowMethods / allowHeaders echoes what the preflight asked for; the deprecated
    // allowOrigin list of exact strings still works, and "*" there allows every origin.
    void wildcardsEchoTheRequest() {
        const auto out =
            filtered("      allowOrigin: [\"*\"]\n      allowMethods: [\"*\"]\n      allowHeaders: [\"*\"]\n",
                     "OPTIONS / HTTP/1.1\r\nHost: web.test\r\nOrigin: https://any.test\r\n"
                     "Access-Control-Request-Method: PATCH\r\n"
                     "Access-Control-Request-Headers: x-a, x-b\r\n\r\n");
        QVERIFY(out.answerPreflight);
        QCOMPARE(out.headers, std::string("access-control-allow-origin: https://any.test\r\n"
                                          "access-control-allow-methods: PATCH\r\n"
                                          "access-control-allow-headers: x-a, x-b\r\n"));
    }
};

QTEST_GUILESS_MAIN(CorsFilterTest)
#include "cors_filter_test.moc"
