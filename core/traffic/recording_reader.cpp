// SPDX-License-Identifier: Apache-2.0
#include "recording_reader.h"

#include "envoy_json_reader.h"
#include "envoy_text_reader.h"
#include "format_detector.h"
#include "har_reader.h"
#include "jsonl_reader.h"
#include "nginx_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <streambuf>

namespace sluice::traffic {
namespace {

/// An istream over bytes already in memory, without copying them.
class ViewStreamBuf : public std::streambuf {
public:
    explicit ViewStreamBuf(std::string_view text) {
        char* begin = const_cast<char*>(text.data());
        setg(begin, begin, begin + text.size());
    }
};

ReadResult failure(const std::string& name, std::optional<RecordingFormat> format, std::string message) {
    ReadError error;
    error.file = name;
    error.format = format;
    error.message = std::move(message);
    return ReadResult(std::move(error));
}

std::string sizeLimitMessage(std::uint64_t size) {
    return "the file is " + std::to_string(size) + " bytes, over the " +
           std::to_string(ReadLimits::kMaxFileBytes >> 30) + " GiB limit for recordings";
}

/// Sets `format` from `head` unless given; or the error saying why there is none. `whole`:
/// `head` is the whole file.
std::optional<ReadResult> pickFormat(std::string_view head, bool whole, const std::string& name,
                                     std::optional<RecordingFormat>& format) {
    const Detection detection = detectFormat(head);
    if (detection.blank && whole)
        return failure(name, format, "the file is empty");
    if (format)
        return std::nullopt;
    if (!detection.format)
        return failure(name, std::nullopt,
                       "not a recording Sluice reads (HAR, Envoy/Istio access log text or JSON, nginx "
                       "combined, Sluice JSONL): " +
                           detection.why);
    format = detection.format;
    return std::nullopt;
}

} // namespace

ReadResult readRecording(std::istream& in, const std::string& name, RecordingFormat format) {
    try {
        switch (format) {
        case RecordingFormat::Har:
            return HarReader::read(in, name);
        case RecordingFormat::EnvoyText:
            return EnvoyTextReader::read(in, name);
        case RecordingFormat::EnvoyJson:
            return EnvoyJsonReader::read(in, name);
        case RecordingFormat::Nginx:
            return NginxReader::read(in, name);
        case RecordingFormat::Jsonl:
            return JsonlReader::read(in, name);
        }
    } catch (const std::bad_alloc&) {
        return failure(name, format, "out of memory while reading");
    } catch (const std::exception& e) {
        return failure(name, format, std::string("internal error while reading: ") + e.what());
    }
    return failure(name, format, "unknown format");
}

ReadResult readRecordingText(std::string_view text, const std::string& name,
                             std::optional<RecordingFormat> format) {
    if (text.size() > ReadLimits::kMaxFileBytes)
        return failure(name, format, sizeLimitMessage(text.size()));
    if (auto error =
            pickFormat(text.substr(0, kDetectionBytes), text.size() <= kDetectionBytes, name, format))
        return std::move(*error);
    ViewStreamBuf buffer(text);
    std::istream in(&buffer);
    return readRecording(in, name, *format);
}

ReadResult readRecordingFile(const std::string& path, std::optional<RecordingFormat> format) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        return failure(path, format, "cannot open " + path + ": " + (ec ? ec.message() : "no such file"));
    if (!fs::is_regular_file(status))
        return failure(path, format, path + " is not a regular file");
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec)
        return failure(path, format, "cannot read " + path + ": " + ec.message());
    if (size > ReadLimits::kMaxFileBytes)
        return failure(path, format, sizeLimitMessage(size));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return failure(path, format, "cannot open " + path + ": " + std::strerror(errno));
    std::string head(kDetectionBytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (auto error = pickFormat(head, size <= head.size(), path, format))
        return std::move(*error);
    in.clear();
    in.seekg(0);
    if (!in)
        return failure(path, format, "cannot rewind " + path);
    return readRecording(in, path, *format);
}

} // namespace sluice::traffic
