// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the VirtualService rule tests: load inline YAML, run the VirtualService schema
// family only, and look findings up by code, level and line.

#include "config/loader.h"
#include "model/diagnostic.h"
#include "validate/rules.h"

#include <algorithm>
#include <string>

#include <QByteArray>
#include <QString>
#include <QTest>

namespace sluice::test {

/// The document header every `vsDoc` body follows; the body's first line is file line 6.
inline constexpr int kVsBodyFirstLine = 6;

/// A VirtualService `default/shop` whose spec is `body` (lines indented by two spaces; one leading
/// newline is dropped so raw strings can start on their own line).
inline std::string vsDoc(std::string body) {
    if (!body.empty() && body.front() == '\n')
        body.erase(0, 1);
    return "apiVersion: networking.istio.io/v1\n"
           "kind: VirtualService\n"
           "metadata:\n"
           "  name: shop\n"
           "spec:\n" +
           body;
}

/// Loads `text` and runs checkVirtualServiceSchema on every VirtualService in it.
inline model::Diagnostics checkVs(const std::string& text) {
    config::LoadResult loaded;
    config::loadText("vs.yaml", text, loaded);
    model::Diagnostics out;
    for (const auto& vs : loaded.resources.virtualServices)
        validate::checkVirtualServiceSchema(vs, out);
    return out;
}

inline QString describe(const model::Diagnostics& diags) {
    QString s;
    for (const auto& d : diags)
        s += QString::fromStdString(d.code + "@" + std::to_string(d.span.line) + " " +
                                    std::string(model::levelName(d.level)) + ": " + d.message + "\n");
    return s;
}

inline bool hasFinding(const model::Diagnostics& diags, const QString& code, const QString& level, int line,
                       const QString& text) {
    return std::any_of(diags.begin(), diags.end(), [&](const model::Diagnostic& d) {
        return QString::fromStdString(d.code) == code &&
               QString::fromUtf8(model::levelName(d.level).data(),
                                 static_cast<qsizetype>(model::levelName(d.level).size())) == level &&
               static_cast<int>(d.span.line) == line && QString::fromStdString(d.message).contains(text);
    });
}

} // namespace sluice::test

namespace sluice::test {

/// Data columns every rule table uses: the YAML, then the expected finding (code empty = clean).
inline void addVsColumns() {
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("level");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("text");
}

/// A table row: `code` empty means the VirtualService must come out with no finding at all.
inline void addVsRow(const char* name, const std::string& yaml, const char* code = "", const char* level = "",
                     int line = 0, const char* text = "") {
    QTest::newRow(name) << QByteArray::fromStdString(yaml) << QString::fromUtf8(code)
                        << QString::fromUtf8(level) << line << QString::fromUtf8(text);
}

/// The body shared by every rule table (call from the test function): a clean row must yield no
/// finding; a failing row must yield the expected code, level and line, its message containing `text`.
inline void verifyVsRow() {
    QFETCH(QByteArray, yaml);
    QFETCH(QString, code);
    QFETCH(QString, level);
    QFETCH(int, line);
    QFETCH(QString, text);
    config::LoadResult loaded;
    config::loadText("vs.yaml", yaml.toStdString(), loaded);
    const bool loaderErrors =
        std::any_of(loaded.diagnostics.begin(), loaded.diagnostics.end(),
                    [](const model::Diagnostic& d) { return d.level == model::Level::Error; });
    QVERIFY2(!loaderErrors, qPrintable(describe(loaded.diagnostics)));
    QCOMPARE(loaded.resources.virtualServices.size(), std::size_t(1));
    model::Diagnostics diags;
    validate::checkVirtualServiceSchema(loaded.resources.virtualServices.front(), diags);
    if (code.isEmpty()) {
        QVERIFY2(diags.empty(), qPrintable(describe(diags)));
        return;
    }
    QVERIFY2(hasFinding(diags, code, level, line, text),
             qPrintable(QStringLiteral("want %1 %2 @%3 \"%4\", got:\n").arg(code, level).arg(line).arg(text) +
                        describe(diags)));
}

} // namespace sluice::test
