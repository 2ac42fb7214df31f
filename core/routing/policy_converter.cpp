// SPDX-License-Identifier: Apache-2.0
#include "policy_converter.h"

#include "host_name.h"

#include <algorithm>
#include <cctype>

namespace sluice::routing {

// Istio's default headers cannot be changed by header operations; host becomes an authority rewrite
// (translateAppendHeaders: the one from `set` wins over the one from `add`).
void convertHeaders(const std::optional<model::HeaderOperations>& in, HeaderOperations& out,
                    std::string* authority) {
    if (!in)
        return;
    const auto isAuthority = [](const std::string& key) {
        return key == "host" || key == ":authority";
    };
    std::string setAuthority, addAuthority;
    for (const auto& [name, value] : in->set) {
        const std::string key = lowerAscii(name);
        if (isAuthority(key))
            setAuthority = value.value;
        else if (!key.starts_with(':'))
            out.set.emplace_back(key, value.value);
    }
    for (const auto& [name, value] : in->add) {
        const std::string key = lowerAscii(name);
        if (isAuthority(key))
            addAuthority = value.value;
        else if (!key.starts_with(':'))
            out.add.emplace_back(key, value.value);
    }
    for (const auto& name : in->remove) {
        const std::string key = lowerAscii(name.value);
        if (!key.starts_with(':') && key != "host")
            out.remove.push_back(key);
    }
    if (authority && !(setAuthority.empty() && addAuthority.empty()))
        *authority = setAuthority.empty() ? addAuthority : setAuthority;
}

RetryPolicy convertRetries(const std::optional<model::HTTPRetry>& in,
                           const std::optional<model::Duration>& timeout) {
    RetryPolicy out;
    if (!in)
        return out;
    out.isDefault = false;
    out.attempts = std::max(0, in->attempts.value);
    if (out.attempts == 0) {
        out.retryOn.clear();
        return out;
    }
    if (in->retryOn.present && !in->retryOn.value.empty()) {
        std::string policies;
        std::string_view list = in->retryOn.value;
        while (!list.empty()) {
            const auto comma = list.find(',');
            std::string item(list.substr(0, comma));
            item.erase(0, item.find_first_not_of(' '));
            item.erase(item.find_last_not_of(' ') + 1);
            if (!item.empty() &&
                std::all_of(item.begin(), item.end(), [](unsigned char c) { return std::isdigit(c); }))
                out.retriableStatusCodes.push_back(static_cast<std::uint32_t>(std::stoul(item)));
            else if (!item.empty())
                policies += (policies.empty() ? "" : ",") + item;
            if (comma == std::string_view::npos)
                break;
            list.remove_prefix(comma + 1);
        }
        if (!out.retriableStatusCodes.empty() && policies.find("retriable-status-codes") == std::string::npos)
            policies += std::string(policies.empty() ? "" : ",") + "retriable-status-codes";
        out.retryOn = policies;
    }
    out.perTryTimeout = in->perTryTimeout.present ? std::optional(in->perTryTimeout.value) : timeout;
    return out;
}

FaultPolicy convertFault(const std::optional<model::HTTPFaultInjection>& in) {
    FaultPolicy out;
    if (!in)
        return out;
    if (in->delay && in->delay->fixedDelay.present) {
        out.delay = in->delay->fixedDelay.value;
        out.delayPercent = in->delay->percentage        ? in->delay->percentage->value.value
                           : in->delay->percent.present ? in->delay->percent.value
                                                        : 0.0;
    }
    if (in->abort) {
        if (in->abort->httpStatus.present)
            out.abortStatus = in->abort->httpStatus.value;
        out.abortGrpcStatus = in->abort->grpcStatus.value;
        out.abortPercent = in->abort->percentage ? in->abort->percentage->value.value : 0.0;
    }
    return out;
}

} // namespace sluice::routing
