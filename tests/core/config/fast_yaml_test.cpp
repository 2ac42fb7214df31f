// SPDX-License-Identifier: Apache-2.0
// The libyaml fast path must build exactly the tree YAML::Load builds (types, tags, styles,
// scalars, marks) or decline; these tests compare the two on a table of shapes and on every
// YAML file of the repository's samples and of the shared real-world and conformance folders.

#include "config/document_splitter.h"
#include "config/fast_yaml.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <QTest>

using sluice::config::fastLoad;

namespace {

// The first difference between two trees, or an empty string.
std::string diff(const YAML::Node& a, const YAML::Node& b, const std::string& path, int depth = 0) {
    if (depth > 64)
        return {}; // aliases may form cycles; both trees share them alike
    auto where = [&](const std::string& what) {
        return path + ": " + what + " (line " + std::to_string(a.Mark().line) + ")";
    };
    if (a.Type() != b.Type())
        return where("type " + std::to_string(a.Type()) + " vs " + std::to_string(b.Type()));
    if (a.Tag() != b.Tag())
        return where("tag \"" + a.Tag() + "\" vs \"" + b.Tag() + "\"");
    if (a.Style() != b.Style())
        return where("style");
    const YAML::Mark ma = a.Mark(), mb = b.Mark();
    if (ma.pos != mb.pos || ma.line != mb.line || ma.column != mb.column)
        return where("mark " + std::to_string(ma.line) + ":" + std::to_string(ma.column) + "@" +
                     std::to_string(ma.pos) + " vs " + std::to_string(mb.line) + ":" +
                     std::to_string(mb.column) + "@" + std::to_string(mb.pos));
    if (a.IsScalar() && a.Scalar() != b.Scalar())
        return where("scalar \"" + a.Scalar() + "\" vs \"" + b.Scalar() + "\"");
    if (a.size() != b.size())
        return where("size");
    if (a.IsSequence()) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (auto d = diff(a[i], b[i], path + "[" + std::to_string(i) + "]", depth + 1); !d.empty())
                return d;
    } else if (a.IsMap()) {
        auto ia = a.begin();
        auto ib = b.begin();
        for (std::size_t i = 0; ia != a.end(); ++ia, ++ib, ++i) {
            if (auto d = diff(ia->first, ib->first, path + ".key" + std::to_string(i), depth + 1); !d.empty())
                return d;
            if (auto d = diff(ia->second, ib->second, path + "." + std::to_string(i), depth + 1); !d.empty())
                return d;
        }
    }
    return {};
}

struct Outcome {
    bool fast = false;   ///< the fast path took the document
    bool slowOk = false; ///< YAML::Load parsed it
    std::string difference;
};

Outcome compare(std::string_view text) {
    Outcome out;
    const auto fast = fastLoad(text);
    out.fast = fast.has_value();
    YAML::Node slow;
    try {
        slow = YAML::Load(std::string(text));
        out.slowOk = true;
    } catch (const std::exception&) {
        return out;
    }
    if (fast)
        out.difference = diff(*fast, slow, "$");
    return out;
}

// Multi-line strings inside a parsed file (the inline configs of conformance cases), collected
// to be compared as documents of their own.
void embedded(const YAML::Node& node, std::vector<std::string>& out, int depth = 0) {
    if (depth > 32)
        return;
    if (node.IsScalar()) {
        if (node.Scalar().find('\n') != std::string::npos && node.Scalar().find(':') != std::string::npos)
            out.push_back(node.Scalar());
    } else if (node.IsSequence()) {
        for (const auto& item : node)
            embedded(item, out, depth + 1);
    } else if (node.IsMap()) {
        for (const auto& kv : node)
            embedded(kv.second, out, depth + 1);
    }
}

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

class FastYamlTest : public QObject {
    Q_OBJECT

private slots:
    void sameTree_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<bool>("taken");

        QTest::newRow("block map and lists") << QString::fromUtf8(R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts:
  - reviews
  http:
    - match:
        - headers:
            end-user:
              exact: jason
      route:
      - destination: {host: reviews, subset: v2}
        weight: 100
)") << true;
        QTest::newRow("scalar kinds") << QString::fromUtf8(R"(a: 1
b: "quoted: yes"
c: 'single ''quote'''
d: on
e: ~
f: null
g: NULL
h: 0x1F
i: "\u00e9\t"
j: 1.5e3
"k": v
'l': w
)") << true;
        QTest::newRow("null key") << QStringLiteral("null: 1\n~: 2\n") << true;
        QTest::newRow("flow collections")
            << QStringLiteral("hosts: [a, \"b\", 'c']\nm: {x: 1, y: [2, 3]}\ne: []\nf: {}\n") << true;
        QTest::newRow("block scalars")
            << QStringLiteral("a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: x\n")
            << true;
        QTest::newRow("anchors and merge")
            << QStringLiteral("base: &base\n  a: 1\n  b: [1, 2]\nlist: &l [x, y]\nuse:\n  <<: *base\n  c: "
                              "*l\nscalar: &s v\nagain: *s\n")
            << true;
        QTest::newRow("anchored flow map") << QStringLiteral("x: &h {exact: a}\ny: [*h, *h]\n") << true;
        QTest::newRow("anchored key") << QStringLiteral("- &k key: v\n  other: *k\n") << true;
        QTest::newRow("root sequence") << QStringLiteral("- a\n- b: c\n  d: e\n-   - nested\n") << true;
        QTest::newRow("root scalar") << QStringLiteral("just text\n") << true;
        QTest::newRow("comments and document marker")
            << QStringLiteral("--- # start\n# c\na: b # trailing\n...\n") << true;
        QTest::newRow("ipv6 in flow") << QStringLiteral("addresses: [1.2.3.4, \"001:db8::\"]\n") << true;
        QTest::newRow("colon in plain") << QStringLiteral("url: http://x:80/a\ntime: 12:30\n") << true;

        // Declined: the fast path cannot vouch for the marks or the values; YAML::Load decides.
        QTest::newRow("empty value") << QStringLiteral("a:\nb: 1\n") << false;
        QTest::newRow("empty item") << QStringLiteral("- \n- b\n") << false;
        QTest::newRow("tab") << QStringLiteral("a:\tb\n") << false;
        QTest::newRow("crlf") << QStringLiteral("a: b\r\nc: d\r\n") << false;
        QTest::newRow("utf-8") << QString::fromUtf8("a: caf\xc3\xa9\n") << false;
        QTest::newRow("explicit tag") << QStringLiteral("a: !!str 1\n") << false;
        QTest::newRow("directive") << QStringLiteral("%YAML 1.1\n---\na: b\n") << false;
        QTest::newRow("multi-line plain") << QStringLiteral("a: one\n  two\n") << false;
        QTest::newRow("multi-line quoted") << QStringLiteral("a: \"one\n  two\"\n") << false;
        QTest::newRow("compact map in flow") << QStringLiteral("a: [b: c]\n") << false;
        QTest::newRow("complex key") << QStringLiteral("? [a, b]\n: c\n") << false;
        QTest::newRow("two documents") << QStringLiteral("a: 1\n---\nb: 2\n") << false;
        QTest::newRow("unterminated quote") << QStringLiteral("a: \"open\n") << false;
        QTest::newRow("bad indentation") << QStringLiteral("a: b\n c: d\n") << false;
        QTest::newRow("unknown alias") << QStringLiteral("a: *nope\n") << false;
        QTest::newRow("duplicate keys kept") << QStringLiteral("a: 1\na: 2\n") << true;
    }

    void sameTree() {
        QFETCH(QString, yaml);
        QFETCH(bool, taken);
        const std::string text = yaml.toStdString();
        const Outcome o = compare(text);
        QCOMPARE(o.fast, taken);
        if (o.fast) {
            QVERIFY2(o.slowOk, "the fast path took a document YAML::Load rejects");
            QVERIFY2(o.difference.empty(), o.difference.c_str());
        }
    }

    // Every document of every YAML file at hand: same tree, or declined; never taken when
    // YAML::Load fails.
    void corpus() {
        namespace fs = std::filesystem;
        std::vector<fs::path> roots{fs::path(SLUICE_SOURCE_DIR) / "samples"};
        for (const char* sub : {"realworld", "conformance"})
            if (fs::exists(fs::path(SLUICE_SHARED_DIR) / sub))
                roots.push_back(fs::path(SLUICE_SHARED_DIR) / sub);
        std::size_t taken = 0, declined = 0;
        for (const auto& root : roots) {
            for (const auto& entry : fs::recursive_directory_iterator(root)) {
                const auto ext = entry.path().extension();
                if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml"))
                    continue;
                std::vector<std::string> texts{readFile(entry.path())};
                for (std::size_t t = 0; t < texts.size(); ++t) {
                    for (const auto& slice : sluice::config::splitDocuments(texts[t])) {
                        if (!slice.hasContent)
                            continue;
                        const std::string doc = texts[t].substr(slice.begin, slice.end - slice.begin);
                        const Outcome o = compare(doc);
                        const std::string where = entry.path().string() +
                                                  (t ? " (embedded " + std::to_string(t) + ")" : "") + ":" +
                                                  std::to_string(slice.beginLine);
                        if (o.fast) {
                            QVERIFY2(o.slowOk, ("taken but YAML::Load rejects it: " + where).c_str());
                            QVERIFY2(o.difference.empty(), (where + ": " + o.difference).c_str());
                            ++taken;
                        } else {
                            ++declined;
                        }
                        if (t == 0 && o.slowOk)
                            embedded(YAML::Load(doc), texts);
                    }
                }
            }
        }
        qInfo("fast path took %zu documents, declined %zu", taken, declined);
        QVERIFY(taken > 20);
    }
};

QTEST_GUILESS_MAIN(FastYamlTest)
#include "fast_yaml_test.moc"
