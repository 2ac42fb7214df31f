// SPDX-License-Identifier: Apache-2.0
#include "proxy/retry_state.h"

#include <QTest>

using sluice::proxy::AttemptEnd;
using sluice::proxy::RetryState;
using sluice::routing::RetryPolicy;

namespace {

RetryPolicy policy(const std::string& retryOn, int attempts = 2, std::vector<std::uint32_t> codes = {}) {
    RetryPolicy p;
    p.retryOn = retryOn;
    p.attempts = attempts;
    p.retriableStatusCodes = std::move(codes);
    return p;
}

} // namespace

class RetryStateTest : public QObject {
    Q_OBJECT

private slots:
    // Which ends each retry_on value covers, as Envoy's router documents them.
    void retriableEnds() {
        const auto p5xx = policy("5xx");
        const RetryState on5xx(p5xx);
        QVERIFY(on5xx.retriable(AttemptEnd::Response, 500));
        QVERIFY(on5xx.retriable(AttemptEnd::Response, 503));
        QVERIFY(!on5xx.retriable(AttemptEnd::Response, 404));
        QVERIFY(on5xx.retriable(AttemptEnd::Reset, 0));
        QVERIFY(on5xx.retriable(AttemptEnd::ConnectFailure, 0));
        QVERIFY(on5xx.retriable(AttemptEnd::PerTryTimeout, 0));

        const auto pGateway = policy("gateway-error");
        const RetryState gateway(pGateway);
        QVERIFY(gateway.retriable(AttemptEnd::Response, 502));
        QVERIFY(!gateway.retriable(AttemptEnd::Response, 500));

        const auto pConnect = policy("connect-failure");
        const RetryState connect(pConnect);
        QVERIFY(connect.retriable(AttemptEnd::ConnectFailure, 0));
        QVERIFY(!connect.retriable(AttemptEnd::Reset, 0));
        QVERIFY(!connect.retriable(AttemptEnd::Response, 503));

        const auto pCodes = policy("retriable-status-codes", 2, {418});
        const RetryState codes(pCodes);
        QVERIFY(codes.retriable(AttemptEnd::Response, 418));
        QVERIFY(!codes.retriable(AttemptEnd::Response, 503));

        // A listed code below 409 is retried like any other; a success never is, whatever the policy.
        const auto pLow = policy("retriable-status-codes,5xx,retriable-4xx", 2, {404});
        const RetryState low(pLow);
        QVERIFY(low.retriable(AttemptEnd::Response, 404));
        QVERIFY(!low.retriable(AttemptEnd::Response, 200));
        QVERIFY(!low.retriable(AttemptEnd::Response, 408));
        QVERIFY(low.retriable(AttemptEnd::Response, 409));
        const auto pAll = policy("5xx,gateway-error,reset,connect-failure,retriable-4xx");
        QVERIFY(!RetryState(pAll).retriable(AttemptEnd::Response, 200));
        QVERIFY(!RetryState(pAll).retriable(AttemptEnd::Response, 404));
        QVERIFY(RetryState(pAll).retriable(AttemptEnd::Response, 409));

        const auto p4xx = policy("retriable-4xx");
        QVERIFY(RetryState(p4xx).retriable(AttemptEnd::Response, 409));

        // refused-stream: only a stream an HTTP/2 upstream refused; reset, 5xx and gateway-error
        // cover it too (Envoy's wouldRetryFromReset), connect-failure does not.
        const auto pRefused = policy("refused-stream");
        const RetryState refused(pRefused);
        QVERIFY(refused.retriable(AttemptEnd::RefusedStream, 0));
        QVERIFY(!refused.retriable(AttemptEnd::Reset, 0));
        QVERIFY(!refused.retriable(AttemptEnd::ConnectFailure, 0));
        for (const char* covering : {"reset", "5xx", "gateway-error"}) {
            const auto p = policy(covering);
            QVERIFY2(RetryState(p).retriable(AttemptEnd::RefusedStream, 0), covering);
        }
        QVERIFY(!RetryState(pConnect).retriable(AttemptEnd::RefusedStream, 0));

        // Istio's default: connect failures only for HTTP/1 (503 is no longer retried by default).
        const RetryPolicy istioDefault;
        const RetryState fallback(istioDefault);
        QVERIFY(fallback.retriable(AttemptEnd::ConnectFailure, 0));
        QVERIFY(!fallback.retriable(AttemptEnd::Response, 503));
        QVERIFY(fallback.retriable(AttemptEnd::RefusedStream, 0)); // HTTP/2: refused streams are
        QVERIFY(!fallback.retriable(AttemptEnd::Reset, 0));        // retried, other resets not
    }

    void countsAttempts() {
        const auto p = policy("5xx", 2);
        RetryState state(p);
        QCOMPARE(state.attempt(), 1);
        QVERIFY(state.retry(AttemptEnd::Response, 503));
        QCOMPARE(state.attempt(), 2);
        QVERIFY(state.retry(AttemptEnd::Reset));
        QCOMPARE(state.attempt(), 3);
        QVERIFY(!state.retry(AttemptEnd::Response, 503)); // 1 + attempts requests at most
        const auto none = policy("5xx", 0);
        RetryState disabled(none);
        QVERIFY(!disabled.retry(AttemptEnd::ConnectFailure));
    }

    // Jittered exponential back-off: [0, 25 ms] before the first retry, [0, 75 ms] before the
    // second, never above 250 ms.
    void backoffStaysInItsWindow() {
        const auto p = policy("5xx", 10);
        RetryState state(p);
        sluice::routing::Rng rng(7);
        QVERIFY(state.retry(AttemptEnd::Reset));
        std::int64_t most = 0;
        for (int i = 0; i < 2000; ++i)
            most = std::max<std::int64_t>(most, state.backoff(rng).count());
        QVERIFY(most <= 25 && most >= 20);
        QVERIFY(state.retry(AttemptEnd::Reset));
        most = 0;
        for (int i = 0; i < 2000; ++i)
            most = std::max<std::int64_t>(most, state.backoff(rng).count());
        QVERIFY(most <= 75 && most >= 60);
        for (int r = 0; r < 6; ++r)
            QVERIFY(state.retry(AttemptEnd::Reset));
        for (int i = 0; i < 2000; ++i)
            QVERIFY(state.backoff(rng).count() <= 250);
    }
};

QTEST_GUILESS_MAIN(RetryStateTest)
#include "retry_state_test.moc"
