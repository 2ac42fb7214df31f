// SPDX-License-Identifier: Apache-2.0
#include "text_diff.h"

#include <algorithm>
#include <unordered_map>

namespace sluice::config {
namespace {

struct Line {
    std::string_view text; ///< without the newline
    bool newline = true;
};

std::vector<Line> splitLines(std::string_view text) {
    std::vector<Line> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            out.push_back({text.substr(start), false});
            break;
        }
        out.push_back({text.substr(start, end - start), true});
        start = end + 1;
    }
    return out;
}

/// Numbers every distinct line (text and final newline) so that comparing lines compares ints.
class Interner {
public:
    std::vector<std::uint32_t> ids(const std::vector<Line>& lines) {
        std::vector<std::uint32_t> out;
        out.reserve(lines.size());
        for (const Line& l : lines) {
            auto& table = l.newline ? m_terminated : m_last;
            out.push_back(table.try_emplace(l.text, static_cast<std::uint32_t>(m_next)).first->second);
            if (out.back() == m_next)
                ++m_next;
        }
        return out;
    }

private:
    std::unordered_map<std::string_view, std::uint32_t> m_terminated;
    std::unordered_map<std::string_view, std::uint32_t> m_last;
    std::size_t m_next = 0;
};

/// Myers' linear-space diff over two id sequences; marks deleted lines of `a` and inserted lines
/// of `b`.
class Myers {
public:
    Myers(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b, std::size_t workLimit)
        : m_a(a)
        , m_b(b)
        , m_deleted(a.size(), false)
        , m_inserted(b.size(), false)
        , m_workLimit(workLimit) {}

    void run() { compare(0, 0, static_cast<long>(m_a.size()), static_cast<long>(m_b.size())); }

    [[nodiscard]] bool deleted(std::size_t i) const { return m_deleted[i]; }
    [[nodiscard]] bool inserted(std::size_t j) const { return m_inserted[j]; }
    [[nodiscard]] bool approximate() const { return m_approximate; }

private:
    struct Snake {
        long x1, y1, x2, y2;
        bool forward;
    };
    enum class Search : std::uint8_t { Found, TooCostly };

    void compare(long left, long top, long right, long bottom) {
        while (left < right && top < bottom &&
               m_a[static_cast<std::size_t>(left)] == m_b[static_cast<std::size_t>(top)])
            ++left, ++top;
        while (left < right && top < bottom &&
               m_a[static_cast<std::size_t>(right - 1)] == m_b[static_cast<std::size_t>(bottom - 1)])
            --right, --bottom;
        if (left == right || top == bottom) {
            replace(left, top, right, bottom);
            return;
        }
        Snake snake{};
        if (middleSnake(left, top, right, bottom, snake) == Search::TooCostly) {
            m_approximate = true;
            replace(left, top, right, bottom);
            return;
        }
        // The one edit of the middle snake: before its diagonal going forward, after it backward.
        const long dx = snake.x2 - snake.x1, dy = snake.y2 - snake.y1;
        if (dx != dy) {
            if (snake.forward)
                mark(dx > dy, dx > dy ? snake.x1 : snake.y1);
            else
                mark(dx > dy, dx > dy ? snake.x2 - 1 : snake.y2 - 1);
        }
        compare(left, top, snake.x1, snake.y1);
        compare(snake.x2, snake.y2, right, bottom);
    }

    void mark(bool deletion, long at) {
        (deletion ? m_deleted : m_inserted)[static_cast<std::size_t>(at)] = true;
    }

    void replace(long left, long top, long right, long bottom) {
        for (long i = left; i < right; ++i)
            m_deleted[static_cast<std::size_t>(i)] = true;
        for (long j = top; j < bottom; ++j)
            m_inserted[static_cast<std::size_t>(j)] = true;
    }

    [[nodiscard]] bool same(long x, long y) const {
        return m_a[static_cast<std::size_t>(x)] == m_b[static_cast<std::size_t>(y)];
    }

    /// Finds the middle snake of the box (forward diagonals k = x - y relative to its corner,
    /// backward ones c = k - delta); vf holds x, vb holds y, both offset by `max`.
    Search middleSnake(long left, long top, long right, long bottom, Snake& out) {
        const long width = right - left, height = bottom - top, delta = width - height;
        const long max = (width + height + 1) / 2;
        std::vector<long> vf(static_cast<std::size_t>(2 * max + 3), 0);
        std::vector<long> vb(static_cast<std::size_t>(2 * max + 3), 0);
        const auto at = [max](std::vector<long>& v, long k) -> long& {
            return v[static_cast<std::size_t>(k + max + 1)];
        };
        at(vf, 1) = left;
        at(vb, 1) = bottom;
        std::size_t work = 0;
        for (long d = 0; d <= max; ++d) {
            for (long k = -d; k <= d; k += 2) {
                long x = 0;
                long px = 0;
                if (k == -d || (k != d && at(vf, k - 1) < at(vf, k + 1))) {
                    px = x = at(vf, k + 1);
                } else {
                    px = at(vf, k - 1);
                    x = px + 1;
                }
                long y = top + (x - left) - k;
                const long py = (d == 0 || x != px) ? y : y - 1;
                while (x < right && y < bottom && same(x, y))
                    ++x, ++y, ++work;
                at(vf, k) = x;
                const long c = k - delta;
                if ((delta & 1) != 0 && c >= -(d - 1) && c <= d - 1 && y >= at(vb, c)) {
                    out = {px, py, x, y, true};
                    return Search::Found;
                }
            }
            for (long c = -d; c <= d; c += 2) {
                long y = 0;
                long py = 0;
                if (c == -d || (c != d && at(vb, c - 1) > at(vb, c + 1))) {
                    py = y = at(vb, c + 1);
                } else {
                    py = at(vb, c - 1);
                    y = py - 1;
                }
                const long k = c + delta;
                long x = left + (y - top) + k;
                const long px = (d == 0 || y != py) ? x : x + 1;
                while (x > left && y > top && same(x - 1, y - 1))
                    --x, --y, ++work;
                at(vb, c) = y;
                if ((delta & 1) == 0 && k >= -d && k <= d && x <= at(vf, k)) {
                    out = {x, y, px, py, false};
                    return Search::Found;
                }
            }
            work += static_cast<std::size_t>(2 * d + 2);
            if (work > m_workLimit)
                return Search::TooCostly;
        }
        return Search::TooCostly; // unreachable for a valid box; keeps the diff correct regardless
    }

    const std::vector<std::uint32_t>& m_a;
    const std::vector<std::uint32_t>& m_b;
    std::vector<bool> m_deleted;
    std::vector<bool> m_inserted;
    std::size_t m_workLimit;
    bool m_approximate = false;
};

struct Edit {
    DiffLine::Op op;
    std::size_t oldIndex; ///< 0-based; for an insertion, the old line before which it goes
    std::size_t newIndex;
};

DiffLine toLine(const Edit& e, const std::vector<Line>& a, const std::vector<Line>& b) {
    const bool fromOld = e.op != DiffLine::Op::Insert;
    const Line& l = fromOld ? a[e.oldIndex] : b[e.newIndex];
    return {e.op, std::string(l.text),
            e.op == DiffLine::Op::Insert ? 0 : static_cast<std::uint32_t>(e.oldIndex + 1),
            e.op == DiffLine::Op::Delete ? 0 : static_cast<std::uint32_t>(e.newIndex + 1), !l.newline};
}

void appendRange(std::string& out, std::uint32_t start, std::uint32_t count) {
    out += std::to_string(start);
    if (count != 1)
        out += "," + std::to_string(count);
}

} // namespace

TextDiff diffLines(std::string_view before, std::string_view after, const DiffOptions& options) {
    const std::vector<Line> a = splitLines(before);
    const std::vector<Line> b = splitLines(after);
    Interner interner;
    const std::vector<std::uint32_t> ia = interner.ids(a);
    const std::vector<std::uint32_t> ib = interner.ids(b);
    Myers myers(ia, ib, std::max<std::size_t>(options.workLimit, 1024));
    myers.run();

    TextDiff diff;
    diff.approximate = myers.approximate();
    std::vector<Edit> edits;
    edits.reserve(std::max(a.size(), b.size()));
    for (std::size_t i = 0, j = 0; i < a.size() || j < b.size();) {
        if (i < a.size() && myers.deleted(i)) {
            edits.push_back({DiffLine::Op::Delete, i++, j});
            ++diff.deletions;
        } else if (j < b.size() && myers.inserted(j)) {
            edits.push_back({DiffLine::Op::Insert, i, j++});
            ++diff.insertions;
        } else {
            edits.push_back({DiffLine::Op::Context, i++, j++});
        }
    }

    const std::size_t context = options.context;
    std::size_t e = 0;
    while (e < edits.size()) {
        while (e < edits.size() && edits[e].op == DiffLine::Op::Context)
            ++e;
        if (e == edits.size())
            break;
        // A hunk: from `context` lines before this change to `context` lines after the last change
        // that is no more than 2 * context unchanged lines from the previous one.
        const std::size_t begin = e >= context ? e - context : 0;
        std::size_t last = e;
        std::size_t scan = e;
        while (scan < edits.size()) {
            if (edits[scan].op != DiffLine::Op::Context) {
                last = scan++;
                continue;
            }
            if (scan - last > 2 * context)
                break;
            ++scan;
        }
        const std::size_t end = std::min(edits.size(), last + 1 + context);
        DiffHunk hunk;
        for (std::size_t i = begin; i < end; ++i) {
            hunk.lines.push_back(toLine(edits[i], a, b));
            hunk.oldCount += edits[i].op != DiffLine::Op::Insert;
            hunk.newCount += edits[i].op != DiffLine::Op::Delete;
        }
        hunk.oldStart = static_cast<std::uint32_t>(edits[begin].oldIndex + (hunk.oldCount ? 1 : 0));
        hunk.newStart = static_cast<std::uint32_t>(edits[begin].newIndex + (hunk.newCount ? 1 : 0));
        diff.hunks.push_back(std::move(hunk));
        e = end;
    }
    return diff;
}

std::string formatUnified(const TextDiff& diff, std::string_view oldName, std::string_view newName) {
    if (diff.identical())
        return {};
    std::string out;
    out.append("--- ").append(oldName).append("\n+++ ").append(newName).append("\n");
    for (const DiffHunk& hunk : diff.hunks) {
        out += "@@ -";
        appendRange(out, hunk.oldStart, hunk.oldCount);
        out += " +";
        appendRange(out, hunk.newStart, hunk.newCount);
        out += " @@\n";
        for (const DiffLine& line : hunk.lines) {
            out += line.op == DiffLine::Op::Context ? ' ' : line.op == DiffLine::Op::Delete ? '-' : '+';
            out += line.text;
            out += '\n';
            if (line.noNewline)
                out += "\\ No newline at end of file\n";
        }
    }
    return out;
}

std::string unifiedDiff(std::string_view before, std::string_view after, std::string_view oldName,
                        std::string_view newName, const DiffOptions& options) {
    return formatUnified(diffLines(before, after, options), oldName, newName);
}

} // namespace sluice::config
