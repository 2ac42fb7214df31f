// SPDX-License-Identifier: Apache-2.0
#include "config/loader.h"
#include "config/rule_editor.h"
#include "live/weighted_rules.h"
#include "routing/route_table.h"
#include "validate/validator.h"

#include <fstream>
#include <sstream>

#include <QTest>

using namespace sluice;
using config::FaultSettings;
using config::RuleSettings;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// `text` with the one occurrence of `from` replaced by `to` (fails the test when not exactly one).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos)
        return "(\"" + from + "\" is not in the text exactly once)";
    return text.replace(at, from.size(), to);
}

const std::string kCanaryPath = SLUICE_SOURCE_DIR "/samples/canary/gateway.yaml";
const std::string kBookinfoPath = SLUICE_SOURCE_DIR "/samples/bookinfo/virtualservice.yaml";

/// Loads `text` in place of `path` among the sample's files; validates and compiles it.
struct Loaded {
    config::LoadResult result;
    model::Diagnostics diagnostics;
    routing::RouteTablePtr table;

    Loaded(const std::string& folder, const std::string& path, const std::string& text) {
        config::LoadOptions options;
        options.unsavedText[path] = text;
        result = config::loadPaths({folder}, options);
        diagnostics = result.diagnostics;
        for (auto& d : validate::validate(result.resources))
            diagnostics.push_back(d);
        table = routing::compile(result.resources);
    }
    [[nodiscard]] std::size_t errors() const {
        std::size_t n = 0;
        for (const auto& d : diagnostics)
            n += d.level == model::Level::Error;
        return n;
    }
    /// The action of http rule `rule` of `vs` on the gateway.
    [[nodiscard]] const routing::RouteAction* action(const std::string& vs, int rule) const {
        for (const auto& [port, listener] : table->listeners())
            if (listener.http)
                for (const auto& vhost : listener.http->virtualHosts())
                    for (const auto& route : vhost.routes)
                        if (route.origin.virtualService == vs && route.origin.ruleIndex == rule)
                            return route.action.get();
        return nullptr;
    }
};

FaultSettings abortOf(double percent, int status) {
    FaultSettings f;
    f.abort = true;
    f.abortPercent = percent;
    f.abortStatus = status;
    return f;
}

} // namespace

class RuleEditorTest : public QObject {
    Q_OBJECT

private slots:
    // 90/10 -> 50/50 on the canary sample: two scalars change, nothing else; the result validates
    // and the compiled rule splits 50/50.
    void canaryWeights() {
        const std::string text = readFile(kCanaryPath);
        const config::RuleEdit edit =
            config::editRuleInText(kCanaryPath, text, "canary/frontend", 0, {{50, 50}, {}, {}});
        QVERIFY2(edit.ok(), edit.error.c_str());
        QVERIFY(edit.changed);
        const std::string expected = replaced(replaced(text, "      weight: 90\n", "      weight: 50\n"),
                                              "      weight: 10\n", "      weight: 50\n");
        QCOMPARE(edit.text, expected);
        QVERIFY(edit.text.starts_with("# Canary release of the shop frontend")); // comments kept

        const Loaded loaded(SLUICE_SOURCE_DIR "/samples/canary", kCanaryPath, edit.text);
        QCOMPARE(loaded.errors(), std::size_t(0));
        const auto rules = live::weightedRules(*loaded.table);
        QCOMPARE(rules.size(), std::size_t(1));
        QCOMPARE(rules[0].targets[0].percent, 50.0);
        QCOMPARE(rules[0].targets[1].percent, 50.0);
    }

    // Settings equal to the current ones change nothing.
    void unchangedSettingsLeaveTheText() {
        const std::string text = readFile(kCanaryPath);
        const config::RuleEdit edit =
            config::editRuleInText(kCanaryPath, text, "canary/frontend", 0, {{90, 10}, {}, {}});
        QVERIFY(edit.ok());
        QVERIFY(!edit.changed);
        QCOMPARE(edit.text, text);
    }

    // A fault and a timeout the rule lacks are inserted after its last line at its indentation;
    // changing them replaces only their values; dropping them gives the original text back.
    void canaryFaultAndTimeoutRoundTrip() {
        const std::string text = readFile(kCanaryPath);
        RuleSettings wanted{{90, 10}, abortOf(10, 503), "2s"};
        const config::RuleEdit added =
            config::editRuleInText(kCanaryPath, text, "canary/frontend", 0, wanted);
        QVERIFY2(added.ok(), added.error.c_str());
        const std::string expected = replaced(text, "      weight: 10\n---\n",
                                              "      weight: 10\n"
                                              "    fault:\n"
                                              "      abort:\n"
                                              "        percentage:\n"
                                              "          value: 10\n"
                                              "        httpStatus: 503\n"
                                              "    timeout: 2s\n"
                                              "---\n");
        QCOMPARE(added.text, expected);
        Loaded loaded(SLUICE_SOURCE_DIR "/samples/canary", kCanaryPath, added.text);
        QCOMPARE(loaded.errors(), std::size_t(0));
        const routing::RouteAction* action = loaded.action("canary/frontend", 0);
        QVERIFY(action);
        QCOMPARE(action->fault.abortStatus.value_or(0), 503);
        QCOMPARE(action->fault.abortPercent, 10.0);
        QVERIFY(action->timeout);
        QCOMPARE(action->timeout->toString(), std::string("2s"));

        wanted.fault = abortOf(25.5, 500);
        wanted.timeout = "1500ms";
        const config::RuleEdit changed =
            config::editRuleInText(kCanaryPath, added.text, "canary/frontend", 0, wanted);
        QVERIFY2(changed.ok(), changed.error.c_str());
        QCOMPARE(changed.text, replaced(replaced(replaced(expected, "value: 10\n", "value: 25.5\n"),
                                                 "httpStatus: 503", "httpStatus: 500"),
                                        "timeout: 2s", "timeout: 1500ms"));

        const config::RuleEdit removed =
            config::editRuleInText(kCanaryPath, changed.text, "canary/frontend", 0, {{90, 10}, {}, {}});
        QVERIFY2(removed.ok(), removed.error.c_str());
        QCOMPARE(removed.text, text);
    }

    // Bookinfo's rule has matches and one destination: the delay goes after its last line
    // (`number: 9080`), at the rule's keys' indentation.
    void bookinfoDelayInserted() {
        const std::string text = readFile(kBookinfoPath);
        FaultSettings delay;
        delay.delay = true;
        delay.delayPercent = 50;
        delay.fixedDelay = "3s";
        const config::RuleEdit edit =
            config::editRuleInText(kBookinfoPath, text, "default/bookinfo", 0, {{}, delay, {}});
        QVERIFY2(edit.ok(), edit.error.c_str());
        QCOMPARE(edit.text, replaced(text, "          number: 9080\n",
                                     "          number: 9080\n"
                                     "    fault:\n"
                                     "      delay:\n"
                                     "        percentage:\n"
                                     "          value: 50\n"
                                     "        fixedDelay: 3s\n"));
        Loaded loaded(SLUICE_SOURCE_DIR "/samples/bookinfo", kBookinfoPath, edit.text);
        QCOMPARE(loaded.errors(), std::size_t(0));
        const routing::RouteAction* action = loaded.action("default/bookinfo", 0);
        QVERIFY(action);
        QVERIFY(action->fault.delay);
        QCOMPARE(action->fault.delay->toString(), std::string("3s"));
        QCOMPARE(action->fault.delayPercent, 50.0);
    }

    // Comments and CRLF endings stay; a weight's trailing comment stays; a missing weight is
    // inserted inside its destination, before a timeout added at the rule's level.
    void commentsCrlfAndMissingWeight() {
        const std::string text = "apiVersion: networking.istio.io/v1\r\n"
                                 "kind: VirtualService\r\n"
                                 "metadata: {name: reviews, namespace: default}\r\n"
                                 "spec:\r\n"
                                 "  hosts: [reviews]\r\n"
                                 "  http:\r\n"
                                 "    # the split under test\r\n"
                                 "    - route:\r\n"
                                 "        - destination: {host: reviews, subset: v1}\r\n"
                                 "          weight: 100 # all of it, for now\r\n"
                                 "        - destination: {host: reviews, subset: v2}\r\n"
                                 "    # trailing comment\r\n";
        const config::RuleEdit edit =
            config::editRuleInText("mem.yaml", text, "default/reviews", 0, {{75, 25}, {}, "5s"});
        QVERIFY2(edit.ok(), edit.error.c_str());
        QCOMPARE(edit.text, std::string("apiVersion: networking.istio.io/v1\r\n"
                                        "kind: VirtualService\r\n"
                                        "metadata: {name: reviews, namespace: default}\r\n"
                                        "spec:\r\n"
                                        "  hosts: [reviews]\r\n"
                                        "  http:\r\n"
                                        "    # the split under test\r\n"
                                        "    - route:\r\n"
                                        "        - destination: {host: reviews, subset: v1}\r\n"
                                        "          weight: 75 # all of it, for now\r\n"
                                        "        - destination: {host: reviews, subset: v2}\r\n"
                                        "          weight: 25\r\n"
                                        "      timeout: 5s\r\n"
                                        "    # trailing comment\r\n"));
    }

    void refusals_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<int>("weights");
        QTest::addColumn<QString>("timeout");
        QTest::addColumn<QString>("error");
        const QString flow =
            QStringLiteral("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\n"
                           "spec:\n  hosts: [r]\n  http:\n  - {route: [{destination: {host: a}, weight: 50}, "
                           "{destination: {host: b}, weight: 50}]}\n");
        const QString block = QStringLiteral(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\n"
            "spec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: a}\n      weight: 50\n"
            "    - destination: {host: b}\n      weight: 50\n");
        QTest::newRow("flow style")
            << flow << 2 << QString()
            << QStringLiteral("the rule is written in flow style ({...}): edit it in the editor");
        QTest::newRow("weight count")
            << block << 3 << QString() << QStringLiteral("the rule has 2 destinations, not 3");
        QTest::newRow("bad duration") << block << 0 << QStringLiteral("2 seconds")
                                      << QStringLiteral("\"2 seconds\" is not a duration (e.g. 2s, 500ms)");
    }
    void refusals() {
        QFETCH(QString, yaml);
        QFETCH(int, weights);
        QFETCH(QString, timeout);
        QFETCH(QString, error);
        RuleSettings wanted;
        for (int i = 0; i < weights; ++i)
            wanted.weights.push_back(i == 0 ? 100 : 0);
        wanted.timeout = timeout.toStdString();
        const config::RuleEdit edit =
            config::editRuleInText("r.yaml", yaml.toStdString(), "default/r", 0, wanted);
        QCOMPARE(QString::fromStdString(edit.error), error);
        QCOMPARE(QString::fromStdString(edit.text), yaml); // left alone
    }

    void rebalance_data() {
        QTest::addColumn<std::vector<int>>("weights");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("value");
        QTest::addColumn<std::vector<int>>("expected");
        QTest::newRow("two") << std::vector<int>{90, 10} << 1 << 50 << std::vector<int>{50, 50};
        QTest::newRow("proportional")
            << std::vector<int>{50, 30, 20} << 0 << 70 << std::vector<int>{70, 18, 12};
        QTest::newRow("others zero: evenly")
            << std::vector<int>{100, 0, 0} << 0 << 40 << std::vector<int>{40, 30, 30};
        QTest::newRow("largest remainder")
            << std::vector<int>{34, 33, 33} << 1 << 0 << std::vector<int>{51, 0, 49};
        QTest::newRow("clamped") << std::vector<int>{50, 50} << 0 << 150 << std::vector<int>{100, 0};
        QTest::newRow("single") << std::vector<int>{100} << 0 << 30 << std::vector<int>{100};
    }
    void rebalance() {
        QFETCH(std::vector<int>, weights);
        QFETCH(int, index);
        QFETCH(int, value);
        QFETCH(std::vector<int>, expected);
        QCOMPARE(config::rebalanceWeights(weights, static_cast<std::size_t>(index), value), expected);
    }
};

QTEST_GUILESS_MAIN(RuleEditorTest)
#include "rule_editor_test.moc"
