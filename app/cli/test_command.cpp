// SPDX-License-Identifier: Apache-2.0
#include "test_command.h"

#include "config/loader.h"
#include "live_case_runner.h"
#include "routing/route_table.h"
#include "routing/route_test_runner.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace sluice::cli {
namespace {

struct CompiledConfig {
    config::LoadResult loaded;
    routing::RouteTablePtr table;
    std::string error;
};

std::string xmlEscape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

/// Loads and compiles each distinct config once; tests sharing a config share the table.
class ConfigCache {
public:
    const CompiledConfig& get(const routing::RouteTestCase& test, const std::vector<std::string>& fallback) {
        std::string key;
        std::vector<std::string> files = test.configFiles.empty() ? fallback : test.configFiles;
        if (test.inlineConfig)
            key = "inline:" + test.name + ":" + std::to_string(test.line) + ":" + *test.inlineConfig;
        else
            for (const auto& f : files)
                key += f + "\n";
        auto [it, inserted] = m_cache.try_emplace(key);
        if (!inserted)
            return it->second;
        CompiledConfig& c = it->second;
        if (test.inlineConfig) {
            config::loadText("<" + test.name + ">", *test.inlineConfig, c.loaded);
            config::dropRedefinedResources(c.loaded); // as loadPaths does for files
        } else if (files.empty()) {
            c.error = "no config: give `config:` in the test or file, or -f CONFIG";
            return c;
        } else {
            c.loaded = config::loadPaths(files);
        }
        if (c.loaded.unreadable)
            c.error = "config could not be read: " + (c.loaded.diagnostics.empty() ? std::string() : c.loaded.diagnostics.front().message);
        c.table = routing::compile(c.loaded.resources);
        return c;
    }
    [[nodiscard]] const std::map<std::string, CompiledConfig>& all() const { return m_cache; }

private:
    std::map<std::string, CompiledConfig> m_cache;
};

} // namespace

void addTestCommand(CLI::App& app, int& exitCode) {
    auto args = std::make_shared<TestArgs>();
    CLI::App* cmd = app.add_subcommand("test", "Run route tests: where each request goes, checked against expectations");
    cmd->add_option("cases", args->cases, "Route-test files (YAML)")->required()->check(CLI::ExistingFile);
    cmd->add_option("-f,--config", args->config, "Config files or directories for tests that name none");
    cmd->add_flag("--coverage", args->coverage, "List the VirtualService rules no test reached");
    cmd->add_option("--fail-under", args->failUnder, "With --coverage: fail when rule coverage is below PCT")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--junit", args->junit, "Also write a JUnit XML report to FILE");
    cmd->add_flag("-v,--verbose", args->verbose, "Print every test, not only failures");
    cmd->add_flag("--live", args->live,
                  "Run the `live: true` cases against the real proxy (served on ephemeral loopback ports)");
    cmd->footer("Exit status: 0 when every test passed, 1 on any failure, 2 when a file cannot be read.");
    cmd->callback([args, &exitCode] { exitCode = runTests(*args); });
}

int runTests(const TestArgs& args) {
    ConfigCache cache;
    std::size_t passed = 0, failed = 0, skipped = 0;
    bool unreadable = false;
    std::set<std::pair<std::string, int>> reached;
    std::string junitCases;
    for (const auto& path : args.cases) {
        const routing::RouteTestFile file = routing::loadRouteTests(path);
        for (const auto& e : file.errors) {
            std::cout << "ERROR " << e << '\n';
            unreadable = true;
        }
        const std::vector<std::string> fallback = file.defaultConfig.empty() ? args.config : file.defaultConfig;
        for (const auto& test : file.cases) {
            const CompiledConfig& config = cache.get(test, fallback);
            routing::RouteTestOutcome outcome;
            if (!config.error.empty()) {
                outcome.result = routing::RouteTestOutcome::Result::Failed;
                outcome.failures.push_back(config.error);
            } else if (test.live && args.live) {
                outcome = LiveCaseRunner(config.loaded, config.table).run(test);
            } else {
                outcome = routing::runRouteTest(test, *config.table);
            }
            reached.insert(outcome.rulesReached.begin(), outcome.rulesReached.end());
            const std::string where = file.path + ":" + std::to_string(test.line);
            junitCases += "  <testcase classname=\"" + xmlEscape(file.path) + "\" name=\"" + xmlEscape(test.name) + "\"";
            switch (outcome.result) {
            case routing::RouteTestOutcome::Result::Passed:
                ++passed;
                if (args.verbose)
                    std::cout << "PASS " << test.name << (test.live && args.live ? " (live)" : "") << '\n';
                junitCases += "/>\n";
                break;
            case routing::RouteTestOutcome::Result::Skipped:
                ++skipped;
                if (args.verbose)
                    std::cout << "SKIP " << test.name << ": " << outcome.note << '\n';
                junitCases += "><skipped message=\"" + xmlEscape(outcome.note) + "\"/></testcase>\n";
                break;
            case routing::RouteTestOutcome::Result::Failed: {
                ++failed;
                std::string all;
                for (const auto& f : outcome.failures)
                    all += (all.empty() ? "" : "; ") + f;
                std::cout << "FAIL " << where << " " << test.name << ": " << all << '\n';
                junitCases += "><failure message=\"" + xmlEscape(all) + "\"/></testcase>\n";
                break;
            }
            }
        }
    }
    bool coverageLow = false;
    if (args.coverage) {
        std::size_t total = 0, hit = 0;
        std::set<std::string> seen;
        for (const auto& [key, config] : cache.all()) {
            for (const auto& vs : config.loaded.resources.virtualServices) {
                const std::string name = vs.header.ns() + "/" + vs.header.name();
                for (std::size_t i = 0; i < vs.spec.http.size(); ++i) {
                    if (!seen.insert(name + "#" + std::to_string(i) + "@" + key).second)
                        continue;
                    ++total;
                    if (reached.contains({name, static_cast<int>(i)})) {
                        ++hit;
                        continue;
                    }
                    const auto& span = vs.spec.http[i].span;
                    std::cout << "NOT REACHED " << config.loaded.resources.fileName(span.file) << ":" << span.line
                              << ": VirtualService " << name << " http rule " << i
                              << (vs.spec.http[i].name.value.empty() ? "" : " (" + vs.spec.http[i].name.value + ")") << '\n';
                }
            }
        }
        const double pct = total ? 100.0 * static_cast<double>(hit) / static_cast<double>(total) : 100.0;
        std::cout << "rule coverage: " << hit << "/" << total << " (" << static_cast<int>(pct) << "%)\n";
        coverageLow = pct < args.failUnder;
        if (coverageLow)
            std::cout << "coverage " << pct << "% is under --fail-under " << args.failUnder << "%\n";
    }
    if (!args.junit.empty()) {
        std::ofstream out(args.junit);
        out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"sluice route tests\" tests=\""
            << passed + failed + skipped << "\" failures=\"" << failed << "\" skipped=\"" << skipped << "\">\n"
            << junitCases << "</testsuite>\n";
    }
    std::cout << passed << " passed, " << failed << " failed";
    if (skipped)
        std::cout << ", " << skipped << " skipped";
    std::cout << '\n';
    if (unreadable && failed == 0 && passed == 0)
        return 2;
    return failed || unreadable || coverageLow ? 1 : 0;
}

} // namespace sluice::cli
