// SPDX-License-Identifier: Apache-2.0
#include "openssl_allocator.h"

#include <cstdlib>

#include <openssl/crypto.h>

namespace sluice::proxy {
namespace {

void* allocate(std::size_t size, const char*, int) {
    return std::malloc(size);
}

void* reallocate(void* block, std::size_t size, const char*, int) {
    return std::realloc(block, size);
}

void release(void* block, const char*, int) {
    if (block)
        std::free(block);
}

} // namespace

bool installOpenSslAllocator() {
    return CRYPTO_set_mem_functions(allocate, reallocate, release) == 1;
}

} // namespace sluice::proxy
