// SPDX-License-Identifier: Apache-2.0
#pragma once

// The core values that travel in the Studio's live signals (queued across threads). Include this
// header wherever such a signal is declared or connected; ProxyController registers them.

#include "metrics/metrics_snapshot.h"

#include <QMetaType>

Q_DECLARE_METATYPE(sluice::metrics::MetricsSnapshotPtr)
