// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the config tests that sweep real inputs (realworld corpus, samples).

#include <QDirIterator>
#include <QStringList>

namespace sluice::test {

/// Every .yaml, .yml and .json file below `dir`, sorted; empty when `dir` does not exist.
inline QStringList configFilesUnder(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, {QStringLiteral("*.yaml"), QStringLiteral("*.yml"), QStringLiteral("*.json")},
                    QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.sort();
    return out;
}

} // namespace sluice::test
