// SPDX-License-Identifier: Apache-2.0
// The x-request-id a request goes upstream with: the client's, else a fresh UUID v4 (Envoy's).

#include "proxy/http1_request_parser.h"
#include "proxy/request_identity.h"
#include "routing/rng.h"

#include <set>
#include <string>

#include <QTest>

using namespace sluice::proxy;

namespace {

bool isUuid4(const std::string& id) {
    if (id.size() != 36)
        return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return id[14] == '4' && std::string_view("89ab").find(id[19]) != std::string_view::npos;
}

} // namespace

class RequestIdentityTest : public QObject {
    Q_OBJECT

private slots:
    void keepsTheClientsRequestId() {
        Http1RequestParser parser;
        QCOMPARE(parser.parseHead("GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: abc-123\r\n\r\n").progress,
                 Http1RequestParser::Progress::Done);
        sluice::routing::Rng rng;
        std::string id = "left over from the last request";
        requestIdFor(parser.head(), rng, id);
        QCOMPARE(id, std::string("abc-123"));
    }

    // Every byte of the random bits reaches the text: over many ids each position takes many
    // values, and no id repeats.
    void makesDistinctVersion4Uuids() {
        Http1RequestParser parser;
        QCOMPARE(parser.parseHead("GET / HTTP/1.1\r\nHost: h\r\n\r\n").progress,
                 Http1RequestParser::Progress::Done);
        sluice::routing::Rng rng(42);
        std::set<std::string> seen;
        std::array<std::set<char>, 36> perPosition;
        std::string id;
        for (int i = 0; i < 2000; ++i) {
            requestIdFor(parser.head(), rng, id);
            if (!isUuid4(id))
                QFAIL(qPrintable(QString::fromStdString("not a UUID v4: " + id)));
            seen.insert(id);
            for (std::size_t p = 0; p < id.size(); ++p)
                perPosition[p].insert(id[p]);
        }
        QCOMPARE(seen.size(), std::size_t{2000});
        for (std::size_t p = 0; p < 36; ++p) {
            const std::size_t expected = p == 8 || p == 13 || p == 18 || p == 23 || p == 14 ? 1
                                         : p == 19                                          ? 4
                                                                                            : 16;
            QCOMPARE(perPosition[p].size(), expected);
        }
    }
};

QTEST_APPLESS_MAIN(RequestIdentityTest)
#include "request_identity_test.moc"
