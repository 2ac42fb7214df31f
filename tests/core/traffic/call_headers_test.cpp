// SPDX-License-Identifier: Apache-2.0
// Headers down a simulated call tree, as the live gateway forwards them and MeshCaller copies them.

#include "traffic/call_headers.h"

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

proxy::MeshCall callPropagating(std::vector<std::string> names) {
    proxy::MeshCall c;
    c.service = "reviews";
    c.port = 9080;
    c.propagate = std::move(names);
    return c;
}

} // namespace

class CallHeadersTest : public QObject {
    Q_OBJECT

private slots:
    void nameSets() {
        const HeaderNameSet s = HeaderNameSet::copiedBy(callPropagating({"end-user", "cookie"}));
        QVERIFY(s.contains("end-user"));
        QVERIFY(s.contains("End-User"));
        QVERIFY(s.contains("x-b3-traceid")); // tracing headers always
        QVERIFY(s.contains("TraceParent"));
        QVERIFY(!s.contains("end-users"));
        QVERIFY(!s.contains("authorization"));
        QVERIFY(!s.contains(""));
    }

    // What the replica receives of the client's headers: hop-by-hop ones and x-request-id dropped,
    // the route's remove and set applied, then what its calls copy kept; the call depth read.
    void receivedAppliesTheForwardingRules() {
        const HeaderList downstream{{"End-User", "jason"},         {"Connection", "keep-alive"},
                                    {"x-request-id", "client-id"}, {"cookie", "a=1"},
                                    {"authorization", "secret"},   {"x-sluice-call-depth", "3"},
                                    {"x-b3-traceid", "abc"},       {"user-agent", "curl"}};
        routing::HeaderOperations ops;
        ops.remove.push_back("authorization");
        ops.set.emplace_back("cookie", "b=2");
        ops.add.emplace_back("x-b3-sampled", "1");
        HeaderNameSet wanted = HeaderNameSet::copiedBy(
            callPropagating({"end-user", "cookie", "authorization", "connection", "x-request-id"}));
        wanted.add("x-forwarded-proto");
        HeaderList out{{"stale", "value"}, {"more", "stale"}, {"and", "more"},
                       {"x", "y"},         {"p", "q"},        {"r", "s"}};
        const int depth = CallHeaders::received(downstream, ops, "https", wanted, out);
        QCOMPARE(depth, 3);
        QCOMPARE(out, (HeaderList{{"End-User", "jason"},
                                  {"x-b3-traceid", "abc"},
                                  {"cookie", "b=2"},
                                  {"x-b3-sampled", "1"},
                                  {"x-forwarded-proto", "https"}}));
    }

    // A call copies its names and the tracing headers, then adds depth + 1 and the request id.
    void forCallCopiesAndCounts() {
        const HeaderList inbound{{"End-User", "jason"}, {"cookie", "b=2"}, {"x-b3-traceid", "abc"}};
        HeaderList out;
        CallHeaders::forCall(HeaderNameSet::copiedBy(callPropagating({"end-user"})), inbound, 7, "req-1",
                             out);
        QCOMPARE(out, (HeaderList{{"End-User", "jason"},
                                  {"x-b3-traceid", "abc"},
                                  {"x-sluice-call-depth", "8"},
                                  {"x-request-id", "req-1"}}));
    }
};

QTEST_GUILESS_MAIN(CallHeadersTest)
#include "call_headers_test.moc"
