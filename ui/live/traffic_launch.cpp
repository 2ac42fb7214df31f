// SPDX-License-Identifier: Apache-2.0
#include "traffic_launch.h"

#include "metrics/traffic_report_text.h"
#include "routing/gateway_entry.h"
#include "traffic/default_mix.h"
#include "traffic/mix_profile.h"
#include "traffic/profile_source.h"
#include "traffic/recording_reader.h"
#include "traffic/replay_groups.h"
#include "traffic/replay_source.h"
#include "traffic/target_address.h"

#include <chrono>
#include <cmath>

namespace sluice::ui {
namespace {

const workload::LocalListener* listenerFor(const std::vector<workload::LocalListener>& listeners,
                                           std::uint32_t gatewayPort) {
    for (const auto& l : listeners)
        if (l.gatewayPort == gatewayPort)
            return &l;
    return nullptr;
}

traffic::LoadTarget targetOf(const workload::LocalListener& l, bool tls, const std::string& authority) {
    traffic::LoadTarget t;
    t.address = "127.0.0.1";
    t.port = l.localPort;
    t.tls.enabled = tls;
    if (tls)
        t.tls.sni = traffic::authorityHost(authority);
    return t;
}

} // namespace

LaunchedLoad TrafficLaunch::load(const LoadSettings& settings, const ServableConfig& config,
                                 const std::vector<workload::LocalListener>& listeners) {
    LaunchedLoad out;
    if (!config.servable()) {
        out.error = "the config cannot be served";
        return out;
    }
    const auto entry = routing::gatewayEntry(*config.table, std::nullopt);
    const workload::LocalListener* listener = entry ? listenerFor(listeners, entry->gatewayPort) : nullptr;
    if (!entry || !listener) {
        out.error = "the proxy has no HTTP listener to send to";
        return out;
    }
    std::shared_ptr<traffic::RequestProfile> profile;
    if (settings.demo) {
        profile = std::make_shared<traffic::RequestProfile>(
            traffic::MixProfile::demo(*config.resources, *config.table, entry->gatewayPort, entry->tls));
    } else if (!settings.profileFile.empty()) {
        traffic::ProfileResult read = traffic::readProfileFile(settings.profileFile);
        if (!read.ok()) {
            out.error = read.error().text();
            return out;
        }
        profile = std::make_shared<traffic::RequestProfile>(std::move(read.profile()));
    } else {
        profile = std::make_shared<traffic::RequestProfile>(traffic::MixProfile::fromMix(
            traffic::DefaultMix::build(*config.resources, *config.table), entry->gatewayPort, entry->tls));
    }
    if (profile->requests.empty()) {
        out.error =
            "no route of the config takes requests on Gateway port " + std::to_string(entry->gatewayPort);
        return out;
    }
    traffic::LoadOptions options;
    options.target = targetOf(*listener, entry->tls, entry->defaultAuthority);
    options.rate = settings.rate;
    options.connections = settings.connections == 0 ? 1 : settings.connections;
    options.workers = 1;
    options.stopGrace = std::chrono::milliseconds(300);
    // The Dashboard keeps its own history: the run's series is not read, so a minute is kept and
    // a load left running for hours holds no more memory than one left for a minute.
    options.seriesSeconds = std::chrono::seconds(60);
    options.duration =
        settings.seconds > 0
            ? std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::duration<double>(settings.seconds))
            : std::chrono::duration_cast<std::chrono::microseconds>(traffic::LoadOptions::kMaxDuration);
    if (std::string error = traffic::checkLoadOptions(options); !error.empty()) {
        out.error = error;
        return out;
    }
    auto engine = std::make_shared<traffic::LoadEngine>(
        options, std::make_shared<traffic::ProfileSourceFactory>(profile, entry->defaultAuthority,
                                                                 entry->tls ? "https" : "http"));
    if (std::string error = engine->start(); !error.empty()) {
        out.error = error;
        return out;
    }
    out.engines.push_back(std::move(engine));
    out.seconds = settings.seconds;
    out.rate = settings.rate;
    out.description = "load on " + listener->text() +
                      (settings.rate ? ", " + std::to_string(static_cast<long long>(*settings.rate)) + " rps"
                                     : ", " + std::to_string(options.connections) + " connections");
    return out;
}

LaunchedLoad TrafficLaunch::replay(const ReplaySettings& settings, const ServableConfig& config,
                                   const std::vector<workload::LocalListener>& listeners) {
    LaunchedLoad out;
    if (!config.servable()) {
        out.error = "the config cannot be served";
        return out;
    }
    if (!std::isfinite(settings.speed) || settings.speed <= 0 || settings.speed > 1e6) {
        out.error = "the speed must be a positive number (at most 1000000)";
        return out;
    }
    traffic::ReadResult read = traffic::readRecordingFile(settings.file, std::nullopt);
    if (!read.ok()) {
        out.error = settings.file + ": " + read.error().message;
        return out;
    }
    const traffic::Recording& recording = read.recording();
    traffic::ReplayPreparation prepared = traffic::prepareReplay(recording, {});
    for (const auto& s : prepared.unsendable)
        out.notes.push_back("line " + std::to_string(s.line) + ": " + s.reason);
    auto requests = std::make_shared<std::vector<traffic::PreparedRequest>>(std::move(prepared.requests));
    const auto offsets =
        traffic::replayOffsets(recording, *requests, traffic::ReplayTiming{settings.speed, {}});
    // One engine per Gateway port (over TLS, per server name) on one timeline, as `sluice replay -f`.
    traffic::ReplayGrouping grouping = traffic::groupReplayByGateway(*config.table, *requests);
    for (const std::size_t i : grouping.unrouted) {
        const auto& p = (*requests)[i];
        out.notes.push_back(p.scheme + "://" + p.authority + p.path + ": no Gateway server listens for it");
    }
    const auto start = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    for (const traffic::ReplayGroup& g : grouping.groups) {
        const workload::LocalListener* l = listenerFor(listeners, g.gatewayPort);
        if (!l) {
            for (const std::size_t i : g.requests)
                out.notes.push_back((*requests)[i].scheme + "://" + (*requests)[i].authority +
                                    (*requests)[i].path + ": the proxy does not listen on its Gateway port");
            continue;
        }
        traffic::LoadOptions o;
        o.target = targetOf(*l, g.tls, g.sni);
        o.connections = 8;
        o.startAt = start;
        o.stopGrace = std::chrono::milliseconds(300);
        o.seriesSeconds = std::chrono::seconds(60); // as for a load: the Dashboard has the history
        auto groupOffsets = std::make_shared<std::vector<std::chrono::microseconds>>();
        for (const std::size_t i : g.requests)
            groupOffsets->push_back(offsets[i]);
        o.offsets = groupOffsets;
        auto engine = std::make_shared<traffic::LoadEngine>(
            o, std::make_shared<traffic::ReplaySourceFactory>(
                   requests, std::make_shared<std::vector<std::size_t>>(g.requests)));
        if (std::string error = engine->start(); !error.empty()) {
            out.error = error;
            out.engines.clear(); // their destructors stop what started
            return out;
        }
        out.engines.push_back(std::move(engine));
    }
    if (out.engines.empty()) {
        out.error = "no recorded request can be sent to the proxy";
        return out;
    }
    if (!offsets.empty())
        out.seconds = std::chrono::duration<double>(offsets.back()).count();
    out.description = "replay of " + settings.file + " (" + std::to_string(requests->size()) + " requests)";
    return out;
}

std::string TrafficLaunch::report(const LaunchedLoad& launched) {
    std::string text = launched.description + "\n";
    for (const auto& engine : launched.engines) {
        const traffic::LoadRun run = engine->finish();
        text +=
            metrics::TrafficReportText::render(run.tally.report(run.durationSeconds, false, launched.rate));
        if (!run.firstError.empty())
            text += "The first failure: " + run.firstError + "\n";
    }
    for (const auto& note : launched.notes)
        text += "Not sent: " + note + "\n";
    return text;
}

} // namespace sluice::ui
