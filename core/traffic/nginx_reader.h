// SPDX-License-Identifier: Apache-2.0
#pragma once

// nginx `combined` and `common` access logs (Apache's CLF is the same shape):
//   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//   "$http_referer" "$http_user_agent"        <- combined only; further fields are ignored
//
// Each request keeps its method, target (an absolute-form target also gives scheme and
// authority), protocol, status, start time, and the Referer and User-Agent as headers. nginx
// does not log the Host, so `authority` stays empty: the replayer supplies one.
//
// Lines behind a syslog header ("Mar 24 14:02:50 web1 nginx: ...", with or without "<PRI>"),
// as nginx writes with `access_log syslog:server=...`, are read: the header is removed and the
// message read as above. A syslog message that is not such an entry (another program's line,
// or an entry without [$time_local]) is skipped as malformed with its line number.
//
// A well-formed entry whose request is "-" (the client sent no request line; nginx logs 400) or
// not an HTTP request line (TLS bytes sent to a plain port) is skipped with the reason, and
// counts as an nginx line.

#include "line_records.h"
#include "recording.h"

#include <istream>
#include <string>
#include <string_view>

namespace sluice::traffic {

class NginxReader {
public:
    /// Reads the whole stream; `file` names it in the result.
    [[nodiscard]] static ReadResult read(std::istream& in, const std::string& file);
    /// One line (without its newline).
    [[nodiscard]] static LineOutcome parseLine(std::string_view line);
    /// Detection: `line` starts like an nginx entry ("addr ident user [") or a syslog header.
    [[nodiscard]] static bool looksLike(std::string_view line);
};

} // namespace sluice::traffic
