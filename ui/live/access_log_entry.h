// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "proxy/request_record.h"
#include "workload/gateway_session.h"

#include <vector>

#include <QList>
#include <QMetaType>
#include <QString>

namespace sluice::ui {

/// One row of the Studio's access log: what the proxy logged about a request, as text to show.
/// A value: built on the metrics thread, shown on the GUI thread.
struct AccessLogEntry {
    qint64 startMillis = 0; ///< since the epoch, UTC
    QString method;
    QString authority; ///< the Host as sent
    QString path;
    int status = 0;
    QString flags;       ///< Envoy response flags; empty: none
    QString route;       ///< the VirtualService rule's name; empty: unnamed or not routed
    QString destination; ///< "reviews.default.svc.cluster.local v2 :9080"; empty: none
    QString upstreamHost;
    qint64 durationMillis = 0;
    quint16 localPort = 0; ///< the proxy's listener that took it (0: unknown)

    [[nodiscard]] static AccessLogEntry from(const proxy::RequestRecord& record);
    /// The URL that traces this request in the Request panel: its Host and path, on the Gateway
    /// port of the listener that took it (`listeners` of the running session).
    [[nodiscard]] QString traceUrl(const std::vector<workload::LocalListener>& listeners) const;
};

using AccessLogBatch = QList<AccessLogEntry>;

} // namespace sluice::ui

Q_DECLARE_METATYPE(sluice::ui::AccessLogEntry)
