// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace sluice::config {

/// Replaces (or creates) the file at `path` with `text` so that a reader, a crash or a full disk
/// never sees a half-written file: the text goes to a new temporary file in the same directory
/// (`.<name>.sluice-XXXXXX`), is flushed with fsync, then renamed over `path`, and the directory is
/// synced. On failure the temporary file is removed, `path` is left as it was, `error` says why and
/// the result is false. A new file gets mode 0666 minus the umask; a replaced file keeps its mode.
/// Never throws. Symlinks at `path` are replaced, not followed.
[[nodiscard]] bool writeFileAtomically(const std::string& path, std::string_view text,
                                       std::string* error = nullptr);

} // namespace sluice::config
