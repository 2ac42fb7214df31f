// SPDX-License-Identifier: Apache-2.0
#include "route_test_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace sluice::routing {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> scalar(const YAML::Node& n) {
    if (!n || n.IsNull() || !n.IsScalar())
        return std::nullopt;
    return n.Scalar();
}

std::vector<std::string> configList(const YAML::Node& n, const fs::path& base,
                                    std::optional<std::string>* inlineText) {
    std::vector<std::string> out;
    if (!n || n.IsNull())
        return out;
    if (n.IsScalar()) {
        // A multi-line string is inline YAML; a single line names one file.
        if (n.Scalar().find('\n') != std::string::npos && inlineText)
            *inlineText = n.Scalar();
        else
            out.push_back((base / n.Scalar()).lexically_normal().string());
        return out;
    }
    if (n.IsSequence())
        for (const auto& item : n)
            if (item.IsScalar())
                out.push_back((base / item.Scalar()).lexically_normal().string());
    return out;
}

template <class T> std::optional<std::optional<T>> nullable(const YAML::Node& parent, const char* key) {
    const YAML::Node n = parent[key];
    if (!n)
        return std::nullopt;
    if (n.IsNull())
        return std::optional<T>();
    return std::optional<T>(n.as<T>());
}

RetryExpectation parseRetries(const YAML::Node& r) {
    RetryExpectation out;
    if (const auto a = scalar(r["attempts"]))
        out.attempts = std::stoi(*a);
    out.retryOn = scalar(r["retryOn"]);
    if (const YAML::Node codes = r["retriableStatusCodes"]; codes && codes.IsSequence()) {
        out.retriableStatusCodes.emplace();
        for (const auto& c : codes)
            out.retriableStatusCodes->push_back(c.as<std::uint32_t>());
    }
    out.perTryTimeout = nullable<std::string>(r, "perTryTimeout");
    return out;
}

void parsePolicies(const YAML::Node& e, RouteExpectation& out) {
    out.timeout = nullable<std::string>(e, "timeout");
    out.delay = nullable<std::string>(e, "delay");
    out.rule = nullable<std::string>(e, "rule");
    out.virtualHost = scalar(e["virtualHost"]);
    out.routeConfig = scalar(e["routeConfig"]);
    out.policy = scalar(e["policy"]);
    if (const YAML::Node r = e["retries"]; r && r.IsMap())
        out.retries = parseRetries(r);
    if (const YAML::Node m = e["mirrors"]; m && (m.IsSequence() || m.IsNull())) {
        out.mirrors.emplace();
        if (m.IsSequence())
            for (const auto& item : m) {
                MirrorExpectation me;
                me.cluster = scalar(item["cluster"]).value_or("");
                if (const auto pct = scalar(item["percent"]))
                    me.percent = std::stod(*pct);
                me.host = scalar(item["host"]);
                out.mirrors->push_back(std::move(me));
            }
    }
    if (const YAML::Node t = e["trace"]; t && t.IsSequence())
        for (const auto& item : t)
            out.trace.push_back(item.Scalar());
    else if (const auto one = scalar(t))
        out.trace.push_back(*one);
}

RouteExpectation parseExpect(const YAML::Node& e) {
    RouteExpectation out;
    if (!e || !e.IsMap())
        return out;
    if (const YAML::Node s = e["status"]; s && s.IsScalar())
        out.status = s.Scalar();
    out.cluster = nullable<std::string>(e, "cluster");
    out.responseFlag = nullable<std::string>(e, "responseFlag");
    if (const YAML::Node d = e["destination"]) {
        if (d.IsNull()) {
            out.destination = std::optional<DestinationExpectation>();
        } else if (d.IsMap()) {
            DestinationExpectation de;
            de.host = scalar(d["host"]).value_or("");
            if (const auto p = scalar(d["port"]))
                de.port = static_cast<std::uint32_t>(std::stoul(*p));
            de.subset = scalar(d["subset"]).value_or("");
            out.destination = std::optional<DestinationExpectation>(de);
        }
    }
    out.location = scalar(e["location"]);
    out.upstreamPath = scalar(e["upstreamPath"]);
    out.body = scalar(e["body"]);
    auto stringMap = [](const YAML::Node& m, std::map<std::string, std::string>& into) {
        if (m && m.IsMap())
            for (const auto& kv : m)
                into[kv.first.Scalar()] = kv.second.IsScalar() ? kv.second.Scalar() : std::string();
    };
    stringMap(e["upstreamHeaders"], out.upstreamHeaders);
    stringMap(e["responseHeaders"], out.responseHeaders);
    if (const YAML::Node a = e["upstreamHeadersAbsent"]; a && a.IsSequence())
        for (const auto& item : a)
            out.upstreamHeadersAbsent.push_back(item.Scalar());
    if (const YAML::Node d = e["distribution"]; d && d.IsMap())
        for (const auto& kv : d)
            out.distribution[kv.first.Scalar()] = kv.second.as<double>();
    if (const auto t = scalar(e["tolerance"]))
        out.tolerance = std::stod(*t);
    parsePolicies(e, out);
    if (const auto ms = scalar(e["minLatencyMs"]))
        out.minLatencyMs = std::stod(*ms);
    if (const auto n = scalar(e["upstreamAttempts"]))
        out.upstreamAttempts = static_cast<std::uint32_t>(std::stoul(*n));
    return out;
}

std::map<std::string, BackendScript> parseBackends(const YAML::Node& b) {
    std::map<std::string, BackendScript> out;
    if (!b || !b.IsMap())
        return out;
    for (const auto& kv : b) {
        BackendScript script;
        const YAML::Node& v = kv.second;
        if (v.IsMap()) {
            script.delay = scalar(v["delay"]);
            if (const auto s = scalar(v["status"]))
                script.status = std::stoi(*s);
            if (const YAML::Node seq = v["sequence"]; seq && seq.IsSequence())
                for (const auto& item : seq)
                    script.sequence.push_back(item.as<int>());
        }
        out[kv.first.Scalar()] = std::move(script);
    }
    return out;
}

Request parseRequest(const YAML::Node& r, RouteTestCase& test) {
    Request req;
    if (!r || !r.IsMap())
        return req;
    if (const auto p = scalar(r["port"]))
        req.port = static_cast<std::uint32_t>(std::stoul(*p));
    req.authority = scalar(r["host"]).value_or("");
    req.method = scalar(r["method"]).value_or("GET");
    req.target = scalar(r["path"]).value_or("/");
    if (const YAML::Node h = r["headers"]; h && h.IsMap())
        for (const auto& kv : h)
            req.headers.emplace_back(kv.first.Scalar(),
                                     kv.second.IsScalar() ? kv.second.Scalar() : std::string());
    if (const auto t = scalar(r["tls"]))
        req.tls = *t == "true";
    req.sni = scalar(r["sni"]);
    if (const auto g = scalar(r["gateway"]))
        req.mesh = *g == "mesh";
    if (const auto ns = scalar(r["sourceNamespace"]))
        req.sourceNamespace = *ns;
    if (const YAML::Node l = r["sourceLabels"]; l && l.IsMap())
        for (const auto& kv : l)
            req.sourceLabels[kv.first.Scalar()] = kv.second.Scalar();
    if (const auto n = scalar(r["repeat"]))
        test.repeat = static_cast<std::uint32_t>(std::max(1ul, std::stoul(*n)));
    test.tcp = scalar(r["protocol"]).value_or("") == "tcp";
    return req;
}

} // namespace

RouteTestFile parseRouteTests(const std::string& path, const std::string& text) {
    RouteTestFile file;
    file.path = path;
    const fs::path base = fs::path(path).parent_path();
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        file.errors.push_back(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                              std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
        return file;
    }
    if (!root.IsMap() || !root["tests"] || !root["tests"].IsSequence()) {
        file.errors.push_back(path + ":1: a route-test file is a map with a `tests:` list");
        return file;
    }
    file.defaultConfig = configList(root["config"], base, nullptr);
    for (const auto& t : root["tests"]) {
        const int line = t.Mark().line + 1;
        try {
            if (!t.IsMap()) {
                file.errors.push_back(path + ":" + std::to_string(line) + ": each test is a map");
                continue;
            }
            RouteTestCase test;
            test.line = static_cast<std::uint32_t>(line);
            test.name = scalar(t["name"]).value_or("test at line " + std::to_string(line));
            test.configFiles = configList(t["config"], base, &test.inlineConfig);
            test.request = parseRequest(t["request"], test);
            test.live = scalar(t["live"]).value_or("false") == "true";
            test.backends = parseBackends(t["backends"]);
            test.expect = parseExpect(t["expect"]);
            file.cases.push_back(std::move(test));
        } catch (const std::exception& e) {
            file.errors.push_back(path + ":" + std::to_string(line) + ": malformed test: " + e.what());
        }
    }
    return file;
}

RouteTestFile loadRouteTests(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        RouteTestFile file;
        file.path = path;
        file.errors.push_back(path + ": cannot read file");
        return file;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parseRouteTests(path, buffer.str());
}

} // namespace sluice::routing
