// SPDX-License-Identifier: Apache-2.0
#include "mix_profile.h"

#include "default_mix.h"

#include <algorithm>

namespace sluice::traffic {
namespace {

ProfileRequest requestOf(const RequestTemplate& t, double weight) {
    ProfileRequest r;
    r.name = t.label;
    r.weight = weight;
    r.method = t.request.method;
    r.host = TemplateText::literal(t.request.authority);
    r.path = TemplateText::literal(t.request.target);
    for (const auto& [name, value] : t.request.headers) {
        std::string lower = name;
        for (char& c : lower)
            c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        r.headers.emplace_back(std::move(lower), TemplateText::literal(value));
    }
    return r;
}

} // namespace

RequestProfile MixProfile::fromMix(const RequestMix& mix, std::uint32_t gatewayPort, bool tls) {
    RequestProfile profile;
    profile.file = "routes in view";
    for (const auto& t : mix.templates())
        if (t.request.port == gatewayPort && t.request.tls == tls && !t.request.mesh)
            profile.requests.push_back(requestOf(t, t.weight));
    profile.lists.lists.emplace_back(); // `users`, empty
    profile.listNames.emplace_back("users");
    return profile;
}

RequestProfile MixProfile::demo(const model::ResourceSet& resources, const routing::RouteTable& table,
                                std::uint32_t gatewayPort, bool tls) {
    RequestProfile routes = fromMix(DefaultMix::build(resources, table), gatewayPort, tls);
    RequestProfile profile = routes;
    profile.file = "demo";
    profile.requests.clear();
    for (const auto& r : routes.requests) {
        profile.requests.push_back(r);
        profile.requests.back().weight = 3 * r.weight;
        if (r.headers.end() != std::find_if(r.headers.begin(), r.headers.end(),
                                            [](const auto& h) { return h.first == "end-user"; }))
            continue; // the rule routes on the user already
        ProfileRequest jason = r;
        jason.name = r.name + " (end-user: jason)";
        jason.headers.emplace_back("end-user", TemplateText::literal("jason"));
        profile.requests.push_back(std::move(jason));
    }
    return profile;
}

} // namespace sluice::traffic
