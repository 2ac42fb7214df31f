// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace sluice::proxy {

/// Routes OpenSSL's allocations to malloc/realloc/free, but skips free(NULL). OpenSSL 3.0 clears
/// its error queue by freeing 32 null pointers, and Asio clears it before every TLS read and
/// write; with jemalloc each of those frees costs tens of instructions, together about a tenth
/// of a TLS request's CPU. Call it first thing in main(), before anything uses OpenSSL: once
/// OpenSSL has allocated with its own functions it refuses. Returns whether it took effect.
bool installOpenSslAllocator();

} // namespace sluice::proxy
