// SPDX-License-Identifier: Apache-2.0
#include "routing/match_input.h"
#include "routing/request_matcher.h"
#include "routing_test_support.h"

#include <QTest>

using namespace sluice::routing;
using sluice::test::httpMatch;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

Request make(const std::string& target, Headers headers = {}, const std::string& method = "GET",
             const std::string& authority = "a.example.com", bool tls = false) {
    Request r;
    r.target = target;
    r.headers = std::move(headers);
    r.method = method;
    r.authority = authority;
    r.tls = tls;
    return r;
}

} // namespace

class RequestMatcherTest : public QObject {
    Q_OBJECT

private slots:
    void match_data() {
        QTest::addColumn<std::string>("match");
        QTest::addColumn<Request>("request");
        QTest::addColumn<QString>("why"); // empty: matches; else a fragment of the reason
        QTest::newRow("no uri is prefix slash")
            << std::string("{method: {exact: GET}}") << make("/any") << QString();
        QTest::newRow("exact ignores the query")
            << std::string("{uri: {exact: /p}}") << make("/p?x=1") << QString();
        QTest::newRow("exact sees the normalised path")
            << std::string("{uri: {exact: /b}}") << make("/a/../b") << QString();
        QTest::newRow("uri mismatch explained") << std::string("{uri: {exact: /p}}") << make("/q")
                                                << QStringLiteral("path /q is not exact \"/p\"");
        QTest::newRow("header absent") << std::string("{headers: {end-user: {exact: jason}}}") << make("/")
                                       << QStringLiteral("header end-user is absent");
        QTest::newRow("header name any case") << std::string("{headers: {end-user: {exact: jason}}}")
                                              << make("/", {{"END-USER", "jason"}}) << QString();
        QTest::newRow("header value case-sensitive")
            << std::string("{headers: {end-user: {exact: jason}}}") << make("/", {{"end-user", "Jason"}})
            << QStringLiteral("header end-user is \"Jason\", not exact");
        QTest::newRow("first of repeated headers counts")
            << std::string("{headers: {x: {exact: a}}}") << make("/", {{"x", "a"}, {"x", "b"}}) << QString();
        QTest::newRow("presence with empty value")
            << std::string("{headers: {x: {}}}") << make("/", {{"x", ""}}) << QString();
        QTest::newRow("regex star is presence")
            << std::string("{headers: {x: {regex: \"*\"}}}") << make("/", {{"x", "v"}}) << QString();
        QTest::newRow("without: absent is fine")
            << std::string("{withoutHeaders: {x: {exact: \"1\"}}}") << make("/") << QString();
        QTest::newRow("without: excluded value")
            << std::string("{withoutHeaders: {x: {exact: \"1\"}}}") << make("/", {{"x", "1"}})
            << QStringLiteral("which withoutHeaders excludes");
        QTest::newRow("without: missing counts as empty")
            << std::string("{withoutHeaders: {x: {regex: \".*\"}}}") << make("/")
            << QStringLiteral("counts as \"\"");
        QTest::newRow("without presence: present value excluded")
            << std::string("{withoutHeaders: {x: {}}}") << make("/", {{"x", "0"}})
            << QStringLiteral("withoutHeaders excludes");
        QTest::newRow("reserved keys in headers are ignored")
            << std::string("{headers: {method: {exact: POST}, authority: {exact: z}}}") << make("/")
            << QString();
        QTest::newRow("method") << std::string("{method: {exact: POST}}") << make("/", {}, "GET")
                                << QStringLiteral("method is \"GET\"");
        QTest::newRow("authority sees the port") << std::string("{authority: {exact: a.example.com}}")
                                                 << make("/", {}, "GET", "a.example.com:8080")
                                                 << QStringLiteral("authority is \"a.example.com:8080\"");
        QTest::newRow("scheme https over tls")
            << std::string("{scheme: {exact: https}}") << make("/", {}, "GET", "a", true) << QString();
        QTest::newRow("query exact") << std::string("{queryParams: {q: {exact: a b}}}") << make("/?q=a%20b")
                                     << QString();
        QTest::newRow("query first value counts")
            << std::string("{queryParams: {q: {exact: \"1\"}}}") << make("/?q=1&q=2") << QString();
        QTest::newRow("query exact empty matches bare key")
            << std::string("{queryParams: {debug: {exact: \"\"}}}") << make("/?debug") << QString();
        QTest::newRow("query absent") << std::string("{queryParams: {q: {regex: \"*\"}}}") << make("/?x=1")
                                      << QStringLiteral("query parameter q is absent");
        QTest::newRow("jwt claims never match offline")
            << std::string("{headers: {\"@request.auth.claims.group\": {exact: a}}}") << make("/")
            << QStringLiteral("JWT claim group");
    }
    void match() {
        QFETCH(std::string, match);
        QFETCH(Request, request);
        QFETCH(QString, why);
        const auto matcher = RequestMatcher::compile(httpMatch(match));
        QVERIFY(matcher.has_value());
        const MatchInput input(request);
        const auto reason = matcher->mismatch(input);
        QCOMPARE(matcher->matches(input), !reason.has_value());
        if (why.isEmpty()) {
            QVERIFY2(!reason, reason ? reason->c_str() : "");
        } else {
            QVERIFY(reason.has_value());
            QVERIFY2(QString::fromStdString(*reason).contains(why), reason->c_str());
        }
    }

    void catchAll_data() {
        QTest::addColumn<std::string>("match");
        QTest::addColumn<bool>("catchAll");
        QTest::newRow("port only") << std::string("{port: 80}") << true;
        QTest::newRow("prefix slash") << std::string("{uri: {prefix: /}}") << true;
        QTest::newRow("prefix slash any case")
            << std::string("{uri: {prefix: /}, ignoreUriCase: true}") << true;
        QTest::newRow("regex dot star") << std::string("{uri: {regex: \".*\"}}") << true;
        QTest::newRow("prefix slash with header")
            << std::string("{uri: {prefix: /}, headers: {x: {}}}") << false;
        QTest::newRow("method") << std::string("{method: {exact: GET}}") << false;
        QTest::newRow("query") << std::string("{queryParams: {q: {}}}") << false;
        QTest::newRow("jwt claim") << std::string("{headers: {\"@request.auth.claims.a\": {exact: b}}}")
                                   << false;
        QTest::newRow("other prefix") << std::string("{uri: {prefix: /a}}") << false;
    }
    void catchAll() {
        QFETCH(std::string, match);
        QFETCH(bool, catchAll);
        QCOMPARE(RequestMatcher::compile(httpMatch(match))->isCatchAll(), catchAll);
        QVERIFY(RequestMatcher::matchAll().isCatchAll());
    }

    void badRegexDoesNotCompile() {
        std::string error;
        QVERIFY(!RequestMatcher::compile(httpMatch("{uri: {regex: \"(\"}}"), &error));
        QVERIFY(!error.empty());
        QVERIFY(!RequestMatcher::compile(httpMatch("{headers: {x: {regex: \"[\"}}}")));
    }

    void describeListsConditions() {
        const auto m = RequestMatcher::compile(
            httpMatch("{uri: {prefix: /a}, method: {exact: GET}, queryParams: {q: {}}}"));
        QCOMPARE(m->describe(), std::string("uri prefix \"/a\", method exact \"GET\", query q present"));
    }
};

QTEST_GUILESS_MAIN(RequestMatcherTest)
#include "request_matcher_test.moc"
