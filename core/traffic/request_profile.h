// SPDX-License-Identifier: Apache-2.0
#pragma once

// The request profile of `sluice load --profile FILE` (and `sluice simulate --profile`): what
// requests to send, in what mix. A YAML map:
//
//   host: bookinfo.example.com       # Host / :authority of every request (optional; a template's
//                                    # own `host` wins; default: the URL's, or with -f the first
//                                    # host a Gateway serves)
//   headers:                         # sent with every request (optional; a template's win by name)
//     user-agent: sluice-load
//   users: [jason, alice, bob]       # ${random_user} picks one of these (optional)
//   lists:                           # ${pick:NAME} picks one of lists.NAME (optional)
//     product: ["0", "1", "2"]
//   requests:                        # REQUIRED, at least one with a positive weight
//   - name: productpage              # optional; default "METHOD path"
//     weight: 70                     # relative share, a number >= 0 (default 1; 0: never sent)
//     method: GET                    # default GET; an HTTP token
//     host: bookinfo.example.com     # optional, see above
//     path: /productpage?id=${seq}   # REQUIRED: starts with '/'
//     headers: {end-user: "${random_user}", cookie: "user=${random_user}"}
//     body: '{"id": ${seq}}'         # optional; sent with content-length
//
// Variables, in path, host, header values and body ("$${" writes a literal "${"):
//   ${seq}                the request's sequence number in the run: 0, 1, 2... (unique per run)
//   ${random_user}        one of `users`, uniformly
//   ${pick:NAME}          one of `lists.NAME`, uniformly
//   ${random_int:LO:HI}   an integer in [LO, HI], uniformly
//   ${uuid}               a random version-4 UUID
//
// Header names are lowercased. Errors point at file:line:column: YAML syntax, unknown keys (a
// typo never passes silently), wrong types, an unknown variable, a list used but not defined,
// CR/LF or NUL in a value, limits (below). Plain values; never throws.

#include "template_text.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::traffic {

/// One weighted request template.
struct ProfileRequest {
    std::string name;
    double weight = 1;
    std::string method = "GET";
    TemplateText host; ///< empty (no segments): the profile's, else the target's
    TemplateText path;
    std::vector<std::pair<std::string, TemplateText>> headers; ///< lowercase names; profile's merged in
    TemplateText body;
    std::size_t line = 0; ///< where the template starts (1-based); 0 when built in code
};

struct RequestProfile {
    static constexpr std::size_t kMaxRequests = 10'000;
    static constexpr std::size_t kMaxListEntries = 1'000'000;  ///< all lists together
    static constexpr std::size_t kMaxValueBytes = 1024 * 1024; ///< any one string (a body)
    static constexpr std::size_t kMaxFileBytes = 64 * 1024 * 1024;
    static constexpr double kMaxWeight = 1e9;

    std::string file;
    std::vector<ProfileRequest> requests;
    TemplateLists lists;                ///< lists.lists[0] is `users`
    std::vector<std::string> listNames; ///< parallel to lists.lists; [0] is "users"

    /// The sum of the weights (positive after a successful parse).
    [[nodiscard]] double totalWeight() const;
    /// Whether any template uses a variable (else every request of a template is the same bytes).
    [[nodiscard]] bool hasVariables() const;

    /// A profile of one request (`sluice load URL` without --profile).
    [[nodiscard]] static RequestProfile single(std::string method, std::string authority, std::string path);
};

struct ProfileError {
    std::string file;
    std::size_t line = 0;   ///< 1-based; 0: the file as a whole
    std::size_t column = 0; ///< 1-based; 0: unknown
    std::string message;

    /// "file:line:column: error: message" (as the CLI prints diagnostics).
    [[nodiscard]] std::string text() const;
};

/// A RequestProfile, or why not.
class ProfileResult {
public:
    ProfileResult(RequestProfile profile)
        : m_value(std::move(profile)) {}
    ProfileResult(ProfileError error)
        : m_value(std::move(error)) {}

    [[nodiscard]] bool ok() const { return std::holds_alternative<RequestProfile>(m_value); }
    [[nodiscard]] const RequestProfile& profile() const { return std::get<RequestProfile>(m_value); }
    [[nodiscard]] RequestProfile& profile() { return std::get<RequestProfile>(m_value); }
    [[nodiscard]] const ProfileError& error() const { return std::get<ProfileError>(m_value); }

private:
    std::variant<RequestProfile, ProfileError> m_value;
};

/// Parses profile YAML `text`; `file` names it in errors.
[[nodiscard]] ProfileResult parseProfile(std::string_view text, const std::string& file);
/// Reads and parses the file at `path` (at most kMaxFileBytes).
[[nodiscard]] ProfileResult readProfileFile(const std::string& path);

} // namespace sluice::traffic
