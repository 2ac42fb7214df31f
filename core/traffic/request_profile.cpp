// SPDX-License-Identifier: Apache-2.0
#include "request_profile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace sluice::traffic {
namespace {

/// Internal only: unwinds the parse to parseProfile(), which turns it into a ProfileError.
struct Failure {
    std::size_t line = 0;
    std::size_t column = 0;
    std::string message;
};

[[noreturn]] void fail(const YAML::Node& at, std::string message, std::size_t extraColumns = 0) {
    const YAML::Mark m = at.Mark();
    throw Failure{m.line >= 0 ? static_cast<std::size_t>(m.line) + 1 : 0,
                  m.column >= 0 ? static_cast<std::size_t>(m.column) + 1 + extraColumns : 0,
                  std::move(message)};
}

bool isTokenChar(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

const char* kindName(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Map:
        return "a map";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Null:
        return "nothing";
    default:
        return "a scalar";
    }
}

/// Refuses keys not in `known`, naming the known ones.
void checkKeys(const YAML::Node& map, std::initializer_list<std::string_view> known, const char* where) {
    for (const auto& kv : map) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
        if (std::find(known.begin(), known.end(), key) != known.end())
            continue;
        std::string list;
        for (const auto k : known)
            list += (list.empty() ? "" : ", ") + std::string(k);
        fail(kv.first, "unknown key `" + key + "` in " + where + " (known: " + list + ")");
    }
}

std::string scalar(const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar())
        fail(n, what + ": expected a string, found " + kindName(n));
    if (n.Scalar().size() > RequestProfile::kMaxValueBytes)
        fail(n, what + ": longer than " + std::to_string(RequestProfile::kMaxValueBytes) + " bytes");
    return n.Scalar();
}

/// A value sent on the wire: no CR, LF or NUL (header injection, request splitting).
void checkWireValue(const YAML::Node& n, std::string_view value, const std::string& what,
                    bool allowNewlines) {
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '\0' || (!allowNewlines && (c == '\r' || c == '\n')))
            fail(n, what + ": contains " + (c == '\0' ? "a NUL byte" : "a line break") + " (at offset " +
                        std::to_string(i) + ")");
    }
}

/// Columns from a scalar's mark to byte `offset` of its value (exact for one-line scalars).
std::size_t columnShift(const YAML::Node& n, std::size_t offset) {
    return offset + (n.Tag() == "!" ? 1 : 0); // quoted scalars start at their quote
}

class ProfileParser {
public:
    explicit ProfileParser(RequestProfile& profile)
        : m_profile(profile) {}

    void parse(const YAML::Node& root) {
        if (!root.IsMap())
            fail(root, "a request profile is a map with a `requests:` list (found " +
                           std::string(kindName(root)) + ")");
        checkKeys(root, {"host", "headers", "users", "lists", "requests"}, "the profile");
        m_profile.listNames.push_back("users");
        m_profile.lists.lists.emplace_back();
        if (const YAML::Node users = root["users"])
            m_profile.lists.lists[0] = stringList(users, "users");
        m_hasUsers = root["users"].IsDefined() && !m_profile.lists.lists[0].empty();
        if (const YAML::Node lists = root["lists"]) {
            if (!lists.IsMap())
                fail(lists, "lists: expected a map of name: [values], found " + std::string(kindName(lists)));
            for (const auto& kv : lists) {
                const std::string name = scalar(kv.first, "lists");
                if (name.empty() ||
                    !std::all_of(name.begin(), name.end(), [](char c) { return isTokenChar(c) && c != '$'; }))
                    fail(kv.first, "lists: `" + name + "` is not a usable name (letters, digits, - and _)");
                if (std::find(m_profile.listNames.begin(), m_profile.listNames.end(), name) !=
                    m_profile.listNames.end())
                    fail(kv.first, "lists: `" + name + "` is defined twice (or clashes with `users`)");
                m_profile.listNames.push_back(name);
                m_profile.lists.lists.push_back(stringList(kv.second, "lists." + name));
                if (m_profile.lists.lists.back().empty())
                    fail(kv.second, "lists." + name + ": a list needs at least one value");
            }
        }
        if (const YAML::Node host = root["host"])
            m_host = hostText(host);
        if (const YAML::Node headers = root["headers"])
            m_headers = headerList(headers, "headers");
        const YAML::Node requests = root["requests"];
        if (!requests)
            fail(root, "the profile has no `requests:` list");
        if (!requests.IsSequence() || requests.size() == 0)
            fail(requests, "requests: expected a list of at least one request, found " +
                               std::string(requests.IsSequence() ? "an empty list" : kindName(requests)));
        if (requests.size() > RequestProfile::kMaxRequests)
            fail(requests,
                 "requests: more than " + std::to_string(RequestProfile::kMaxRequests) + " templates");
        double total = 0;
        for (const auto& r : requests) {
            m_profile.requests.push_back(request(r));
            total += m_profile.requests.back().weight;
        }
        if (!(total > 0))
            fail(requests, "requests: every weight is 0, so nothing would be sent");
    }

private:
    std::vector<std::string> stringList(const YAML::Node& n, const std::string& what) {
        if (!n.IsSequence())
            fail(n, what + ": expected a list of strings, found " + std::string(kindName(n)));
        std::vector<std::string> out;
        out.reserve(n.size());
        for (const auto& v : n) {
            if (++m_entries > RequestProfile::kMaxListEntries)
                fail(v, what + ": more than " + std::to_string(RequestProfile::kMaxListEntries) +
                            " list entries in the profile");
            std::string s = scalar(v, what);
            checkWireValue(v, s, what, false);
            out.push_back(std::move(s));
        }
        return out;
    }

    TemplateText text(const YAML::Node& n, const std::string& what, bool allowNewlines = false) {
        const std::string source = scalar(n, what);
        checkWireValue(n, source, what, allowNewlines);
        TemplateText::ParseError error;
        auto parsed = TemplateText::parse(
            source, m_hasUsers,
            [this](std::string_view name) -> std::optional<std::size_t> {
                const auto it = std::find(m_profile.listNames.begin() + 1, m_profile.listNames.end(), name);
                if (it == m_profile.listNames.end())
                    return std::nullopt;
                return static_cast<std::size_t>(it - m_profile.listNames.begin());
            },
            error);
        if (!parsed)
            fail(n, what + ": " + error.message, columnShift(n, error.offset));
        return std::move(*parsed);
    }

    TemplateText hostText(const YAML::Node& n) {
        TemplateText t = text(n, "host");
        const std::string& literal = t.literalText();
        if (!t.hasVariables() && literal.empty())
            fail(n, "host: must not be empty");
        if (std::any_of(literal.begin(), literal.end(), [](char c) {
                return c == ' ' || c == '\t' || c == '/' || static_cast<unsigned char>(c) < 0x20;
            }))
            fail(n, "host: `" + literal + "` is not a host[:port] (no spaces, no '/')");
        return t;
    }

    std::vector<std::pair<std::string, TemplateText>> headerList(const YAML::Node& n,
                                                                 const std::string& what) {
        if (!n.IsMap())
            fail(n, what + ": expected a map of name: value, found " + std::string(kindName(n)));
        std::vector<std::pair<std::string, TemplateText>> out;
        for (const auto& kv : n) {
            const std::string name = lower(scalar(kv.first, what));
            if (!isToken(name))
                fail(kv.first, what + ": `" + name + "` is not a header name (an HTTP token)");
            if (name == "host")
                fail(kv.first, what + ": set the Host with `host:`, not as a header");
            if (name == "content-length" || name == "transfer-encoding" || name == "connection" ||
                name == "keep-alive" || name == "upgrade" || name == "te")
                fail(kv.first, what + ": `" + name + "` is set by the load generator itself");
            if (std::any_of(out.begin(), out.end(), [&](const auto& h) { return h.first == name; }))
                fail(kv.first, what + ": `" + name + "` is given twice");
            out.emplace_back(name, text(kv.second, what + "." + name));
        }
        return out;
    }

    ProfileRequest request(const YAML::Node& r) {
        if (!r.IsMap())
            fail(r, "requests: each request is a map (path, method, headers...), found " +
                        std::string(kindName(r)));
        checkKeys(r, {"name", "weight", "method", "host", "path", "headers", "body"}, "a request");
        ProfileRequest out;
        out.line = static_cast<std::size_t>(std::max(0, r.Mark().line)) + 1;
        if (const YAML::Node w = r["weight"]) {
            const std::string s = scalar(w, "weight");
            double v = 0;
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0 ||
                v > RequestProfile::kMaxWeight)
                fail(w, "weight: expected a number from 0 to 1e9, found `" + s + "`");
            out.weight = v;
        }
        if (const YAML::Node m = r["method"]) {
            out.method = scalar(m, "method");
            if (!isToken(out.method) || out.method.size() > 32)
                fail(m, "method: `" + out.method + "` is not an HTTP method (a token)");
        }
        const YAML::Node path = r["path"];
        if (!path)
            fail(r, "a request needs a `path:`");
        out.path = text(path, "path");
        const auto& segments = out.path.segments();
        if (segments.empty() || segments.front().kind != VariableKind::Literal ||
            !(segments.front().text.starts_with('/') || segments.front().text == "*"))
            fail(path, "path: must start with '/' (found `" + scalar(path, "path") + "`)");
        if (std::any_of(out.path.literalText().begin(), out.path.literalText().end(), [](char c) {
                return c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
            }))
            fail(path, "path: spaces and control characters must be percent-encoded");
        if (const YAML::Node h = r["host"])
            out.host = hostText(h);
        else
            out.host = m_host;
        out.headers = m_headers;
        if (const YAML::Node h = r["headers"])
            for (auto& [name, value] : headerList(h, "headers")) {
                const auto it = std::find_if(out.headers.begin(), out.headers.end(),
                                             [&](const auto& x) { return x.first == name; });
                if (it != out.headers.end())
                    it->second = std::move(value);
                else
                    out.headers.emplace_back(std::move(name), std::move(value));
            }
        if (const YAML::Node b = r["body"])
            out.body = text(b, "body", true);
        if (const YAML::Node n = r["name"])
            out.name = scalar(n, "name");
        else
            out.name = out.method + " " + scalar(path, "path");
        return out;
    }

    RequestProfile& m_profile;
    TemplateText m_host;
    std::vector<std::pair<std::string, TemplateText>> m_headers;
    bool m_hasUsers = false;
    std::size_t m_entries = 0;
};

} // namespace

double RequestProfile::totalWeight() const {
    double total = 0;
    for (const auto& r : requests)
        total += r.weight;
    return total;
}

bool RequestProfile::hasVariables() const {
    for (const auto& r : requests) {
        if (r.host.hasVariables() || r.path.hasVariables() || r.body.hasVariables())
            return true;
        for (const auto& h : r.headers)
            if (h.second.hasVariables())
                return true;
    }
    return false;
}

RequestProfile RequestProfile::single(std::string method, std::string authority, std::string path) {
    RequestProfile p;
    p.listNames.push_back("users");
    p.lists.lists.emplace_back();
    ProfileRequest r;
    r.name = method + " " + path;
    r.method = std::move(method);
    r.host = TemplateText::literal(std::move(authority));
    r.path = TemplateText::literal(std::move(path));
    p.requests.push_back(std::move(r));
    return p;
}

std::string ProfileError::text() const {
    std::string out = file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0)
            out += ':' + std::to_string(column);
    }
    return out + ": error: " + message;
}

ProfileResult parseProfile(std::string_view text, const std::string& file) {
    RequestProfile profile;
    profile.file = file;
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        ProfileParser(profile).parse(root);
    } catch (const Failure& f) {
        return ProfileError{file, f.line, f.column, f.message};
    } catch (const YAML::Exception& e) {
        return ProfileError{file, e.mark.line >= 0 ? static_cast<std::size_t>(e.mark.line) + 1 : 0,
                            e.mark.column >= 0 ? static_cast<std::size_t>(e.mark.column) + 1 : 0,
                            "YAML syntax error: " + e.msg};
    } catch (const std::exception& e) {
        return ProfileError{file, 0, 0, std::string("cannot read the profile: ") + e.what()};
    }
    return profile;
}

ProfileResult readProfileFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return ProfileError{path, 0, 0, ec ? ec.message() : "not a regular file (or it does not exist)"};
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return ProfileError{path, 0, 0, ec.message()};
    if (size > RequestProfile::kMaxFileBytes)
        return ProfileError{path, 0, 0, "larger than 64 MiB: not a request profile"};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return ProfileError{path, 0, 0, "cannot be opened"};
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parseProfile(buffer.str(), path);
}

} // namespace sluice::traffic
