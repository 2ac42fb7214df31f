// SPDX-License-Identifier: Apache-2.0
#include "envoy_text_reader.h"

#include "field_scanner.h"
#include "timestamp.h"

#include <vector>

namespace sluice::traffic {
namespace {

using Quotes = FieldScanner::Quotes;

struct Token {
    std::string_view text;
    bool quoted = false;
    std::size_t column = 0;
};

bool isCountOrDash(std::string_view text) {
    return text == "-" || isDigits(text);
}

/// Where the 4 bare numbers + 5 quoted fields start in `tokens`, searching from index 2.
std::size_t findCommonTail(const std::vector<Token>& tokens) {
    for (std::size_t i = 2; i + 9 <= tokens.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < 4 && match; ++k)
            match = !tokens[i + k].quoted && isCountOrDash(tokens[i + k].text);
        for (std::size_t k = 4; k < 9 && match; ++k)
            match = tokens[i + k].quoted;
        if (match)
            return i;
    }
    return std::string_view::npos;
}

std::string_view variantOf(const std::vector<Token>& tokens, std::size_t tail) {
    if (tail == 2)
        return tokens.size() > 11 ? "Envoy text (default fields first)" : "Envoy default text";
    if (tail == 5 && tokens[4].quoted && !tokens[2].quoted && !tokens[3].quoted)
        return "Istio text (1.9+)";
    if (tail == 4 && tokens[2].quoted && tokens[3].quoted)
        return "Istio text (1.5-1.8)";
    return "Envoy text (extra fields)";
}

} // namespace

LineOutcome EnvoyTextReader::parseLine(std::string_view line) {
    FieldScanner scan(line);
    const auto start = scan.bracketed();
    if (!start)
        return LineOutcome::malformed("expected [%START_TIME%] at the start of the line", 1);
    const auto at = parseIso8601(*start);
    if (!at)
        return LineOutcome::malformed("[" + std::string(*start) + "] is not an ISO 8601 time", 2);
    scan.skipSpaces();
    const std::size_t requestColumn = scan.column();
    const auto request = scan.quoted(Quotes::QuoteThenSpace);
    if (!request)
        return LineOutcome::malformed(
            "expected \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\"", requestColumn);
    std::vector<Token> tokens;
    while (true) {
        scan.skipSpaces();
        if (scan.atEnd())
            break;
        Token token;
        token.column = scan.column();
        if (scan.peek() == '"') {
            const auto quoted = scan.quoted(Quotes::QuoteThenSpace);
            if (!quoted)
                return LineOutcome::malformed("unterminated quoted field", token.column);
            token.text = *quoted;
            token.quoted = true;
        } else {
            token.text = *scan.bare();
        }
        tokens.push_back(token);
    }
    if (tokens.size() < 2 || tokens[0].quoted || !isDigits(tokens[0].text) || tokens[0].text.size() > 3)
        return LineOutcome::malformed("expected %RESPONSE_CODE% after the request",
                                      tokens.empty() ? scan.column() : tokens[0].column);
    const std::size_t tail = findCommonTail(tokens);
    if (tail == std::string_view::npos)
        return LineOutcome::malformed("expected %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
                                      "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% then 5 quoted fields "
                                      "(X-Forwarded-For, User-Agent, X-Request-ID, authority, upstream host)",
                                      tokens[1].column);

    LineOutcome out;
    out.detail = variantOf(tokens, tail);
    RecordedRequest& r = out.request;
    // "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%": the path holds no space.
    const std::string_view req = *request;
    const std::size_t first = req.find(' ');
    const std::size_t last = req.rfind(' ');
    if (first == std::string_view::npos || first == last)
        return LineOutcome::malformed("request " + excerpt(req) + " is not \"METHOD PATH PROTOCOL\"",
                                      requestColumn);
    r.method = std::string(req.substr(0, first));
    r.path = std::string(req.substr(first + 1, last - first - 1));
    r.protocol = normaliseProtocol(req.substr(last + 1));
    if (r.method == "-" || r.path == "-") {
        LineOutcome skipped =
            LineOutcome::notARequest("no HTTP request (a TCP connection, or a request Envoy "
                                     "could not parse): " +
                                     excerpt(req));
        skipped.column = requestColumn;
        return skipped;
    }
    if (!isHttpToken(r.method))
        return LineOutcome::malformed("method " + excerpt(r.method) + " is not an HTTP token",
                                      requestColumn + 1);
    r.status = std::stoi(std::string(tokens[0].text));
    r.responseFlags = std::string(dashIsEmpty(tokens[1].text));
    r.duration = parseMilliseconds(tokens[tail + 2].text);
    const std::string_view forwardedFor = dashIsEmpty(tokens[tail + 4].text);
    const std::string_view userAgent = dashIsEmpty(tokens[tail + 5].text);
    const std::string_view requestId = dashIsEmpty(tokens[tail + 6].text);
    r.authority = std::string(dashIsEmpty(tokens[tail + 7].text));
    if (!userAgent.empty())
        r.addHeader("user-agent", userAgent);
    if (!forwardedFor.empty())
        r.addHeader("x-forwarded-for", forwardedFor);
    if (!requestId.empty())
        r.addHeader("x-request-id", requestId);
    if (tokens.size() > tail + 9 && !tokens[tail + 9].quoted)
        r.upstreamCluster = std::string(dashIsEmpty(tokens[tail + 9].text));
    r.startedAt = *at;
    out.stamp = sinceEpoch(*at);
    out.kind = LineOutcome::Kind::Request;
    return out;
}

bool EnvoyTextReader::looksLike(std::string_view line) {
    return line.size() > 11 && line[0] == '[' && parseIso8601(line.substr(1, line.find(']') - 1)).has_value();
}

ReadResult EnvoyTextReader::read(std::istream& in, const std::string& file) {
    RecordingBuilder builder(file, RecordingFormat::EnvoyText);
    return readLineRecords(in, builder, &EnvoyTextReader::parseLine);
}

} // namespace sluice::traffic
