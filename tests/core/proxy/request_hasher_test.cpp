// SPDX-License-Identifier: Apache-2.0
#include "proxy/load_balancer.h"
#include "proxy/request_hasher.h"

#include <QRegularExpression>
#include <QTest>

using namespace sluice::proxy;

namespace {

/// Parses `head` (a request head without the final blank line) and hashes it under `policy`.
struct Hashed {
    std::optional<std::uint64_t> hash;
    std::string setCookie;
};

Hashed hashOf(const HashPolicy& policy, const std::string& head, std::string_view sourceIp = "10.0.0.7") {
    static Http1RequestParser parser; // the head's views must outlive the call: one parse at a time
    parser.reset();
    static std::string wire;
    wire = head + "\r\n\r\n";
    if (parser.parseHead(wire).progress != Http1RequestParser::Progress::Done)
        qFatal("test request does not parse");
    Hashed out;
    out.hash =
        RequestHasher::hash(policy, {parser.head(), sourceIp, "10.0.0.7:51000127.0.0.1:8080"}, out.setCookie);
    return out;
}

HashPolicy by(HashPolicy::Source source, std::string name = {}) {
    HashPolicy p;
    p.source = source;
    p.name = std::move(name);
    return p;
}

} // namespace

class RequestHasherTest : public QObject {
    Q_OBJECT

private slots:
    void header() {
        const auto p = by(HashPolicy::Source::Header, "x-user");
        const auto a = hashOf(p, "GET / HTTP/1.1\r\nHost: h\r\nX-User: alice");
        QVERIFY(a.hash);
        QCOMPARE(*a.hash, stableHash64("alice"));
        QCOMPARE(hashOf(p, "GET /other HTTP/1.1\r\nHost: h\r\nx-user: alice").hash, a.hash);
        QVERIFY(hashOf(p, "GET / HTTP/1.1\r\nHost: h\r\nx-user: bob").hash != a.hash);
        QVERIFY(!hashOf(p, "GET / HTTP/1.1\r\nHost: h").hash); // absent: no hash, a random pick
    }

    void cookie() {
        HashPolicy p = by(HashPolicy::Source::Cookie, "user");
        const auto present = hashOf(p, "GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1; user=\"abc\"; b=2");
        QCOMPARE(present.hash, std::optional<std::uint64_t>(stableHash64("abc")));
        QVERIFY(present.setCookie.empty());
        QVERIFY(!hashOf(p, "GET / HTTP/1.1\r\nHost: h").hash); // absent and no ttl: nothing to hash

        // With a ttl Envoy generates the cookie, hashes it, and sets it on the answer.
        p.cookieTtl = std::chrono::seconds(60);
        p.cookiePath = "/shop";
        const auto generated = hashOf(p, "GET / HTTP/1.1\r\nHost: h");
        QVERIFY(generated.hash);
        const QString set = QString::fromStdString(generated.setCookie);
        QVERIFY2(
            QRegularExpression(QStringLiteral(R"(^user="[0-9a-f]{16}"; Max-Age=60; Path=/shop; HttpOnly$)"))
                .match(set)
                .hasMatch(),
            qPrintable(set));
        // The next request carrying that cookie hashes the same.
        const std::string value = generated.setCookie.substr(6, 16);
        QCOMPARE(hashOf(p, "GET / HTTP/1.1\r\nHost: h\r\nCookie: user=" + value).hash, generated.hash);
        // A ttl of 0: a session cookie, no Max-Age.
        p.cookieTtl = std::chrono::seconds(0);
        p.cookiePath.clear();
        QVERIFY(QString::fromStdString(hashOf(p, "GET / HTTP/1.1\r\nHost: h").setCookie)
                    .endsWith(QStringLiteral("\"; HttpOnly")));
    }

    void queryParameter() {
        const auto p = by(HashPolicy::Source::QueryParameter, "session");
        QCOMPARE(hashOf(p, "GET /a?x=1&session=s%201 HTTP/1.1\r\nHost: h").hash,
                 std::optional<std::uint64_t>(stableHash64("s%201"))); // not decoded, as Envoy
        QVERIFY(!hashOf(p, "GET /a?sessions=1 HTTP/1.1\r\nHost: h").hash);
        QVERIFY(!hashOf(p, "GET /a HTTP/1.1\r\nHost: h").hash);
    }

    void sourceIp() {
        const auto p = by(HashPolicy::Source::SourceIp);
        QCOMPARE(hashOf(p, "GET / HTTP/1.1\r\nHost: h", "10.1.2.3").hash,
                 std::optional<std::uint64_t>(stableHash64("10.1.2.3")));
        QVERIFY(hashOf(p, "GET / HTTP/1.1\r\nHost: h", "10.1.2.4").hash !=
                hashOf(p, "GET / HTTP/1.1\r\nHost: h", "10.1.2.3").hash);
    }
};

QTEST_GUILESS_MAIN(RequestHasherTest)
#include "request_hasher_test.moc"
