// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the recorded-traffic reader tests.

#include "traffic/recording_reader.h"

#include <QTest>

namespace sluice::test {

/// "ok" or "error: <message>", then each skipped line as " [line:column] reason": what a failed
/// comparison prints, and what tests compare when they check which lines were skipped and why.
inline QByteArray describe(const traffic::ReadResult& result) {
    QByteArray out = result.ok() ? QByteArray("ok") : QByteArray("error: ") + result.error().message.c_str();
    for (const auto& skip : result.ok() ? result.recording().skipped : result.error().skipped)
        out += " [" + QByteArray::number(qulonglong(skip.line)) + ":" +
               QByteArray::number(qulonglong(skip.column)) + "] " + QByteArray::fromStdString(skip.reason);
    return out;
}

} // namespace sluice::test
