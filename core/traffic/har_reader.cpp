// SPDX-License-Identifier: Apache-2.0
#include "har_reader.h"

#include "har_entry.h"
#include "json_line.h"
#include "recording_builder.h"

#include <iterator>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::traffic {
namespace {

using HarJson = nlohmann::json;
using Event = HarJson::parse_event_t;

/// How far the parser has read: bytes, and the line and column they end on.
struct Cursor {
    std::uint64_t bytes = 0;
    std::uint64_t lineStart = 0;
    std::size_t line = 1;
    std::uint64_t cap = ReadLimits::kMaxFileBytes;
    bool capped = false;

    [[nodiscard]] std::size_t column() const { return static_cast<std::size_t>(bytes - lineStart); }
};

/// An input iterator over the stream that counts what nlohmann's lexer consumes. The lexer
/// reads structural characters without look-ahead, so at an object_start event the cursor is
/// just past its '{'.
class TrackingIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = char;

    TrackingIterator() = default;
    TrackingIterator(std::istream& in, Cursor& cursor)
        : m_it(in)
        , m_cursor(&cursor) {}

    char operator*() const { return *m_it; }
    TrackingIterator& operator++() {
        if (*m_it == '\n') {
            ++m_cursor->line;
            m_cursor->lineStart = m_cursor->bytes + 1;
        }
        ++m_it;
        ++m_cursor->bytes;
        return *this;
    }
    TrackingIterator operator++(int) {
        TrackingIterator before = *this;
        ++*this;
        return before;
    }
    bool operator==(const TrackingIterator& other) const { return atEnd() == other.atEnd(); }
    bool operator!=(const TrackingIterator& other) const { return !(*this == other); }

private:
    bool atEnd() const {
        if (!m_cursor || m_it == std::istreambuf_iterator<char>())
            return true;
        if (m_cursor->bytes >= m_cursor->cap) {
            m_cursor->capped = true;
            return true;
        }
        return false;
    }

    std::istreambuf_iterator<char> m_it;
    Cursor* m_cursor = nullptr;
};

/// Follows the parse events: where in the document we are, which entry is being read; hands
/// every complete entry to the builder and drops it from the DOM.
class HarWalker {
public:
    HarWalker(RecordingBuilder& builder, const Cursor& cursor)
        : m_builder(builder)
        , m_cursor(cursor) {}

    bool onEvent(Event event, HarJson& parsed);

    bool rootIsObject = false;
    std::string rootKindName;
    std::string logKind;     ///< "" until "log" is seen; "an object" when it is one
    std::string entriesKind; ///< "" until log.entries is seen
    std::string version;
    std::size_t entriesComplete = 0; ///< entries whose closing brace was read

private:
    struct Frame {
        bool array = false;
        std::string key;
        std::size_t count = 0;
    };

    [[nodiscard]] bool atLog() const {
        return m_stack.size() == 1 && !m_stack[0].array && m_stack[0].key == "log";
    }
    [[nodiscard]] bool inLogObject() const {
        return m_stack.size() >= 2 && !m_stack[0].array && m_stack[0].key == "log" && !m_stack[1].array;
    }
    [[nodiscard]] bool atEntries() const {
        return m_stack.size() == 2 && inLogObject() && m_stack[1].key == "entries";
    }
    [[nodiscard]] bool inEntriesArray() const {
        return m_stack.size() == 3 && inLogObject() && m_stack[1].key == "entries" && m_stack[2].array;
    }
    /// Inside an entry, under a key whose values are never used (response bodies, timings...).
    [[nodiscard]] bool unused() const;
    void noteContainerKind(std::string_view kind);
    void skipEntry(std::size_t line, std::string reason);

    RecordingBuilder& m_builder;
    const Cursor& m_cursor;
    std::vector<Frame> m_stack;
    std::size_t m_entryIndex = 0;
    std::size_t m_entryLine = 0;
};

bool HarWalker::unused() const {
    if (m_stack.size() >= 2 && inLogObject() && m_stack[1].key != "entries" && m_stack[1].key != "version")
        return true; // pages, creator, browser, comment
    if (m_stack.size() < 5 || m_stack[1].key != "entries")
        return false;
    const std::string& field = m_stack[3].key;
    if (field == "response")
        return !(m_stack.size() == 5 && m_stack[4].key == "status");
    return field != "request" && field != "startedDateTime" && field != "time";
}

void HarWalker::noteContainerKind(std::string_view kind) {
    if (m_stack.empty()) {
        rootIsObject = kind == "an object";
        rootKindName = std::string(kind);
    } else if (atLog()) {
        logKind = std::string(kind);
    } else if (atEntries()) {
        entriesKind = std::string(kind);
    }
}

void HarWalker::skipEntry(std::size_t line, std::string reason) {
    m_builder.skip(line, 0, std::move(reason));
}

bool HarWalker::onEvent(Event event, HarJson& parsed) {
    switch (event) {
    case Event::key:
        m_stack.back().key = parsed.get<std::string>();
        return true;
    case Event::object_start:
    case Event::array_start: {
        const bool entry = inEntriesArray();
        const std::size_t index = !m_stack.empty() && m_stack.back().array ? m_stack.back().count++ : 0;
        if (entry) {
            m_entryIndex = index;
            m_entryLine = m_cursor.line;
        }
        noteContainerKind(event == Event::object_start ? "an object" : "an array");
        m_stack.push_back(Frame{event == Event::array_start, {}, 0});
        return true;
    }
    case Event::object_end:
    case Event::array_end:
        m_stack.pop_back();
        if (!inEntriesArray())
            return true;
        if (event == Event::array_end) {
            skipEntry(m_entryLine,
                      "log.entries[" + std::to_string(m_entryIndex) + "] is an array, not an object");
            return false;
        }
        ++entriesComplete;
        {
            HarEntry read = readHarEntry(parsed, m_entryIndex);
            if (read.request) {
                read.request->source.line = m_entryLine;
                read.request->source.entry = m_entryIndex;
                m_builder.add(std::move(*read.request), read.stamp);
            } else {
                skipEntry(m_entryLine, std::move(read.reason));
            }
        }
        return false;
    case Event::value:
        if (m_stack.empty()) {
            rootKindName = std::string(jsonKind(parsed));
            return true;
        }
        if (inEntriesArray()) {
            const std::size_t index = m_stack.back().count++;
            skipEntry(m_cursor.line, "log.entries[" + std::to_string(index) + "] is " +
                                         std::string(jsonKind(parsed)) + ", not an object");
            return false;
        }
        if (m_stack.back().array)
            ++m_stack.back().count;
        if (atLog())
            logKind = std::string(jsonKind(parsed));
        else if (atEntries())
            entriesKind = std::string(jsonKind(parsed));
        else if (m_stack.size() == 2 && inLogObject() && m_stack[1].key == "version" && parsed.is_string())
            version = parsed.get<std::string>();
        return !unused();
    }
    return true;
}

} // namespace

ReadResult HarReader::read(std::istream& in, const std::string& file) {
    RecordingBuilder builder(file, RecordingFormat::Har);
    Cursor cursor;
    HarWalker walker(builder, cursor);
    std::string failure;
    try {
        const HarJson rest = HarJson::parse(
            TrackingIterator(in, cursor), TrackingIterator(),
            [&walker](int, Event event, HarJson& parsed) { return walker.onEvent(event, parsed); });
        static_cast<void>(rest); // what is left once every entry was taken out: nothing to use
    } catch (const HarJson::exception& e) {
        failure = cursor.capped ? "stopped reading at the " +
                                      std::to_string(ReadLimits::kMaxFileBytes >> 30) + " GiB file size limit"
                                : cleanJsonError(e.what());
    } catch (const std::exception& e) {
        failure = e.what();
    }
    const std::string where =
        " at line " + std::to_string(cursor.line) + ", column " + std::to_string(cursor.column());
    if (!failure.empty()) {
        if (!walker.rootIsObject)
            return builder.fail("not a HAR file (not JSON" + where + ": " + failure + ")");
        if (walker.entriesComplete == 0)
            return builder.fail("the HAR document is cut short or malformed" + where + ": " + failure +
                                "; no entry was complete before it");
        builder.skip(cursor.line, cursor.column(),
                     "the HAR document is cut short or malformed here (" + failure +
                         "); entries after this point are not read");
    } else if (!walker.rootIsObject) {
        return builder.fail("not a HAR file: the document is " + walker.rootKindName +
                            ", not an object with a \"log\"");
    } else if (walker.logKind.empty()) {
        return builder.fail("not a HAR file: no \"log\" object");
    } else if (walker.logKind != "an object") {
        return builder.fail("not a HAR file: \"log\" is " + walker.logKind + ", not an object");
    } else if (walker.entriesKind.empty()) {
        return builder.fail("not a HAR file: no log.entries array");
    } else if (walker.entriesKind != "an array") {
        return builder.fail("not a HAR file: log.entries is " + walker.entriesKind + ", not an array");
    }
    builder.markRecognised();
    builder.setDetail(walker.version.empty() ? std::string("HAR") : "HAR " + walker.version);
    return builder.finish();
}

} // namespace sluice::traffic
