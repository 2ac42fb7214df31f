// SPDX-License-Identifier: Apache-2.0
#include "line_records.h"

#include "line_reader.h"

namespace sluice::traffic {
namespace {

bool isBlank(std::string_view text) {
    return text.find_first_not_of(" \t\f\v") == std::string_view::npos;
}

ReadResult readAll(std::istream& in, RecordingBuilder& builder, const LineParser& parse) {
    LineReader reader(in);
    LineReader::Line line;
    std::size_t lastLine = 0;
    while (reader.next(line)) {
        lastLine = line.number;
        if (line.tooLong) {
            builder.skip(line.number, 0,
                         "line is " + std::to_string(line.length) + " bytes long, over the " +
                             std::to_string(ReadLimits::kMaxLineBytes >> 20) + " MiB line limit");
            continue;
        }
        if (isBlank(line.text))
            continue;
        LineOutcome outcome = parse(line.text);
        switch (outcome.kind) {
        case LineOutcome::Kind::Request:
            outcome.request.source.line = line.number;
            if (!outcome.detail.empty())
                builder.setDetail(std::string(outcome.detail));
            builder.add(std::move(outcome.request), outcome.stamp);
            break;
        case LineOutcome::Kind::NotARequest:
            builder.markRecognised();
            builder.skip(line.number, outcome.column, std::move(outcome.reason));
            break;
        case LineOutcome::Kind::Malformed:
            builder.skip(line.number, outcome.column, std::move(outcome.reason));
            break;
        case LineOutcome::Kind::Ignored:
            break;
        }
    }
    if (reader.stoppedAtLimit())
        builder.skip(lastLine + 1, 0,
                     "stopped reading at the " + std::to_string(ReadLimits::kMaxFileBytes >> 30) +
                         " GiB file size limit");
    return builder.finish();
}

} // namespace

ReadResult readLineRecords(std::istream& in, RecordingBuilder& builder, const LineParser& parse) {
    try {
        return readAll(in, builder, parse);
    } catch (const std::bad_alloc&) {
        return builder.fail("out of memory while reading");
    } catch (const std::exception& e) {
        return builder.fail(std::string("internal error while reading: ") + e.what());
    }
}

} // namespace sluice::traffic
