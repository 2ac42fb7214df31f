// SPDX-License-Identifier: Apache-2.0
#include "grpc_protocol.h"

#include <array>

namespace sluice::proxy {
namespace {

constexpr std::string_view kGrpc = "application/grpc";
constexpr std::uint64_t kMaxTimeoutValue = 99'999'999; // 8 digits, gRPC's PROTOCOL-HTTP2.md

template <class Unit> std::chrono::milliseconds roundedUp(std::uint64_t value) {
    const Unit exact(value);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(exact);
    if (ms < exact)
        ++ms;
    return ms;
}

} // namespace

bool GrpcProtocol::isGrpcContentType(std::string_view contentType) {
    if (contentType.substr(0, kGrpc.size()) != kGrpc)
        return false;
    return contentType.size() == kGrpc.size() || contentType[kGrpc.size()] == '+' ||
           contentType[kGrpc.size()] == ';';
}

int GrpcProtocol::httpToGrpcStatus(int httpStatus) {
    switch (httpStatus) {
    case 400:
        return 13; // INTERNAL
    case 401:
        return 16; // UNAUTHENTICATED
    case 403:
        return 7; // PERMISSION_DENIED
    case 404:
        return 12; // UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504:
        return 14; // UNAVAILABLE
    default:
        return 2; // UNKNOWN
    }
}

std::optional<int> GrpcProtocol::statusFromName(std::string_view name) {
    static constexpr std::array<std::string_view, 17> kNames{
        "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
        "DATA_LOSS", "UNAUTHENTICATED"};
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == name)
            return static_cast<int>(i);
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> GrpcProtocol::parseTimeout(std::string_view value) {
    if (value.size() < 2 || value.size() > 9)
        return std::nullopt;
    std::uint64_t n = 0;
    for (const char c : value.substr(0, value.size() - 1)) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n > kMaxTimeoutValue)
        return std::nullopt;
    switch (value.back()) {
    case 'H':
        return std::chrono::hours(n);
    case 'M':
        return std::chrono::minutes(n);
    case 'S':
        return std::chrono::seconds(n);
    case 'm':
        return std::chrono::milliseconds(n);
    case 'u':
        return roundedUp<std::chrono::microseconds>(n);
    case 'n':
        return roundedUp<std::chrono::nanoseconds>(n);
    default:
        return std::nullopt;
    }
}

std::string GrpcProtocol::formatTimeout(std::chrono::milliseconds timeout) {
    static constexpr std::string_view kUnits = "mSMH";
    std::uint64_t value = timeout.count() > 0 ? static_cast<std::uint64_t>(timeout.count()) : 0;
    std::size_t unit = 0;
    if (value > kMaxTimeoutValue) {
        value /= 1000;
        ++unit;
    }
    while (value > kMaxTimeoutValue) {
        if (unit == kUnits.size() - 1) {
            value = kMaxTimeoutValue;
        } else {
            value /= 60;
            ++unit;
        }
    }
    return std::to_string(value) + kUnits[unit];
}

std::chrono::milliseconds GrpcProtocol::effectiveTimeout(std::chrono::milliseconds routeTimeout,
                                                         std::optional<std::chrono::milliseconds> header) {
    std::chrono::milliseconds timeout = header.value_or(std::chrono::milliseconds::zero());
    if (routeTimeout.count() > 0 && (timeout.count() == 0 || timeout > routeTimeout))
        timeout = routeTimeout;
    return timeout;
}

std::string GrpcProtocol::percentEncode(std::string_view message) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(message.size());
    for (const char c : message) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e || c == '%') {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0f];
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace sluice::proxy
