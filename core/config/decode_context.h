// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/diagnostic.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::config {

/// State shared while one document is decoded: where its text sits in its file, the field path
/// being decoded (for messages), where diagnostics go, and a node budget that stops alias bombs.
class DecodeContext {
public:
    DecodeContext(std::uint32_t file, std::uint32_t lineOffset, model::Diagnostics& out, std::size_t nodeBudget)
        : m_file(file), m_lineOffset(lineOffset), m_out(out), m_budget(nodeBudget) {}

    /// Converts a yaml-cpp mark (0-based, relative to the document text) to a file position.
    [[nodiscard]] model::SourceSpan span(int line, int column) const {
        return {m_file, m_lineOffset + static_cast<std::uint32_t>(line < 0 ? 0 : line) + 1,
                static_cast<std::uint32_t>(column < 0 ? 0 : column) + 1};
    }

    /// The document's own text, which yaml-cpp marks' `pos` index into (see flowColonString()).
    void setText(std::string_view text) { m_text = text; }
    [[nodiscard]] std::string_view text() const { return m_text; }

    void setResource(std::string resource) { m_resource = std::move(resource); }
    /// Istio kinds report schema problems as errors; partial Kubernetes kinds tolerate unknown keys.
    void setSchemaCode(std::string code) { m_schemaCode = std::move(code); }

    void report(model::Level level, std::string code, std::string message, model::SourceSpan at);
    void schemaError(std::string message, model::SourceSpan at) {
        report(model::Level::Error, m_schemaCode, std::move(message), at);
    }

    [[nodiscard]] const std::string& path() const { return m_path; }

    /// RAII: appends ".key" or "[i]" to the field path for the lifetime of the guard.
    class PathGuard {
    public:
        PathGuard(DecodeContext& ctx, std::string_view key) : m_ctx(ctx), m_size(ctx.m_path.size()) {
            if (!ctx.m_path.empty())
                ctx.m_path += '.';
            ctx.m_path += key;
        }
        PathGuard(DecodeContext& ctx, std::size_t index) : m_ctx(ctx), m_size(ctx.m_path.size()) {
            ctx.m_path += '[';
            ctx.m_path += std::to_string(index);
            ctx.m_path += ']';
        }
        ~PathGuard() { m_ctx.m_path.resize(m_size); }
        PathGuard(const PathGuard&) = delete;
        PathGuard& operator=(const PathGuard&) = delete;

    private:
        DecodeContext& m_ctx;
        std::size_t m_size;
    };

    /// Counts a visited node; false once the budget is spent (reported once).
    bool spend(model::SourceSpan at);
    [[nodiscard]] bool exhausted() const { return m_budget == 0; }

private:
    std::uint32_t m_file;
    std::uint32_t m_lineOffset;
    model::Diagnostics& m_out;
    std::size_t m_budget;
    std::string_view m_text;
    std::string m_resource;
    std::string m_schemaCode = "IST0106";
    std::string m_path;
};

} // namespace sluice::config
