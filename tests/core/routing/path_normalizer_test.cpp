// SPDX-License-Identifier: Apache-2.0
#include "routing/path_normalizer.h"

#include <QTest>

using namespace sluice::routing;

class PathNormalizerTest : public QObject {
    Q_OBJECT

private slots:
    void normalise_data() {
        QTest::addColumn<std::string>("target");
        QTest::addColumn<std::string>("path");
        QTest::addColumn<std::string>("query");
        QTest::addColumn<bool>("hasQuery");
        const auto row = [](const char* name, const char* target, const char* path, const char* query,
                            bool has) {
            QTest::newRow(name) << std::string(target) << std::string(path) << std::string(query) << has;
        };
        row("plain", "/a/b", "/a/b", "", false);
        row("query split off", "/a/b?x=1&y=2", "/a/b", "x=1&y=2", true);
        row("empty query is still a query", "/a?", "/a", "", true);
        row("dot-dot removes one segment", "/a/../b", "/b", "", false);
        row("dot-dot at the root stays at the root", "/../../b", "/b", "", false);
        row("single dot removed", "/a/./b", "/a/b", "", false);
        row("trailing dot-dot keeps a slash", "/a/b/..", "/a/", "", false);
        row("trailing dot keeps a slash", "/a/.", "/a/", "", false);
        row("percent-encoded dots count as dots", "/a/%2e%2e/b", "/b", "", false);
        row("upper-case encoding too", "/a/%2E%2E/b", "/b", "", false);
        row("mixed encoded dot", "/a/.%2e/b", "/b", "", false);
        row("three dots is a name", "/a/.../b", "/a/.../b", "", false);
        row("dots inside a name stay", "/a/..b/c", "/a/..b/c", "", false);
        row("slashes are not merged", "/a//b", "/a//b", "", false);
        row("escaped slash is kept", "/a%2Fb", "/a%2Fb", "", false);
        row("dot-dot in the query is not touched", "/a?p=../b", "/a", "p=../b", true);
        row("fragment dropped", "/a/b#frag", "/a/b", "", false);
        row("empty target is the root", "", "/", "", false);
        row("relative target gets a slash", "a/b", "/a/b", "", false);
        row("only a query", "?x=1", "/", "x=1", true);
        row("dot-dot after double slash", "/a//../b", "/a/b", "", false);
    }
    void normalise() {
        QFETCH(std::string, target);
        QFETCH(std::string, path);
        QFETCH(std::string, query);
        QFETCH(bool, hasQuery);
        const RequestTarget out = normaliseTarget(target);
        QCOMPARE(out.path, path);
        QCOMPARE(out.query, query);
        QCOMPARE(out.hasQuery, hasQuery);
    }

    void removeDotSegmentsIsIdempotent() {
        for (const char* p : {"/a/../b/./c", "/../x", "/a/%2e%2e/%2e/b/", "/", "//"}) {
            const std::string once = removeDotSegments(p);
            QCOMPARE(removeDotSegments(once), once);
        }
    }

    void hugePathsAreLinear() {
        std::string target;
        for (int i = 0; i < 200000; ++i)
            target += (i % 3 == 2) ? "/.." : "/seg";
        const RequestTarget out = normaliseTarget(target);
        QVERIFY(out.path.starts_with("/seg"));
        QCOMPARE(out.path.find(".."), std::string::npos);
    }
};

QTEST_GUILESS_MAIN(PathNormalizerTest)
#include "path_normalizer_test.moc"
