// SPDX-License-Identifier: Apache-2.0
// The request profile of `sluice load --profile`: weighted templates, variables, rendering into
// HTTP/1.1 bytes and HTTP/2 parts, and errors with file:line:column for every hostile input.
#include "traffic/profile_source.h"
#include "traffic/request_profile.h"

#include <map>
#include <set>

#include <QTest>

using namespace sluice::traffic;

namespace {

std::shared_ptr<const RequestProfile> parsed(const char* yaml) {
    ProfileResult r = parseProfile(yaml, "p.yaml");
    if (!r.ok())
        qWarning("%s", r.error().text().c_str());
    return r.ok() ? std::make_shared<RequestProfile>(std::move(r.profile())) : nullptr;
}

} // namespace

class RequestProfileTest : public QObject {
    Q_OBJECT

private slots:
    void parsesEveryKey() {
        const auto p = parsed(R"(
host: bookinfo.example.com
headers: {user-agent: sluice-load}
users: [jason, alice]
lists:
  product: ["0", "1"]
requests:
- name: productpage
  weight: 70
  path: /productpage
- weight: 30
  method: POST
  host: api.example.com
  path: /api/v1/products/${pick:product}?n=${seq}
  headers: {end-user: "${random_user}", User-Agent: custom}
  body: '{"id": ${seq}}'
)");
        QVERIFY(p);
        QCOMPARE(p->requests.size(), std::size_t(2));
        QCOMPARE(p->totalWeight(), 100.0);
        QVERIFY(p->hasVariables());
        const ProfileRequest& a = p->requests[0];
        QCOMPARE(a.name, std::string("productpage"));
        QCOMPARE(a.method, std::string("GET"));
        QCOMPARE(a.host.literalText(), std::string("bookinfo.example.com"));
        QCOMPARE(a.headers.size(), std::size_t(1));
        QCOMPARE(a.line, std::size_t(8));
        const ProfileRequest& b = p->requests[1];
        QCOMPARE(b.name, std::string("POST /api/v1/products/${pick:product}?n=${seq}"));
        QCOMPARE(b.headers.size(), std::size_t(2)); // user-agent overridden, end-user added
        QCOMPARE(b.headers[0].first, std::string("user-agent"));
        QCOMPARE(b.headers[0].second.literalText(), std::string("custom"));
        QCOMPARE(b.headers[1].first, std::string("end-user"));
    }

    void rendersHttp1AndVariables() {
        const auto p = parsed(R"(
users: [jason]
lists: {id: ["7"]}
requests:
- path: /r/${seq}/${pick:id}/${random_int:5:5}?u=${random_user}
  method: POST
  headers: {x-request-id: "${uuid}", cookie: "user=${random_user}"}
  body: 'n=${seq} $${literal}'
)");
        QVERIFY(p);
        ProfileSource source(p, "h.example.com", "http", 1);
        const RenderedRequest& r = source.render(41);
        QCOMPARE(std::string(r.path), std::string("/r/41/7/5?u=jason"));
        QCOMPARE(std::string(r.authority), std::string("h.example.com"));
        QCOMPARE(std::string(r.body), std::string("n=41 ${literal}"));
        QCOMPARE(r.headers->at(1).second, std::string("user=jason"));
        const std::string& uuid = r.headers->at(0).second;
        QCOMPARE(uuid.size(), std::size_t(36));
        QCOMPARE(uuid[14], '4'); // version 4
        const std::string http1(r.http1);
        QVERIFY(
            http1.starts_with("POST /r/41/7/5?u=jason HTTP/1.1\r\nhost: h.example.com\r\nx-request-id: "));
        QVERIFY(http1.ends_with("cookie: user=jason\r\ncontent-length: 15\r\n\r\nn=41 ${literal}"));
        // Another slot renders anew into the same storage.
        QCOMPARE(std::string(source.render(42).path), std::string("/r/42/7/5?u=jason"));
    }

    void staticTemplatesAreRenderedOnce() {
        const auto p = parsed("requests: [{path: /a, headers: {x: y}}]");
        QVERIFY(p);
        QVERIFY(!p->hasVariables());
        ProfileSource source(p, "h", "http", 1);
        const char* first = source.render(0).http1.data();
        QCOMPARE(source.render(1).http1.data(), first); // the same bytes, nothing rendered
        QCOMPARE(std::string(source.render(2).http1),
                 std::string("GET /a HTTP/1.1\r\nhost: h\r\nx: y\r\n\r\n"));
    }

    void picksByWeight() {
        const auto p = parsed(R"(
requests:
- {path: /a, weight: 1}
- {path: /never, weight: 0}
- {path: /b, weight: 3}
)");
        QVERIFY(p);
        ProfileSource source(p, "h", "http", 99);
        QCOMPARE(source.pick(0.0), std::size_t(0));
        QCOMPARE(source.pick(0.2499), std::size_t(0));
        QCOMPARE(source.pick(0.25), std::size_t(2));
        QCOMPARE(source.pick(0.999999), std::size_t(2));
        std::map<std::string, int> seen;
        for (int i = 0; i < 40000; ++i)
            ++seen[std::string(source.render(static_cast<std::uint64_t>(i)).path)];
        QCOMPARE(seen.count("/never"), std::size_t(0));
        QVERIFY(std::abs(seen["/a"] - 10000) < 400); // 25 % within 1 %
        QVERIFY(std::abs(seen["/b"] - 30000) < 400);
    }

    void randomUsersAreAllUsed() {
        const auto p = parsed("users: [a, b, c]\nrequests: [{path: '/?u=${random_user}'}]");
        QVERIFY(p);
        ProfileSource source(p, "h", "http", 5);
        std::set<std::string> users;
        for (int i = 0; i < 200; ++i)
            users.insert(std::string(source.render(static_cast<std::uint64_t>(i)).path));
        QCOMPARE(users.size(), std::size_t(3));
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        const auto row = [](const char* name, const char* yaml, int line, int column, const char* message) {
            QTest::newRow(name) << QByteArray(yaml) << line << column << QString::fromUtf8(message);
        };
        row("syntax", "requests: [{path: /a}\n", 2, 1, "YAML syntax error");
        row("not a map", "- a\n- b\n", 1, 1, "a request profile is a map");
        row("no requests", "host: h\n", 1, 1, "no `requests:` list");
        row("empty requests", "requests: []\n", 1, 11, "at least one request");
        row("unknown root key", "requests: [{path: /}]\nheader: {a: b}\n", 2, 1, "unknown key `header`");
        row("unknown request key", "requests:\n- path: /\n  wieght: 2\n", 3, 3,
            "unknown key `wieght` in a request");
        row("no path", "requests:\n- method: GET\n", 2, 3, "needs a `path:`");
        row("relative path", "requests:\n- path: foo\n", 2, 9, "must start with '/'");
        row("path with space", "requests:\n- path: /a b\n", 2, 9, "percent-encoded");
        row("path is a map", "requests:\n- path: {a: b}\n", 2, 9, "expected a string, found a map");
        row("negative weight", "requests:\n- {path: /, weight: -1}\n", 2, 21, "weight: expected a number");
        row("absurd weight", "requests:\n- {path: /, weight: 1e300}\n", 2, 21, "weight: expected a number");
        row("nan weight", "requests:\n- {path: /, weight: .nan}\n", 2, 21, "weight: expected a number");
        row("all zero", "requests:\n- {path: /, weight: 0}\n", 2, 1, "every weight is 0");
        row("bad method", "requests:\n- {path: /, method: 'GE T'}\n", 2, 21, "not an HTTP method");
        row("unknown variable", "requests:\n- path: /a/${randm_user}\n", 2, 12,
            "unknown variable ${randm_user}");
        row("quoted unknown variable", "requests:\n- path: \"/a/${nope}\"\n", 2, 13,
            "unknown variable ${nope}");
        row("unclosed variable", "requests:\n- path: /a/${seq\n", 2, 12, "unclosed");
        row("users missing", "requests:\n- path: '/?u=${random_user}'\n", 2, 14, "needs a `users:` list");
        row("list missing", "requests:\n- path: '/${pick:ids}'\n", 2, 11, "no list `ids`");
        row("bad range", "requests:\n- path: '/${random_int:9:1}'\n", 2, 11, "LO <= HI");
        row("header injection", "requests:\n- path: /\n  headers: {x: \"a\\r\\nevil: 1\"}\n", 3, 16,
            "contains a line break");
        row("user injection", "users: [\"a\\nb\"]\nrequests: [{path: /}]\n", 1, 9, "contains a line break");
        row("host header", "requests:\n- path: /\n  headers: {Host: x}\n", 3, 13,
            "set the Host with `host:`");
        row("framing header", "requests:\n- path: /\n  headers: {content-length: '5'}\n", 3, 13,
            "set by the load generator");
        row("duplicate header", "requests:\n- path: /\n  headers: {a: x, A: y}\n", 3, 19, "given twice");
        row("bad header name", "requests:\n- path: /\n  headers: {'a b': x}\n", 3, 13, "not a header name");
        row("host with slash", "host: a/b\nrequests: [{path: /}]\n", 1, 7, "not a host");
        row("empty list", "lists: {ids: []}\nrequests: [{path: /}]\n", 1, 14, "at least one value");
        row("deep nesting", (std::string("requests: ") + std::string(5000, '[')).c_str(), 1, 0, "");
    }
    void errors() {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const ProfileResult r = parseProfile(yaml.toStdString(), "p.yaml");
        QVERIFY(!r.ok());
        const ProfileError& e = r.error();
        QVERIFY2(QString::fromStdString(e.message).contains(message), e.text().c_str());
        QCOMPARE(e.line, std::size_t(line));
        if (column > 0)
            QCOMPARE(e.column, std::size_t(column));
        QVERIFY(e.text().starts_with("p.yaml:" + std::to_string(line)));
    }

    void hugeAndBinaryInput() {
        // Binary garbage, a huge scalar, many templates: an error or a profile, never a crash.
        std::string binary(4096, '\0');
        for (std::size_t i = 0; i < binary.size(); ++i)
            binary[i] = static_cast<char>(i * 131 % 256);
        QVERIFY(!parseProfile(binary, "bin").ok());
        const std::string huge = "requests: [{path: /, body: '" + std::string(2 * 1024 * 1024, 'x') + "'}]";
        const ProfileResult big = parseProfile(huge, "huge");
        QVERIFY(!big.ok());
        QVERIFY(big.error().message.find("longer than") != std::string::npos);
        std::string many = "requests:\n";
        for (int i = 0; i < 10001; ++i)
            many += "- {path: /}\n";
        const ProfileResult tooMany = parseProfile(many, "many");
        QVERIFY(!tooMany.ok());
        QVERIFY(tooMany.error().message.find("more than 10000") != std::string::npos);
    }

    void readsFiles() {
        const ProfileResult missing = readProfileFile("/nonexistent/profile.yaml");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().line, std::size_t(0));
        const ProfileResult sample =
            readProfileFile(SLUICE_SOURCE_DIR "/samples/traffic/bookinfo-profile.yaml");
        QVERIFY2(sample.ok(), sample.ok() ? "" : sample.error().text().c_str());
        QVERIFY(sample.profile().requests.size() >= 3);
    }
};

QTEST_APPLESS_MAIN(RequestProfileTest)
#include "request_profile_test.moc"
