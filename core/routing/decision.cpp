// SPDX-License-Identifier: Apache-2.0
#include "decision.h"

namespace sluice::routing {

namespace {

void clear(HeaderOperations& ops) {
    ops.set.clear();
    ops.add.clear();
    ops.remove.clear();
}

} // namespace

void Decision::reset() {
    // Field by field rather than `*this = Decision{}`: assignment from a fresh object would hand
    // back its (empty) buffers and free ours, which is the allocation this exists to avoid.
    outcome = Outcome::NoRoute;
    status = 404;
    responseFlag.clear();
    if (destination) {
        // When setDestination made it, spareDestination is empty: taking the strings frees
        // nothing, and the disengaged destination has nothing left to free either.
        spareDestination = std::move(*destination);
        destination.reset();
    }
    origin.gateway.clear();
    origin.virtualService.clear();
    origin.ruleIndex = -1;
    origin.matchIndex = -1;
    origin.ruleName.clear();
    origin.routeConfig.clear();
    origin.virtualHost.clear();
    origin.span = {};
    upstreamPath.clear();
    upstreamAuthority.clear();
    clear(requestHeaders);
    clear(responseHeaders);
    location.clear();
    body.clear();
    timeout.reset();
    retries.attempts = 2;
    retries.perTryTimeout.reset();
    retries.retryOn.assign(kDefaultRetryOn);
    retries.retriableStatusCodes.clear();
    retries.isDefault = true;
    fault.delay.reset();
    fault.delayPercent = 0;
    fault.abortStatus.reset();
    fault.abortGrpcStatus.clear();
    fault.abortPercent = 0;
    mirrors.clear();
    cors.reset();
    loadBalancer.clear();
    trace.clear();
    traced = true;
}

void Decision::setDestination(const UpstreamDestination& d) {
    destination.emplace(std::move(spareDestination));
    *destination = d; // into the storage moved in: no allocation once it has grown enough
}

} // namespace sluice::routing
