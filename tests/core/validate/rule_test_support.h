// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the rule-family tests: load inline YAML, run one rule family, and assert one finding
// (code, level, line, message) or none at all.

#include "config/loader.h"
#include "model/diagnostic.h"

#include <string>
#include <string_view>

#include <QString>
#include <QTest>

namespace sluice::test {

/// Loads one in-memory file; the loader must accept it without any diagnostic but `tolerated` ones
/// (IST0002 for the deprecated fields some rules are about).
inline model::ResourceSet loadClean(const std::string& yaml, std::string_view tolerated = {}) {
    config::LoadResult result;
    config::loadText("test.yaml", yaml, result);
    std::erase_if(result.diagnostics, [&](const model::Diagnostic& d) { return d.code == tolerated; });
    for (const auto& d : result.diagnostics)
        qWarning("loader: %d: %s %s", d.span.line, d.code.c_str(), d.message.c_str());
    [&] {
        QVERIFY2(result.diagnostics.empty(), "the test YAML must load cleanly");
    }();
    return std::move(result.resources);
}

inline QString describe(const model::Diagnostics& diagnostics) {
    QString out;
    for (const auto& d : diagnostics)
        out += QStringLiteral("\n  line %1 %2 [%3] %4 (%5)")
                   .arg(d.span.line)
                   .arg(QString::fromStdString(d.code),
                        QString::fromStdString(std::string(model::levelName(d.level))),
                        QString::fromStdString(d.message), QString::fromStdString(d.field));
    return out.isEmpty() ? QStringLiteral(" (none)") : out;
}

/// `code` empty: the rule must report nothing. Otherwise one finding must carry that code, level and
/// line, and contain `message`.
inline void expectFinding(const model::Diagnostics& diagnostics, const QString& code, model::Level level,
                          int line, const QString& message) {
    if (code.isEmpty()) {
        QVERIFY2(diagnostics.empty(),
                 qPrintable(QStringLiteral("expected no finding, got:") + describe(diagnostics)));
        return;
    }
    for (const auto& d : diagnostics) {
        if (QString::fromStdString(d.code) != code || !QString::fromStdString(d.message).contains(message))
            continue;
        QCOMPARE(d.level, level);
        QCOMPARE(static_cast<int>(d.span.line), line);
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no %1 \"%2\" among:").arg(code, message) + describe(diagnostics)));
}

/// The columns every rule table shares: yaml, code, level, line, message.
inline void addRuleColumns() {
    QTest::addColumn<std::string>("yaml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<model::Level>("level");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
}

/// One row of a rule table: the YAML holds exactly one resource of the kind `pick` returns the
/// list of; `check` runs the rule family on it; the finding must be the row's.
template <class Pick, class Check>
void checkRuleRow(Pick pick, Check check, std::string_view tolerated = {}) {
    QFETCH(std::string, yaml);
    QFETCH(QString, code);
    QFETCH(model::Level, level);
    QFETCH(int, line);
    QFETCH(QString, message);
    const model::ResourceSet resources = loadClean(yaml, tolerated);
    const auto& list = pick(resources);
    QCOMPARE(list.size(), std::size_t(1));
    model::Diagnostics out;
    check(list.front(), out);
    expectFinding(out, code, level, line, message);
}

} // namespace sluice::test

Q_DECLARE_METATYPE(sluice::model::Level)
Q_DECLARE_METATYPE(std::string)
