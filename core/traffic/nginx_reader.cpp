// SPDX-License-Identifier: Apache-2.0
#include "nginx_reader.h"

#include "field_scanner.h"
#include "http_url.h"
#include "timestamp.h"

#include <array>
#include <vector>

namespace sluice::traffic {
namespace {

using Quotes = FieldScanner::Quotes;

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

/// Where the RFC 3164 header "[<PRI>]Mmm dd hh:mm:ss " ends, or 0 when the line has none.
std::size_t syslogTimestampEnd(std::string_view line) {
    std::size_t pos = 0;
    if (!line.empty() && line[0] == '<') {
        const std::size_t close = line.find('>');
        if (close == std::string_view::npos || close < 2 || close > 4 || !isDigits(line.substr(1, close - 1)))
            return 0;
        pos = close + 1;
    }
    const std::string_view t = line.substr(pos);
    // "Mmm dd hh:mm:ss " is 16 characters; the day is space-padded ("Jan  3").
    if (t.size() < 16 || t[3] != ' ' || t[6] != ' ' || t[9] != ':' || t[12] != ':' || t[15] != ' ')
        return 0;
    bool month = false;
    for (const auto m : kMonths)
        month = month || t.substr(0, 3) == m;
    const bool day = (t[4] == ' ' || isDigit(t[4])) && isDigit(t[5]);
    const bool time = isDigit(t[7]) && isDigit(t[8]) && isDigit(t[10]) && isDigit(t[11]) && isDigit(t[13]) &&
                      isDigit(t[14]);
    return month && day && time ? pos + 16 : 0;
}

/// "METHOD TARGET [PROTOCOL]" (escapes already decoded) into `request`, or why not.
std::string readRequestLine(const std::string& text, RecordedRequest& request) {
    if (text.empty() || text == "-")
        return "no request line was recorded (\"-\")";
    std::vector<std::string_view> parts;
    std::string_view rest(text);
    while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        if (space != 0)
            parts.push_back(rest.substr(0, space));
        if (space == std::string_view::npos)
            break;
        rest.remove_prefix(space + 1);
    }
    if (parts.size() < 2 || parts.size() > 3 || !isHttpToken(parts[0]))
        return "request " + excerpt(text) + " is not an HTTP request line (METHOD TARGET PROTOCOL)";
    if (parts.size() == 3 && parts[2].substr(0, 5) != "HTTP/")
        return "request " + excerpt(text) + " has no HTTP/ version";
    request.method = std::string(parts[0]);
    const std::string_view target = parts[1];
    if (target.front() == '/' || target == "*") {
        request.path = std::string(target);
    } else if (auto url = splitHttpUrl(target)) {
        request.scheme = std::move(url->scheme);
        request.authority = std::move(url->authority);
        request.path = std::move(url->path);
    } else {
        return "request target " + excerpt(target) + " is neither a path nor an http(s) URL";
    }
    if (parts.size() == 3)
        request.protocol = std::string(parts[2]);
    return {};
}

/// The entry after any syslog header; `base` is its offset in the line (for columns).
LineOutcome parseEntry(std::string_view entry, std::size_t base, bool syslog) {
    const auto malformed = [syslog](std::string why, std::size_t column) {
        return LineOutcome::malformed(syslog ? "syslog message is not an access log entry: " + why : why,
                                      column);
    };
    FieldScanner scan(entry, base);
    const auto address = scan.bare();
    const std::size_t identColumn = (scan.skipSpaces(), scan.column());
    const auto ident = scan.bare();
    const auto user = scan.bare();
    if (!address || !ident || !user)
        return malformed("expected \"$remote_addr - $remote_user [$time_local]\"", scan.column());
    if (ident->front() == '[' || user->front() == '[')
        return malformed("missing the ident and user fields (\"- -\") between the address and [$time_local]",
                         identColumn);
    scan.skipSpaces();
    const std::size_t timeColumn = scan.column();
    const auto time = scan.bracketed();
    if (!time)
        return malformed("expected [$time_local] after the remote user", timeColumn);
    const auto at = parseCommonLogTime(*time);
    if (!at)
        return malformed("[" + std::string(*time) + "] is not a time like [10/Oct/2000:13:55:36 -0700]",
                         timeColumn);
    scan.skipSpaces();
    const std::size_t requestColumn = scan.column();
    const auto requestLine = scan.quoted(Quotes::Backslash);
    if (!requestLine)
        return malformed("expected \"$request\" after the time", requestColumn);
    scan.skipSpaces();
    const std::size_t statusColumn = scan.column();
    const auto status = scan.bare();
    if (!status || !isDigits(*status) || status->size() > 3)
        return malformed("expected the status code after the request", statusColumn);
    scan.skipSpaces();
    const std::size_t bytesColumn = scan.column();
    const auto bytes = scan.bare();
    if (!bytes || (!isDigits(*bytes) && *bytes != "-"))
        return malformed("expected $body_bytes_sent after the status", bytesColumn);
    scan.skipSpaces();
    std::optional<std::string_view> referer;
    std::optional<std::string_view> userAgent;
    if (!scan.atEnd()) {
        const std::size_t refererColumn = scan.column();
        referer = scan.quoted(Quotes::Backslash);
        if (!referer)
            return malformed("expected \"$http_referer\" after $body_bytes_sent", refererColumn);
        scan.skipSpaces();
        const std::size_t agentColumn = scan.column();
        userAgent = scan.quoted(Quotes::Backslash);
        if (!userAgent)
            return malformed("expected \"$http_user_agent\" after \"$http_referer\"", agentColumn);
        // Anything after the combined fields ($http_x_forwarded_for, $request_time...) is ignored.
    }

    LineOutcome out;
    out.detail = userAgent ? "nginx combined" : "nginx common";
    out.request.status = std::stoi(std::string(*status));
    out.request.startedAt = *at;
    out.stamp = sinceEpoch(*at);
    if (std::string why = readRequestLine(unescapeLogValue(*requestLine), out.request); !why.empty()) {
        LineOutcome skipped =
            LineOutcome::notARequest(std::move(why) + " (status " + std::string(*status) + ")");
        skipped.column = requestColumn;
        return skipped;
    }
    if (referer && *referer != "-")
        out.request.addHeader("referer", unescapeLogValue(*referer));
    if (userAgent && *userAgent != "-")
        out.request.addHeader("user-agent", unescapeLogValue(*userAgent));
    out.kind = LineOutcome::Kind::Request;
    return out;
}

} // namespace

LineOutcome NginxReader::parseLine(std::string_view line) {
    const std::size_t syslogEnd = syslogTimestampEnd(line);
    if (syslogEnd == 0)
        return parseEntry(line, 0, false);
    FieldScanner header(line.substr(syslogEnd), syslogEnd);
    const auto host = header.bare();
    const auto tag = header.bare();
    if (!host || !tag || tag->back() != ':')
        return LineOutcome::malformed("syslog line without a \"tag:\" before its message", syslogEnd + 1);
    header.skipSpaces();
    const std::size_t messageStart = header.column() - 1;
    return parseEntry(line.substr(messageStart), messageStart, true);
}

bool NginxReader::looksLike(std::string_view line) {
    if (syslogTimestampEnd(line) != 0)
        return true;
    FieldScanner scan(line);
    if (!scan.bare() || !scan.bare() || !scan.bare())
        return false;
    scan.skipSpaces();
    return scan.peek() == '[';
}

ReadResult NginxReader::read(std::istream& in, const std::string& file) {
    RecordingBuilder builder(file, RecordingFormat::Nginx);
    return readLineRecords(in, builder, &NginxReader::parseLine);
}

} // namespace sluice::traffic
