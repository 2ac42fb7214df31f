// SPDX-License-Identifier: Apache-2.0
#include "load_options.h"

#include <cmath>

namespace sluice::traffic {

std::string checkLoadOptions(const LoadOptions& o) {
    if (o.target.port == 0)
        return "no target port";
    if (o.rate && !o.offsets) {
        if (!std::isfinite(*o.rate) || *o.rate <= 0)
            return "the rate must be a positive number of requests per second";
        if (*o.rate > LoadOptions::kMaxRate)
            return "a rate above 10,000,000 requests per second cannot be generated here";
    }
    if (o.connections == 0 || o.connections > LoadOptions::kMaxConnections)
        return "connections must be from 1 to 100,000";
    if (o.streams == 0 || o.streams > LoadOptions::kMaxStreams)
        return "streams per connection must be from 1 to 1,000";
    if (o.workers == 0 || o.workers > 1024)
        return "workers must be from 1 to 1,024";
    if (o.duration && o.duration->count() <= 0)
        return "the duration must be longer than zero";
    if (o.duration && *o.duration > LoadOptions::kMaxDuration)
        return "the duration must be at most a week (168h)";
    if (o.requests && *o.requests == 0)
        return "the number of requests must be at least 1";
    if (!o.offsets && !o.duration && !o.requests)
        return "give a duration or a number of requests";
    if (o.timeout.count() <= 0 || o.connectTimeout.count() <= 0)
        return "timeouts must be longer than zero";
    if (o.offsets && o.offsets->empty())
        return "nothing to send";
    return {};
}

} // namespace sluice::traffic
