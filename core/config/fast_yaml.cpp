// SPDX-License-Identifier: Apache-2.0
#include "fast_yaml.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/node/detail/memory.h>
#include <yaml-cpp/node/detail/node.h>
#include <yaml-cpp/null.h>
#include <yaml.h> // libyaml

namespace sluice::config {
struct FastYamlAccess;
} // namespace sluice::config

namespace YAML::detail {
// yaml-cpp builds trees only in its internal NodeBuilder: the Node constructor that wraps a
// detail::node is private. Node befriends every iterator_base specialisation; this one is ours
// and only wraps the finished root, exactly as NodeBuilder::Root() does.
template <> class iterator_base<sluice::config::FastYamlAccess> {
public:
    static Node wrap(node& root, const shared_memory_holder& memory) { return Node(root, memory); }
};
} // namespace YAML::detail

namespace sluice::config {
namespace {

namespace yd = YAML::detail;

// Below yaml-cpp's own limit (DepthGuard<500>), so deep documents take the path that reports it.
constexpr std::size_t kMaxDepth = 256;

// Bytes whose marks libyaml and yaml-cpp count alike: printable ASCII and '\n'.
bool plainAscii(std::string_view text) {
    for (const char c : text)
        if ((c < 0x20 && c != '\n') || c == 0x7F || (static_cast<unsigned char>(c) & 0x80))
            return false;
    return true;
}

class Parser {
public:
    explicit Parser(std::string_view text)
        : m_text(text) {
        yaml_parser_initialize(&m_parser);
        yaml_parser_set_input_string(&m_parser, reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size());
    }
    ~Parser() { yaml_parser_delete(&m_parser); }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;

    std::optional<YAML::Node> run() {
        bool done = false;
        int documents = 0;
        while (!done) {
            yaml_event_t event;
            if (!yaml_parser_parse(&m_parser, &event))
                return std::nullopt;
            bool ok = true;
            switch (event.type) {
            case YAML_STREAM_START_EVENT:
            case YAML_DOCUMENT_END_EVENT:
                break;
            case YAML_STREAM_END_EVENT:
                done = true;
                break;
            case YAML_DOCUMENT_START_EVENT:
                ok = ++documents == 1 && !event.data.document_start.version_directive &&
                     event.data.document_start.tag_directives.start ==
                         event.data.document_start.tag_directives.end;
                break;
            case YAML_SCALAR_EVENT:
                ok = scalar(event);
                break;
            case YAML_SEQUENCE_START_EVENT:
                ok = collectionStart(event, YAML::NodeType::Sequence, event.data.sequence_start.tag,
                                     event.data.sequence_start.anchor,
                                     event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
                break;
            case YAML_MAPPING_START_EVENT:
                ok = collectionStart(event, YAML::NodeType::Map, event.data.mapping_start.tag,
                                     event.data.mapping_start.anchor,
                                     event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                ok = !m_stack.empty();
                if (ok) {
                    yd::node& done_ = *m_stack.back().node;
                    m_stack.pop_back();
                    attach(done_);
                }
                break;
            case YAML_ALIAS_EVENT:
                ok = alias(event);
                break;
            case YAML_NO_EVENT:
                ok = false;
                break;
            }
            yaml_event_delete(&event);
            if (!ok)
                return std::nullopt;
        }
        if (!m_root || !m_stack.empty())
            return std::nullopt;
        return yd::iterator_base<FastYamlAccess>::wrap(*m_root, m_memory);
    }

private:
    struct Frame {
        yd::node* node;
        bool map;
        yd::node* key; ///< map only: the key waiting for its value
    };

    [[nodiscard]] YAML::Mark mark(const yaml_mark_t& m) const {
        YAML::Mark out;
        out.pos = static_cast<int>(m.index);
        out.line = static_cast<int>(m.line);
        out.column = static_cast<int>(m.column);
        return out;
    }

    // The character a node starts with, past an anchor (`&name `) when `skipAnchor`.
    [[nodiscard]] char first(const yaml_mark_t& m, bool skipAnchor) const {
        std::size_t i = m.index;
        if (skipAnchor && i < m_text.size() && m_text[i] == '&') {
            while (i < m_text.size() && m_text[i] != ' ' && m_text[i] != '\n')
                ++i;
            while (i < m_text.size() && m_text[i] == ' ')
                ++i;
        }
        return i < m_text.size() ? m_text[i] : '\0';
    }

    yd::node& create(const yaml_event_t& event, const yaml_char_t* anchor) {
        yd::node& n = m_memory->create_node();
        n.set_mark(mark(event.start_mark));
        if (anchor)
            m_anchors.emplace_back(reinterpret_cast<const char*>(anchor), &n);
        return n;
    }

    // NodeBuilder::Pop: a finished node goes into its parent (sequence item, map key or value).
    void attach(yd::node& n) {
        if (m_stack.empty()) {
            m_root = &n;
            return;
        }
        Frame& parent = m_stack.back();
        if (!parent.map) {
            parent.node->push_back(n, m_memory);
        } else if (!parent.key) {
            parent.key = &n;
        } else {
            parent.node->insert(*parent.key, n, m_memory);
            parent.key = nullptr;
        }
    }

    bool scalar(const yaml_event_t& event) {
        const auto& s = event.data.scalar;
        if (s.tag)
            return false;
        const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        const bool quoted =
            s.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        if (!plain && !quoted && s.style != YAML_LITERAL_SCALAR_STYLE && s.style != YAML_FOLDED_SCALAR_STYLE)
            return false;
        // An empty plain scalar is a missing value: yaml-cpp marks it at the following token.
        if (plain && s.length == 0)
            return false;
        // Multi-line flow scalars are folded; keep that to yaml-cpp.
        if ((plain || quoted) && event.start_mark.line != event.end_mark.line)
            return false;
        m_scalar.assign(reinterpret_cast<const char*>(s.value), s.length); // reused: one copy, into the node
        yd::node& n = create(event, s.anchor);
        if (plain && YAML::IsNullString(m_scalar)) {
            n.set_null();
        } else {
            n.set_scalar(m_scalar);
            n.set_tag(plain ? "?" : "!");
        }
        attach(n);
        return true;
    }

    bool collectionStart(const yaml_event_t& event, YAML::NodeType::value type, const yaml_char_t* tag,
                         const yaml_char_t* anchor, bool flow) {
        if (tag || m_stack.size() >= kMaxDepth)
            return false;
        // Flow collections open with their bracket (not a compact `[a: b]` map); block collections
        // start at an entry or at their anchor, not at an explicit `?` key.
        const char opening = first(event.start_mark, flow);
        if (flow ? opening != (type == YAML::NodeType::Map ? '{' : '[') : opening == '?')
            return false;
        yd::node& n = create(event, anchor);
        if (type == YAML::NodeType::Map) {
            n.set_type(YAML::NodeType::Map);
            n.set_tag("?");
        } else {
            n.set_tag("?");
            n.set_type(YAML::NodeType::Sequence);
        }
        n.set_style(flow ? YAML::EmitterStyle::Flow : YAML::EmitterStyle::Block);
        m_stack.push_back({&n, type == YAML::NodeType::Map, nullptr});
        return true;
    }

    bool alias(const yaml_event_t& event) {
        const std::string_view name(reinterpret_cast<const char*>(event.data.alias.anchor));
        // The latest definition wins, as in yaml-cpp.
        for (auto it = m_anchors.rbegin(); it != m_anchors.rend(); ++it)
            if (it->first == name) {
                attach(*it->second);
                return true;
            }
        return false;
    }

    std::string_view m_text;
    yaml_parser_t m_parser{};
    yd::shared_memory_holder m_memory = std::make_shared<yd::memory_holder>();
    std::vector<Frame> m_stack;
    std::vector<std::pair<std::string, yd::node*>> m_anchors;
    std::string m_scalar;
    yd::node* m_root = nullptr;
};

} // namespace

std::optional<YAML::Node> fastLoad(std::string_view text) {
    if (!plainAscii(text))
        return std::nullopt;
    try {
        Parser parser(text);
        return parser.run();
    } catch (const std::exception&) {
        return std::nullopt; // allocation failure; the slow path will report what it can
    }
}

} // namespace sluice::config
