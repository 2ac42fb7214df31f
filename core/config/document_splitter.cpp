// SPDX-License-Identifier: Apache-2.0
#include "document_splitter.h"

namespace sluice::config {
namespace {

bool isMarker(std::string_view line, std::string_view marker) {
    if (!line.starts_with(marker))
        return false;
    return line.size() == marker.size() || line[marker.size()] == ' ' || line[marker.size()] == '\t' ||
           line[marker.size()] == '\r';
}

bool isBlankOrComment(std::string_view line) {
    for (char c : line) {
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        return c == '#';
    }
    return true;
}

bool isBlank(std::string_view line) {
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

// A `--- ` line may carry content ("--- {a: 1}" or "--- # comment"); only the bare marker is dropped.
bool bareMarker(std::string_view line) {
    std::string_view rest = line.substr(3);
    return isBlankOrComment(rest);
}

} // namespace

std::vector<DocumentSlice> splitDocuments(std::string_view text) {
    std::vector<DocumentSlice> out;
    DocumentSlice current;
    bool ended = false; // after `...`, text up to the next `---` belongs to no document
    std::size_t pos = 0;
    std::uint32_t line = 1;
    auto close = [&](std::size_t at) {
        current.end = at;
        if (!ended || current.hasContent)
            out.push_back(current);
    };
    while (pos <= text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t lineEnd = nl == std::string_view::npos ? text.size() : nl;
        const std::size_t next = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        const std::string_view content = text.substr(pos, lineEnd - pos);
        if (isMarker(content, "---")) {
            close(pos);
            current = DocumentSlice{};
            ended = false;
            if (bareMarker(content)) {
                current.begin = std::min(next, text.size());
                current.beginLine = line + 1;
            } else {
                current.begin = pos;
                current.beginLine = line;
                current.firstLine = line;
                current.hasContent = true;
            }
        } else if (isMarker(content, "...")) {
            close(pos);
            current = DocumentSlice{};
            current.begin = std::min(next, text.size());
            current.beginLine = line + 1;
            ended = true;
        } else if (!current.firstLine && !isBlank(content)) {
            current.firstLine = line;
            if (!isBlankOrComment(content))
                current.hasContent = true;
        } else if (!current.hasContent && !isBlankOrComment(content)) {
            current.hasContent = true;
        }
        if (nl == std::string_view::npos)
            break;
        pos = next;
        ++line;
    }
    close(text.size());
    return out;
}

} // namespace sluice::config
