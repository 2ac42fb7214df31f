// SPDX-License-Identifier: Apache-2.0
#include "access_log_entry.h"

#include <QStringList>

namespace sluice::ui {
namespace {

QString text(const std::string& s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// "outbound|9080|v2|reviews.default.svc.cluster.local" -> "reviews.default.svc.cluster.local v2 :9080".
QString destinationOf(const std::string& cluster) {
    const QStringList parts = text(cluster).split(QLatin1Char('|'));
    if (parts.size() != 4)
        return text(cluster);
    QString out = parts[3];
    if (!parts[2].isEmpty())
        out += QLatin1Char(' ') + parts[2];
    if (!parts[1].isEmpty())
        out += QStringLiteral(" :") + parts[1];
    return out;
}

quint16 portOf(const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos)
        return 0;
    bool ok = false;
    const uint port = text(address.substr(colon + 1)).toUInt(&ok);
    return ok && port <= 65535 ? static_cast<quint16>(port) : 0;
}

} // namespace

AccessLogEntry AccessLogEntry::from(const proxy::RequestRecord& r) {
    AccessLogEntry e;
    e.startMillis = std::chrono::duration_cast<std::chrono::milliseconds>(r.start.time_since_epoch()).count();
    e.method = text(r.method);
    e.authority = text(r.authority);
    e.path = text(r.path);
    e.status = r.status;
    e.flags = text(r.flags);
    e.route = text(r.routeName);
    e.destination = destinationOf(r.upstreamCluster);
    e.upstreamHost = text(r.upstreamHost);
    e.durationMillis = r.durationMillis;
    e.localPort = portOf(r.downstreamLocalAddress);
    return e;
}

QString AccessLogEntry::traceUrl(const std::vector<workload::LocalListener>& listeners) const {
    QString scheme = QStringLiteral("http");
    std::uint32_t gatewayPort = 80;
    for (const auto& l : listeners)
        if (l.localPort == localPort) {
            scheme = text(l.scheme);
            gatewayPort = l.gatewayPort;
        }
    QString host = authority;
    if (host.isEmpty() && !listeners.empty())
        host = text(listeners.front().host);
    const bool defaultPort = (scheme == QLatin1String("http") && gatewayPort == 80) ||
                             (scheme == QLatin1String("https") && gatewayPort == 443);
    // The Host as sent may carry a port of its own; it names the Gateway port then.
    if (!defaultPort && !host.contains(QLatin1Char(':')))
        host += QLatin1Char(':') + QString::number(gatewayPort);
    return scheme + QStringLiteral("://") + host + (path.isEmpty() ? QStringLiteral("/") : path);
}

} // namespace sluice::ui
