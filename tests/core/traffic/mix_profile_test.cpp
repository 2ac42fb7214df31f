// SPDX-License-Identifier: Apache-2.0
// Profiles built from the routes of a config: the Studio's load mix and its demo traffic.

#include "config/loader.h"
#include "routing/route_table.h"
#include "traffic/default_mix.h"
#include "traffic/mix_profile.h"

#include <QTest>

using namespace sluice;
using namespace sluice::traffic;

namespace {

struct Sample {
    config::LoadResult loaded;
    routing::RouteTablePtr table;
};

Sample sample(const std::string& name) {
    Sample s;
    s.loaded = config::loadPaths({std::string(SLUICE_SOURCE_DIR "/samples/") + name});
    s.table = routing::compile(s.loaded.resources);
    return s;
}

const ProfileRequest* named(const RequestProfile& p, const std::string& name) {
    for (const auto& r : p.requests)
        if (r.name == name)
            return &r;
    return nullptr;
}

std::string header(const ProfileRequest& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name)
            return v.literalText();
    return {};
}

} // namespace

class MixProfileTest : public QObject {
    Q_OBJECT

private slots:
    void theRoutesOfAPortBecomeLiteralTemplates() {
        const Sample s = sample("canary");
        const RequestProfile p =
            MixProfile::fromMix(DefaultMix::build(s.loaded.resources, *s.table), 80, false);
        QCOMPARE(p.requests.size(), std::size_t{1});
        QCOMPARE(p.requests[0].host.literalText(), std::string("shop.example.com"));
        QCOMPARE(p.requests[0].path.literalText(), std::string("/"));
        QCOMPARE(p.requests[0].method, std::string("GET"));
        QVERIFY(!p.hasVariables());
        QCOMPARE(p.listNames.size(), p.lists.lists.size());
        // Nothing listens on 443 in the canary sample.
        QVERIFY(
            MixProfile::fromMix(DefaultMix::build(s.loaded.resources, *s.table), 443, true).requests.empty());
    }

    void theDemoSendsEveryRouteAnonymousAndAsJason() {
        const Sample s = sample("bookinfo");
        const RequestProfile p = MixProfile::demo(s.loaded.resources, *s.table, 80, false);
        QVERIFY(p.requests.size() >= 2);
        QCOMPARE(p.requests.size() % 2, std::size_t{0});
        const ProfileRequest& anonymous = p.requests[0];
        const ProfileRequest& jason = p.requests[1];
        QCOMPARE(anonymous.host.literalText(), std::string("bookinfo.example.com"));
        QVERIFY(anonymous.path.literalText().starts_with("/productpage"));
        QCOMPARE(header(anonymous, "end-user"), std::string());
        QCOMPARE(header(jason, "end-user"), std::string("jason"));
        QCOMPARE(jason.path.literalText(), anonymous.path.literalText());
        QCOMPARE(anonymous.weight, 3 * jason.weight);
        QVERIFY(named(p, anonymous.name + " (end-user: jason)"));
    }
};

QTEST_GUILESS_MAIN(MixProfileTest)
#include "mix_profile_test.moc"
