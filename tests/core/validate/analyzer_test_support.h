// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the analyzer tests: load inline YAML, run only the cross-resource analyzers (the
// schema rules belong to other suites), and check one finding by code, level, line and resource.

#include "config/loader.h"
#include "validate/rules.h"
#include "validate/validator.h"

#include <algorithm>
#include <string>

#include <QTest>

namespace sluice::test {

/// The analyzers' findings for one in-memory file named "test.yaml".
inline model::Diagnostics analyze(const QByteArray& yaml, const validate::ValidateOptions& options = {}) {
    config::LoadResult loaded;
    config::loadText("test.yaml", yaml.toStdString(), loaded);
    model::Diagnostics out;
    validate::runAnalyzers(loaded.resources, options, out);
    return out;
}

inline QByteArray describe(const model::Diagnostics& found) {
    QByteArray text;
    for (const auto& d : found)
        text += QByteArray::fromStdString(d.code + " " + std::string(model::levelName(d.level)) + " line " +
                                          std::to_string(d.span.line) + " [" + d.resource + "] " + d.message +
                                          "\n");
    return text.isEmpty() ? QByteArray("(no findings)") : text;
}

/// Data columns shared by the analyzer tests: a config, the code under test, and either the one
/// finding expected (level, line, resource) or, with `present` false, that the code is absent.
inline void addColumns() {
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<bool>("present");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("line");
    QTest::addColumn<QByteArray>("resource");
}

inline int level(model::Level l) {
    return static_cast<int>(l);
}

/// Runs one row of the table built by addColumns().
inline void verifyRow(const validate::ValidateOptions& options = {}) {
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, code);
    QFETCH(bool, present);
    QFETCH(int, level);
    QFETCH(int, line);
    QFETCH(QByteArray, resource);
    const model::Diagnostics found = analyze(yaml, options);
    const bool hit = std::any_of(found.begin(), found.end(), [&](const model::Diagnostic& d) {
        return d.code == code.toStdString() &&
               (!present || (static_cast<int>(d.level) == level && static_cast<int>(d.span.line) == line &&
                             d.resource == resource.toStdString()));
    });
    QVERIFY2(hit == present, describe(found).constData());
}

} // namespace sluice::test
