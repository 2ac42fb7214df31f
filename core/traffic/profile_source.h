// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "request_profile.h"
#include "request_source.h"
#include "routing/rng.h"

#include <memory>
#include <string>
#include <vector>

namespace sluice::traffic {

/// The requests of a profile: a template picked by weight per slot, its variables rendered with
/// the slot as ${seq}. Templates without variables are rendered once, so sending them copies
/// nothing. Not thread-safe: one per connection (ProfileSourceFactory).
class ProfileSource final : public RequestSource {
public:
    /// `defaultAuthority`: the Host of templates that name none. `scheme`: HTTP/2 :scheme.
    ProfileSource(std::shared_ptr<const RequestProfile> profile, std::string defaultAuthority,
                  std::string scheme, std::uint64_t seed);

    const RenderedRequest& render(std::uint64_t slot) override;
    /// Template `index` rendered as slot `slot` would be (the expected split samples each one).
    const RenderedRequest& renderTemplate(std::size_t index, std::uint64_t slot);

    /// The template picked for a uniform draw `u` in [0, 1) (tests and the simulator).
    [[nodiscard]] std::size_t pick(double u) const;

private:
    struct Prepared {
        bool dynamic = false; ///< some part has a variable: rendered per request
        std::string http1;    ///< static templates: the whole request
        std::string authority;
        std::string path;
        std::vector<std::pair<std::string, std::string>> headers;
        std::string body;
    };

    void prepare(const ProfileRequest& t, Prepared& p, RenderState* state);

    std::shared_ptr<const RequestProfile> m_profile;
    std::string m_defaultAuthority;
    std::string m_scheme;
    std::vector<double> m_cumulative; ///< normalised to end at 1
    std::vector<Prepared> m_prepared;
    Prepared m_scratch; ///< the dynamic request being sent
    routing::Rng m_rng;
    RenderedRequest m_out;
};

class ProfileSourceFactory final : public RequestSourceFactory {
public:
    ProfileSourceFactory(std::shared_ptr<const RequestProfile> profile, std::string defaultAuthority,
                         std::string scheme)
        : m_profile(std::move(profile))
        , m_defaultAuthority(std::move(defaultAuthority))
        , m_scheme(std::move(scheme)) {}

    [[nodiscard]] std::unique_ptr<RequestSource> make(std::uint64_t seed) const override {
        return std::make_unique<ProfileSource>(m_profile, m_defaultAuthority, m_scheme, seed);
    }

private:
    std::shared_ptr<const RequestProfile> m_profile;
    std::string m_defaultAuthority;
    std::string m_scheme;
};

} // namespace sluice::traffic
