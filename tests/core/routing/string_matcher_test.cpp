// SPDX-License-Identifier: Apache-2.0
#include "routing/string_matcher.h"
#include "routing_test_support.h"

#include <QTest>

using namespace sluice::routing;
using sluice::model::StringMatch;

namespace {

StringMatch exact(const char* v) {
    StringMatch m;
    m.exact = std::string(v);
    return m;
}
StringMatch prefix(const char* v) {
    StringMatch m;
    m.prefix = std::string(v);
    return m;
}
StringMatch regex(const char* v) {
    StringMatch m;
    m.regex = std::string(v);
    return m;
}

} // namespace

class StringMatcherTest : public QObject {
    Q_OBJECT

private slots:
    void matches_data() {
        QTest::addColumn<StringMatch>("match");
        QTest::addColumn<bool>("ignoreCase");
        QTest::addColumn<std::string>("value");
        QTest::addColumn<bool>("expected");
        QTest::newRow("exact equal") << exact("/login") << false << std::string("/login") << true;
        QTest::newRow("exact is case-sensitive")
            << exact("/login") << false << std::string("/Login") << false;
        QTest::newRow("exact ignoring case") << exact("/login") << true << std::string("/LOGIN") << true;
        QTest::newRow("exact is not a prefix")
            << exact("/login") << false << std::string("/login/x") << false;
        QTest::newRow("exact empty matches empty") << exact("") << false << std::string() << true;
        QTest::newRow("prefix is raw") << prefix("/foo") << false << std::string("/foobar") << true;
        QTest::newRow("prefix longer than value")
            << prefix("/foobar") << false << std::string("/foo") << false;
        QTest::newRow("prefix ignoring case") << prefix("/API") << true << std::string("/api/v1") << true;
        QTest::newRow("prefix case-sensitive") << prefix("/API") << false << std::string("/api/v1") << false;
        QTest::newRow("prefix star is literal") << prefix("*") << false << std::string("abc") << false;
        QTest::newRow("regex full match") << regex("/v[0-9]+") << false << std::string("/v12") << true;
        QTest::newRow("regex must cover everything")
            << regex("/v[0-9]+") << false << std::string("/v1/x") << false;
        QTest::newRow("regex ignores ignoreCase")
            << regex("/admin") << true << std::string("/ADMIN") << false;
        QTest::newRow("regex inline case flag")
            << regex("(?i)/admin") << false << std::string("/ADMIN") << true;
        // Values outside the regex's possible match range are refused before RE2 runs: the
        // range must never refuse a real match.
        QTest::newRow("regex range: long match past the range's length")
            << regex("/api/v[0-9]+/users/.*") << false << std::string("/api/v12/users/42/orders/9") << true;
        QTest::newRow("regex range: below") << regex("/api/v[0-9]+/users/.*") << false << std::string("/")
                                            << false;
        QTest::newRow("regex range: above") << regex("/api/v[0-9]+/users/.*") << false << std::string("/zz")
                                            << false;
        QTest::newRow("regex range: alternation's last branch")
            << regex("/(alpha|zulu)/.*") << false << std::string("/zulu/x") << true;
        QTest::newRow("regex range: case-insensitive")
            << regex("(?i)/API/v1") << false << std::string("/api/V1") << true;
        QTest::newRow("regex range: unbounded start") << regex(".*\\.png") << false << std::string("~x.png")
                                                      << true;
        QTest::newRow("regex range: high bytes")
            << regex("/caf\xC3\xA9.*") << false << std::string("/caf\xC3\xA9s") << true;
        QTest::newRow("empty match is presence") << StringMatch{} << false << std::string("anything") << true;
        QTest::newRow("non-ASCII bytes compare raw")
            << exact("/caf\xC3\xA9") << true << std::string("/CAF\xC3\xA9") << true;
    }
    void matches() {
        QFETCH(StringMatch, match);
        QFETCH(bool, ignoreCase);
        QFETCH(std::string, value);
        QFETCH(bool, expected);
        const auto m = StringMatcher::compile(match, ignoreCase);
        QVERIFY(m.has_value());
        QCOMPARE(m->matches(value), expected);
    }

    void invalidRegexIsReported() {
        std::string error;
        QVERIFY(!StringMatcher::compile(regex("*"), false, &error).has_value());
        QVERIFY2(error.find("does not compile as RE2") != std::string::npos, error.c_str());
        QVERIFY(!StringMatcher::compile(regex("(unclosed"), false).has_value());
    }

    void describe() {
        QCOMPARE(StringMatcher::exact("/a", true).describe(), std::string("exact \"/a\" (any case)"));
        QCOMPARE(StringMatcher::prefix("/b").describe(), std::string("prefix \"/b\""));
        QCOMPARE(StringMatcher::compile(regex("x.*"), false)->describe(), std::string("regex \"x.*\""));
        QCOMPARE(StringMatcher::present().describe(), std::string("present"));
        QCOMPARE(StringMatcher::present().kind(), StringMatcher::Kind::Present);
    }
};

QTEST_GUILESS_MAIN(StringMatcherTest)
#include "string_matcher_test.moc"
