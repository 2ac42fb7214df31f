// SPDX-License-Identifier: Apache-2.0
#pragma once

// Replaces the global operator new/delete of the test executable that includes it (in exactly one
// of its files) to count heap allocations, so a test can show that a hot path does not allocate.

#include <atomic>
#include <cstdlib>
#include <new>

namespace sluice::test {
inline std::atomic<std::size_t> g_allocations{0};
} // namespace sluice::test

void* operator new(std::size_t size) {
    sluice::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
