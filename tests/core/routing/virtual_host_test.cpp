// SPDX-License-Identifier: Apache-2.0
// PathIndex must give exactly the first route a linear scan finds, whatever mix of match kinds.

#include "routing/match_input.h"
#include "routing/virtual_host.h"
#include "routing_test_support.h"

#include <QTest>

using namespace sluice::routing;
using sluice::test::httpMatch;

namespace {

std::vector<CompiledRoute> routes(const std::vector<std::string>& matches) {
    std::vector<CompiledRoute> out;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        CompiledRoute r{
            *RequestMatcher::compile(httpMatch(matches[i])), std::make_shared<RouteAction>(), {}, {}, {}};
        r.origin.ruleIndex = static_cast<int>(i);
        out.push_back(std::move(r));
    }
    return out;
}

int linear(const std::vector<CompiledRoute>& rs, const MatchInput& input) {
    for (std::size_t i = 0; i < rs.size(); ++i)
        if (rs[i].match.matches(input))
            return static_cast<int>(i);
    return -1;
}

int indexed(const PathIndex& index, const std::vector<CompiledRoute>& rs, const MatchInput& input) {
    int found = -1;
    index.forEachCandidate(input.path(), [&](std::uint32_t i) {
        if (rs[i].match.matches(input)) {
            found = static_cast<int>(i);
            return true;
        }
        return false;
    });
    return found;
}

// A route list that punishes any index that loses order: later exact routes shadowed by earlier
// prefixes, case-insensitive routes between them, regexes that overlap, headers that fail.
const std::vector<std::string> kMixed = {
    "{uri: {prefix: /api/v2/users}, headers: {x-beta: {exact: \"1\"}}}",
    "{uri: {exact: /api/v2/users/me}}",
    "{uri: {prefix: /API/V2}, ignoreUriCase: true}",
    "{uri: {exact: /api/v2/users}}",
    "{uri: {regex: \"/api/v[0-9]+/orders/[0-9]+\"}}",
    "{uri: {prefix: /api/v1}}",
    "{uri: {exact: /Health}, ignoreUriCase: true}",
    "{uri: {exact: /health}}",
    "{uri: {prefix: /static/}}",
    "{uri: {prefix: /static}}",
    "{uri: {regex: \"/static/.*\\\\.js\"}}",
    "{uri: {prefix: /a}}",
    "{uri: {prefix: /ab}}",
    "{uri: {exact: /abc}}",
    "{uri: {prefix: /abc/}, queryParams: {v: {exact: \"2\"}}}",
    "{uri: {exact: /abc/}}",
    "{uri: {prefix: /}}",
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

} // namespace

class VirtualHostTest : public QObject {
    Q_OBJECT

private slots:
    void indexPreservesFirstMatch_data() {
        QTest::addColumn<std::string>("target");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<int>("expected");
        using H = HeaderList;
        QTest::newRow("header prefix rule") << std::string("/api/v2/users/1") << H{{"x-beta", "1"}} << 0;
        QTest::newRow("ignore-case prefix before later exact") << std::string("/api/v2/users") << H{} << 2;
        QTest::newRow("earlier exact before ignore-case prefix")
            << std::string("/api/v2/users/me") << H{} << 1;
        QTest::newRow("ignore-case prefix in upper case") << std::string("/API/V2/USERS/ME") << H{} << 2;
        QTest::newRow("regex") << std::string("/api/v3/orders/17") << H{} << 4;
        QTest::newRow("v1 prefix") << std::string("/api/v1/x") << H{} << 5;
        QTest::newRow("ignore-case exact first") << std::string("/health") << H{} << 6;
        QTest::newRow("ignore-case exact upper") << std::string("/HEALTH") << H{} << 6;
        QTest::newRow("static slash prefix before regex") << std::string("/static/app.js") << H{} << 8;
        QTest::newRow("static without slash") << std::string("/staticfile") << H{} << 9;
        QTest::newRow("shortest prefix first") << std::string("/abc") << H{} << 11;
        QTest::newRow("catch-all") << std::string("/zzz") << H{} << 16;
        QTest::newRow("query on a later rule") << std::string("/abc/?v=2") << H{} << 11;
    }
    void indexPreservesFirstMatch() {
        QFETCH(std::string, target);
        QFETCH(HeaderList, headers);
        QFETCH(int, expected);
        const auto rs = routes(kMixed);
        PathIndex index;
        index.build(rs);
        QVERIFY(index.enabled()); // more than 8 routes
        Request request = sluice::test::request("a.example.com", target);
        request.headers = headers;
        const MatchInput input(request);
        QCOMPARE(linear(rs, input), expected);
        QCOMPARE(indexed(index, rs, input), expected);
    }

    void indexAgreesWithLinearScanEverywhere() {
        // Every route order of a smaller mixed list, many paths: the index never disagrees.
        std::vector<std::string> base(kMixed.begin(), kMixed.end() - 1); // no catch-all: misses count too
        const std::vector<std::string> paths = {"/",
                                                "/a",
                                                "/ab",
                                                "/abc",
                                                "/abc/",
                                                "/abcd",
                                                "/api/v2/users",
                                                "/API/v2/users/me",
                                                "/api/v1",
                                                "/api/v9/orders/1",
                                                "/health",
                                                "/Health",
                                                "/static",
                                                "/static/",
                                                "/static/x.js",
                                                "/nothing"};
        for (int rotation = 0; rotation < static_cast<int>(base.size()); ++rotation) {
            std::rotate(base.begin(), base.begin() + 1, base.end());
            const auto rs = routes(base);
            PathIndex index;
            index.build(rs);
            for (const auto& p : paths) {
                const Request request = sluice::test::request("a.example.com", p);
                const MatchInput input(request);
                QCOMPARE(indexed(index, rs, input), linear(rs, input));
            }
        }
    }

    void shortListsAreNotIndexed() {
        PathIndex index;
        index.build(routes({"{uri: {prefix: /a}}", "{uri: {exact: /b}}"}));
        QVERIFY(!index.enabled());
    }

    void manyPrefixLengthsStillInOrder() {
        // More distinct prefix lengths than the index keeps buckets for: the rest are tried in order.
        std::vector<std::string> ms;
        for (int i = 1; i <= 80; ++i)
            ms.push_back("{uri: {prefix: /" + std::string(static_cast<std::size_t>(i), 'x') + "}}");
        std::reverse(ms.begin(), ms.end()); // longest first
        const auto rs = routes(ms);
        PathIndex index;
        index.build(rs);
        for (int len : {1, 5, 62, 63, 70, 80, 90}) {
            const Request request =
                sluice::test::request("a", "/" + std::string(static_cast<std::size_t>(len), 'x'));
            const MatchInput input(request);
            QCOMPARE(indexed(index, rs, input), linear(rs, input));
        }
    }
};

QTEST_GUILESS_MAIN(VirtualHostTest)
#include "virtual_host_test.moc"
